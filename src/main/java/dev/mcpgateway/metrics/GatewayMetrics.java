package dev.mcpgateway.metrics;

import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ServerKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own meters, in one place, on one Prometheus registry (shared with Vert.x's HTTP
 * metrics and the JVM binders). Every label value comes from a bounded set: method names from the
 * MCP method list, tool and prompt names only when the server has them (else {@code other}),
 * accounts and servers only when registered (else {@code unknown}) — so no client can grow the
 * number of series. The README's metrics table documents each meter.
 */
public final class GatewayMetrics {
  public static final String OTHER = "other";
  public static final String UNKNOWN = "unknown";
  private static final Set<String> METHODS = Set.of("initialize", "ping", "tools/list", "tools/call", "prompts/list",
      "prompts/get", "resources/list", "resources/read", "resources/templates/list", "resources/subscribe",
      "resources/unsubscribe", "completion/complete", "logging/setLevel", "notification", "response", "stream", "delete");
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final AtomicLong openStreams = new AtomicLong();
  private final Counter bytesRelayed;
  private final Map<ServerKey, ServerGauges> servers = new ConcurrentHashMap<>();
  private final Map<ServerKey, ValueGauge> serverContext = new ConcurrentHashMap<>();
  private final Map<PortalKey, Map<String, ValueGauge>> portalContext = new ConcurrentHashMap<>();
  private volatile ToolCallSink toolCalls = ToolCallSink.NONE;

  private GatewayMetrics(PrometheusMeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    Gauge.builder("mcp_gateway_sse_streams_open", openStreams, AtomicLong::get)
        .description("SSE streams open from the gateway to agents").register(registry);
    bytesRelayed = Counter.builder("mcp_gateway_relayed_bytes").baseUnit("bytes")
        .description("bytes relayed from upstreams to agents on event streams").register(registry);
  }

  /** A registry with the JVM and process binders: one per gateway process. */
  public static GatewayMetrics create(Clock clock) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new GatewayMetrics(registry, clock);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public static String method(String method) {
    return method != null && METHODS.contains(method) ? method : OTHER;
  }

  /**
   * One agent message through the MCP endpoint: total time, and the part spent waiting for the
   * upstream (zero when the gateway answered itself), by outcome
   * ({@code ok, mcp_error, upstream_error, refused, timeout, rejected}).
   */
  public void mcpRequest(String account, String server, String method, String outcome, long totalNanos, long upstreamNanos) {
    Tags tags = Tags.of("account", account, "server", server, "method", method(method), "outcome", outcome);
    timer("mcp_gateway_mcp_request_duration_seconds", "MCP messages through the gateway, total time", tags)
        .record(totalNanos, TimeUnit.NANOSECONDS);
    timer("mcp_gateway_mcp_upstream_duration_seconds", "time spent waiting for the upstream, per MCP message", tags)
        .record(upstreamNanos, TimeUnit.NANOSECONDS);
    timer("mcp_gateway_mcp_gateway_duration_seconds", "time the gateway itself added, per MCP message", tags)
        .record(Math.max(0, totalNanos - upstreamNanos), TimeUnit.NANOSECONDS);
  }

  /**
   * A tools/call or prompts/get by exposed name; the name must be one the server has, else {@code other}.
   * {@code portal} (null on a server's own endpoint) is no label here; tool calls go on, with it, to
   * the {@link ToolCallSink} (the analytics API's counts).
   */
  public void capabilityUse(String account, String server, String portal, String kind, String exposedName, String outcome) {
    boolean tool = kind.equals("tool");
    Counter.builder(tool ? "mcp_gateway_tool_calls" : "mcp_gateway_prompt_gets")
        .description(tool ? "tools/call by exposed tool name" : "prompts/get by exposed prompt name")
        .tags("account", account, "server", server, kind, exposedName, "outcome", outcome)
        .register(registry).increment();
    if (tool) toolCalls.toolCall(account, server, portal, exposedName);
  }

  /** Where tool calls go besides {@code mcp_gateway_tool_calls_total} (the gateway's analytics counter). */
  public void countToolCallsIn(ToolCallSink sink) {
    toolCalls = sink;
  }

  /** One agent message through a portal, by the member it reached ({@code unknown} when none). */
  public void portalRequest(String account, String portal, String server, String method, String outcome) {
    Counter.builder("mcp_gateway_portal_requests").description("MCP messages through a portal, by member server, method and outcome")
        .tags("account", account, "portal", portal, "server", server, "method", method(method), "outcome", outcome)
        .register(registry).increment();
  }

  /**
   * One Code Mode run ({@code tool}: {@code portal_codemode_search} or {@code portal_codemode_execute}):
   * its time, queue wait included, by outcome ({@code ok}; {@code error}: the code threw; or the
   * limit that stopped it: {@code cpu, statements, memory, heap, timeout, busy, crashed}; {@code cancelled}: its agent went away).
   */
  public void codeModeRun(String account, String portal, String tool, String outcome, long nanos) {
    timer("mcp_gateway_codemode_run_duration_seconds", "Code Mode runs of agents' code, by tool and outcome",
        Tags.of("account", account, "portal", portal, "tool", tool, "outcome", outcome)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A portal member left out of what agents see (not synced yet, in error, missing, store unavailable). */
  public void portalMemberLeftOut(String account, String portal, String server, String reason) {
    Counter.builder("mcp_gateway_portal_members_left_out").description("portal members left out of an answer, by reason")
        .tags("account", account, "portal", portal, "server", server, "reason", reason)
        .register(registry).increment();
  }

  /**
   * A switch of a portal's members by an agent ({@code via} tool) or its user ({@code via} page):
   * {@code outcome} off, on, reset, refused (not a member, a bad ticket), or failed (store unavailable).
   */
  public void portalToggle(String account, String portal, String via, String outcome) {
    Counter.builder("mcp_gateway_portal_toggles").description("portal member switches by agents and users, by way and outcome")
        .tags("account", account, "portal", portal, "via", via, "outcome", outcome)
        .register(registry).increment();
  }

  public void sync(String outcome, long nanos) {
    Timer.builder("mcp_gateway_sync_duration_seconds").description("capability syncs by outcome (ready, error)")
        .tags("outcome", outcome).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** What a server has and when it last synced; the gauges appear once the gateway has synced or loaded it. */
  public void serverState(ServerKey key, int tools, int prompts, Instant lastSuccessfulSync, int heldBack) {
    ServerGauges gauges = servers.computeIfAbsent(key, k -> new ServerGauges(registry, k, clock));
    gauges.heldBack = heldBack;
    gauges.tools = tools;
    gauges.prompts = prompts;
    gauges.lastSuccess = lastSuccessfulSync;
  }

  /** A deleted server's gauges go with it. */
  public void serverGone(ServerKey key) {
    ServerGauges gauges = servers.remove(key);
    if (gauges != null) gauges.meters.forEach(registry::remove);
    ValueGauge context = serverContext.remove(key);
    if (context != null) registry.remove(context.meter);
  }

  /** The tokens the server's own endpoint's lists cost an agent ({@link ContextCost}); the gauge appears once computed. */
  public void serverContext(ServerKey key, long tokens) {
    serverContext.computeIfAbsent(key, k -> new ValueGauge(registry, "mcp_gateway_server_context_tokens",
        "tokens (o200k_base) of the server's tools/list and prompts/list as agents get them",
        Tags.of("account", k.accountId(), "server", k.id()))).value = tokens;
  }

  /** The tokens a portal's lists cost an agent, by {@code optimize_context} mode ({@code full}, ...). */
  public void portalContext(PortalKey key, Map<String, Long> tokensByMode) {
    Map<String, ValueGauge> gauges = portalContext.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
    tokensByMode.forEach((mode, tokens) -> gauges.computeIfAbsent(mode, m -> new ValueGauge(registry, "mcp_gateway_portal_context_tokens",
        "tokens (o200k_base) of the portal's tools/list and prompts/list as an agent without restrictions gets them, by mode",
        Tags.of("account", key.accountId(), "portal", key.id(), "mode", m))).value = tokens);
  }

  /** A deleted portal's gauges go with it. */
  public void portalGone(PortalKey key) {
    Map<String, ValueGauge> gauges = portalContext.remove(key);
    if (gauges != null) gauges.values().forEach(g -> registry.remove(g.meter));
  }

  /**
   * An upstream OAuth token request: {@code grant} {@code authorization_code}, {@code refresh_token}
   * or {@code client_credentials}; {@code outcome} {@code ok}, {@code refused} (the connection goes
   * stale) or {@code unreachable}. Never a token, a client id or a user in a label.
   */
  public void oauthTokenRequest(String grant, String outcome) {
    Counter.builder("mcp_gateway_oauth_token_requests").description("upstream OAuth token requests by grant and outcome")
        .tags("grant", grant, "outcome", outcome).register(registry).increment();
  }

  /** An agent's authentication on an MCP endpoint: {@code kind} client_token / service_token / user (none when refused), and its outcome. */
  public void agentAuthentication(String kind, String outcome) {
    Counter.builder("mcp_gateway_agent_authentications").description("agent authentications on MCP endpoints by agent kind and outcome")
        .tags("kind", kind, "outcome", outcome).register(registry).increment();
  }

  /** A read of the sign-in authorization server's signing keys (JWKS), by outcome. */
  public void signInKeyRead(String outcome) {
    Counter.builder("mcp_gateway_sign_in_key_reads").description("reads of the sign-in authorization server's signing keys by outcome")
        .tags("outcome", outcome).register(registry).increment();
  }

  /** A step of the built-in authorization server ({@code register}, {@code authorize}, {@code login}, {@code consent}, {@code token}, {@code revoke}) and its outcome (ok, or an OAuth error code). */
  public void authServerEvent(String step, String outcome) {
    Counter.builder("mcp_gateway_auth_server_events").description("built-in authorization server requests by step and outcome")
        .tags("step", step, "outcome", outcome).register(registry).increment();
  }

  public void adminRequest(String operation, int status) {
    Counter.builder("mcp_gateway_admin_requests").description("management API requests by operation and HTTP status")
        .tags("operation", operation, "status", Integer.toString(status)).register(registry).increment();
  }

  public void streamOpened() {
    openStreams.incrementAndGet();
  }

  public void streamClosed() {
    openStreams.decrementAndGet();
  }

  public void relayed(long bytes) {
    bytesRelayed.increment(bytes);
  }

  private Timer timer(String name, String description, Tags tags) {
    return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  /** One gauge over a value set from outside. */
  private static final class ValueGauge {
    volatile double value;
    final Meter meter;

    ValueGauge(MeterRegistry registry, String name, String description, Tags tags) {
      meter = Gauge.builder(name, this, g -> g.value).tags(tags).description(description).register(registry);
    }
  }

  private static final class ServerGauges {
    volatile int tools;
    volatile int prompts;
    volatile Instant lastSuccess;
    volatile int heldBack;
    final List<Meter> meters;

    ServerGauges(MeterRegistry registry, ServerKey key, Clock clock) {
      Tags tags = Tags.of("account", key.accountId(), "server", key.id());
      meters = List.of(
          Gauge.builder("mcp_gateway_server_tools", this, g -> g.tools).tags(tags)
              .description("tools the server had at its last successful sync").register(registry),
          Gauge.builder("mcp_gateway_server_prompts", this, g -> g.prompts).tags(tags)
              .description("prompts the server had at its last successful sync").register(registry),
          Gauge.builder("mcp_gateway_server_items_held_back", this, g -> g.heldBack).tags(tags)
              .description("synced tools and prompts held back from agents: changed tools awaiting acceptance, names an alias shadows")
              .register(registry),
          Gauge.builder("mcp_gateway_server_seconds_since_last_successful_sync", this,
                  g -> g.lastSuccess == null ? Double.NaN : Duration.between(g.lastSuccess, clock.instant()).toMillis() / 1000.0)
              .tags(tags).description("seconds since the server's last successful sync (NaN: never)").register(registry));
    }
  }
}
