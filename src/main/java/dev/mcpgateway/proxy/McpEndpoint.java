package dev.mcpgateway.proxy;

import dev.mcpgateway.logging.AccessLog;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.proxy.capabilities.CapabilityDispatch;
import dev.mcpgateway.proxy.capabilities.ListChanges;
import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.policy.Policies;
import dev.mcpgateway.proxy.http.AgentAuthHandler;
import dev.mcpgateway.proxy.http.PolicyCheck;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.http.OriginCheck;
import dev.mcpgateway.proxy.http.RateLimits;
import dev.mcpgateway.proxy.http.ServiceTokenReach;
import dev.mcpgateway.codemode.Sandboxes;
import dev.mcpgateway.config.CodeModeSettings;
import dev.mcpgateway.proxy.portal.CodeModeTools;
import dev.mcpgateway.proxy.portal.BuiltInTools;
import dev.mcpgateway.proxy.portal.ContextTools;
import dev.mcpgateway.proxy.portal.PortalChanges;
import dev.mcpgateway.proxy.portal.PortalContext;
import dev.mcpgateway.proxy.portal.PortalDirectory;
import dev.mcpgateway.proxy.portal.PortalEndpoint;
import dev.mcpgateway.proxy.portal.PortalMembers;
import dev.mcpgateway.proxy.portal.PortalResources;
import dev.mcpgateway.proxy.portal.PortalRoute;
import dev.mcpgateway.proxy.portal.PortalSessions;
import dev.mcpgateway.proxy.portal.PortalStreams;
import dev.mcpgateway.proxy.portal.PortalSwitches;
import dev.mcpgateway.proxy.portal.SwitchesPage;
import dev.mcpgateway.proxy.relay.StatelessUpstream;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.security.RevokedSessions;
import dev.mcpgateway.proxy.session.SessionCodec;
import dev.mcpgateway.proxy.session.SessionEndpoint;
import dev.mcpgateway.proxy.stateless.StatelessEndpoint;
import dev.mcpgateway.proxy.stateless.TransportRules;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.LimitSettings;
import dev.mcpgateway.security.RateLimiter;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.signin.AgentAuthenticator;
import dev.mcpgateway.store.Stores;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.sync.CapabilitySync;
import dev.mcpgateway.tracing.MessageSpan;
import dev.mcpgateway.tracing.Tracing;
import dev.mcpgateway.upstream.UpstreamAuths;
import dev.mcpgateway.upstream.oauth.OAuthConnector;
import dev.mcpgateway.upstream.oauth.OAuthSettings;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * The agent-facing MCP endpoint, {@code /mcp/{account_id}/{server_id}}: the route, the checks
 * every message passes (origin, client token, rate limits, content type, size, JSON-RPC shape),
 * and the split by the agent's era — {@link SessionEndpoint} for 2025 sessions,
 * {@link StatelessEndpoint} for 2026-07-28. Only this package is API; its sub-packages are the
 * parts (see {@code README.md} here).
 */
public final class McpEndpoint {
  public static final String PATH = "/mcp/:account_id/:server_id";
  /** A portal by path, for deployments without a DNS name per portal. */
  public static final String PORTAL_PATH = "/mcp/:account_id/portals/:portal_id";
  /** A portal at its own hostname, found by the {@code Host} header (Cloudflare's {@code https://<portal hostname>/mcp}). */
  public static final String PORTAL_HOST_PATH = "/mcp";
  private final AgentAuthenticator agents;
  private final GatewayMetrics metrics;
  private final AuthThrottle authFailures;
  private final RateLimits rateLimits;
  private final ProxySettings settings;
  private final SessionEndpoint sessions;
  private final RevokedSessions revoked;
  private final StatelessEndpoint stateless;
  private final PortalEndpoint portals;
  private final PortalRoute portalRoute;
  private final ServiceTokenReach serviceTokenReach;
  private final PortalSwitches switches;
  private final SwitchesPage switchesPage;
  private final PortalContext portalContext;
  private final Sandboxes sandboxes;
  private final OriginCheck.Policy origins;
  private final PolicyCheck policyCheck;
  private final Tracing tracing;

  public McpEndpoint(Vertx vertx, GatewayMetrics metrics, LimitSettings limits, AuthThrottle authFailures, AgentAuthenticator agents,
      SecretCipher gatewayCipher, CapabilityCache cache, CapabilitySync sync, McpClient client, UpstreamAuths auths, ProxySettings settings,
      Clock clock, Stores stores, OAuthConnector oauth, OAuthSettings oauthSettings, CodeModeSettings codeMode) {
    this.agents = agents;
    this.tracing = Tracing.of(vertx);
    this.policyCheck = new PolicyCheck(new Policies(stores.policies()), PortalRoute.PORTAL_KEY);
    this.settings = settings;
    this.authFailures = authFailures;
    this.rateLimits = new RateLimits(new RateLimiter(limits.clientRps(), limits.clientBurst(), System::nanoTime),
        new RateLimiter(limits.accountRps(), limits.accountBurst(), System::nanoTime));
    this.metrics = metrics;
    UpstreamRelay relay = new UpstreamRelay(vertx, metrics, settings, client.limits().maxResponseBytes(), client.limits().requestTimeoutMs());
    StatelessUpstream statelessUpstream = new StatelessUpstream(vertx, client.channel(), auths);
    CapabilityDispatch dispatch = new CapabilityDispatch(sync::servesFromCache);
    ListChanges listChanges = new ListChanges(cache, sync);
    this.revoked = new RevokedSessions(vertx, stores.revocations(), clock, settings.sessionMaxAge());
    this.sessions = new SessionEndpoint(vertx, new SessionCodec(gatewayCipher), cache, dispatch, listChanges, client, auths, settings,
        statelessUpstream, relay, revoked, clock);
    this.stateless = new StatelessEndpoint(vertx, cache, dispatch, client, auths, settings, statelessUpstream, relay, listChanges::seen);
    SessionCodec codec = new SessionCodec(gatewayCipher);
    PortalDirectory directory = new PortalDirectory(vertx, stores.portals());
    this.switches = new PortalSwitches(vertx, stores.toggles(), stores.portals(), clock);
    PortalMembers members = new PortalMembers(cache, metrics, switches);
    this.portalContext = new PortalContext(vertx, members);
    this.portalRoute = new PortalRoute(directory);
    this.serviceTokenReach = new ServiceTokenReach(cache);
    this.switchesPage = new SwitchesPage(gatewayCipher, clock, oauthSettings, oauth, cache, agents, directory, switches, authFailures, metrics);
    this.sandboxes = new Sandboxes(vertx, codeMode);
    this.origins = OriginCheck.Policy.of(settings.allowedOrigins(), oauthSettings.publicBaseUrl(), settings.loopbackBound());
    this.portals = new PortalEndpoint(members, new PortalSessions(codec, clock, settings.sessionMaxAge(), revoked), stateless,
        new PortalResources(vertx, stateless, client.limits().requestTimeoutMs(), settings.sessionIdle()),
        new PortalStreams(vertx, new PortalChanges(vertx, directory, members, stores.servers(), stores.portals(), switches),
            settings.keepAlive().toMillis()),
        new BuiltInTools(members, switches, switchesPage, metrics), new ContextTools(vertx),
        new CodeModeTools(sandboxes, members, stateless, metrics));
    Gauge.builder("mcp_gateway_codemode_sandboxes", sandboxes, Sandboxes::size)
        .description("Code Mode sandbox processes alive (started on first use)").register(metrics.registry());
    Gauge.builder("mcp_gateway_sessions_active", sessions, SessionEndpoint::size)
        .description("agent sessions this replica has seen in their idle window").register(metrics.registry());
    Gauge.builder("mcp_gateway_sessions_revoked", revoked, RevokedSessions::size)
        .description("agent sessions ended with DELETE that this replica refuses until they would have expired").register(metrics.registry());
  }

  /** Reads the sessions ended with DELETE before the first request; fails when the store cannot say. */
  public Future<Void> start() {
    return revoked.start();
  }

  public void mount(Router router) {
    agents.resources().mount(router);
    mount(router, PATH, null);
    // a portal by path, and at its own hostname; neither can collide with /mcp/{account_id}/{server_id}
    mount(router, PORTAL_PATH, portalRoute);
    mount(router, PORTAL_HOST_PATH, portalRoute);
    // a browser page, not MCP: none of the agent checks; its sealed ticket is its credential
    switchesPage.mount(router);
  }

  /** The checks every message passes, then the methods; {@code portalRoute} finds the portal on a portal's paths. */
  private void mount(Router router, String path, PortalRoute portalRoute) {
    router.route(path).handler(ctx -> {
      Exchange exchange = Exchange.of(ctx);
      ctx.addEndHandler(v -> record(ctx, exchange));
      ctx.next();
    });
    router.route(path).handler(new OriginCheck(origins, PORTAL_HOST_PATH.equals(path)));
    router.route(path).handler(new AgentAuthHandler(agents, authFailures, metrics::agentAuthentication));
    router.route(path).handler(portalRoute != null ? portalRoute : serviceTokenReach);
    router.route(path).handler(policyCheck);
    router.route(path).handler(rateLimits);
    router.post(path).handler(this::post);
    router.get(path).handler(portalRoute == null ? this::get : portals::stream);
    router.delete(path).handler(ctx -> {
      Exchange.of(ctx).method = "delete";
      if (portalRoute == null) sessions.end(ctx);
      else portals.end(ctx);
    });
    router.route(path).handler(ctx -> {
      ctx.response().putHeader("Allow", "GET, POST, DELETE");
      McpReplies.error(ctx.response(), 405, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "method not allowed");
    });
  }

  /** Records the message's metrics once its response has ended. */
  private void record(RoutingContext ctx, Exchange exchange) {
    long end = System.nanoTime();
    if (ctx.response().getStatusCode() >= 400) exchange.outcome("rejected");
    metrics.mcpRequest(exchange.account, exchange.server, exchange.method, exchange.outcome, end - exchange.startNanos,
        exchange.upstreamNanos(end));
    if (exchange.kind != null) metrics.capabilityUse(exchange.account, exchange.server, exchange.portal, exchange.kind, exchange.exposedName, exchange.outcome);
    if (exchange.portal != null) metrics.portalRequest(exchange.account, exchange.portal, exchange.server, exchange.method, exchange.outcome);
    Agent agent = ctx.get(AgentAuthHandler.AGENT_KEY) instanceof Agent known ? known : null;
    // logged while the message's span is still current: the line carries its trace and span ids
    AccessLog.mcp(exchange.account, exchange.portal, exchange.server, GatewayMetrics.method(exchange.method), exchange.kind == null ? null : exchange.exposedName,
        ctx.response().getStatusCode(), exchange.outcome, end - exchange.startNanos, ctx.request().getHeader(McpProtocol.Headers.SESSION_ID),
        agent == null ? null : agent.name());
    if (exchange.span != null) {
      exchange.span.end(new MessageSpan.Outcome(exchange.account, exchange.server, exchange.portal, exchange.kind, exchange.exposedName,
          exchange.upstreamName, exchange.outcome, exchange.errorCode, agent == null ? null : agent.kind().name().toLowerCase(Locale.ROOT)));
    }
  }

  /** Kills Code Mode's sandbox processes (at shutdown). */
  public Future<Void> stopSandboxes() {
    return sandboxes.close();
  }

  /** Ends every session this replica holds, upstream too (at shutdown). */
  public Future<Void> endAllSessions() {
    switches.stop();
    revoked.stop();
    stateless.endAll();
    return sessions.endAll();
  }

  /**
   * What {@code portal}'s {@code tools/list} and {@code prompts/list} cost an agent without server
   * restrictions or switches, by {@code optimize_context} mode ({@code full}, {@code minimize_tools},
   * {@code search_and_execute}): counted once per change of its members' views, off the event loop.
   */
  public Future<Map<String, ContextCost>> portalContext(Portal portal) {
    return portalContext.costs(portal);
  }

  /** Sessions this replica is tracking (the {@code mcp_gateway_sessions_active} gauge). */
  public long localSessions() {
    return sessions.size();
  }

  /** Every agent message: the checks of the transport, then the agent's era. */
  private void post(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String type = request.getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase(McpProtocol.Headers.JSON)) {
      McpReplies.error(response, 415, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Content-Type must be application/json");
      return;
    }
    if (!acceptsJsonAndStream(request.getHeader("Accept"))) {
      McpReplies.error(response, 406, null, McpProtocol.ErrorCodes.INVALID_REQUEST,
          "Accept must include both application/json and text/event-stream");
      return;
    }
    String version = request.getHeader(McpProtocol.Headers.PROTOCOL_VERSION);
    // a version newer than the session era's is judged with the body (stateless era, or -32022 naming what is supported)
    if (version != null && !McpProtocol.SUPPORTED_VERSIONS.contains(version) && version.compareTo(McpProtocol.LATEST_VERSION) <= 0) {
      McpReplies.error(response, 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "unsupported MCP-Protocol-Version: "
          + AgentText.clip(version) + " (supported: " + String.join(", ", McpProtocol.SUPPORTED_VERSIONS) + ")");
      return;
    }
    BoundedBody.read(request, settings.maxBodyBytes()).onSuccess(body -> onMessage(ctx, body)).onFailure(e -> {
      if (e instanceof BoundedBody.TooLarge) {
        // the rest of the body is not read: the connection closes once the answer is written
        response.putHeader("Connection", "close");
        McpReplies.error(response, 413, null, McpProtocol.ErrorCodes.INVALID_REQUEST,
            "message larger than " + settings.maxBodyBytes() + " bytes");
      }
    });
  }

  private void onMessage(RoutingContext ctx, Buffer body) {
    HttpServerResponse response = ctx.response();
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (DecodeException e) {
      McpReplies.error(response, 400, null, McpProtocol.ErrorCodes.PARSE_ERROR, "parse error: the body is not valid JSON");
      return;
    }
    if (decoded instanceof JsonArray) {
      McpReplies.error(response, 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "JSON-RPC batches are not supported");
      return;
    }
    if (!(decoded instanceof JsonObject message) || !McpProtocol.JSONRPC_VERSION.equals(message.getValue("jsonrpc"))
        || !(JsonRpc.isRequest(message) || JsonRpc.isResponse(message) || message.getValue("method") instanceof String)) {
      McpReplies.error(response, 400, decoded instanceof JsonObject o ? o.getValue("id") : null,
          McpProtocol.ErrorCodes.INVALID_REQUEST, "not a JSON-RPC 2.0 request, notification or response");
      return;
    }
    if (message.containsKey("params") && !(message.getValue("params") instanceof JsonObject)) {
      McpReplies.error(response, 400, message.getValue("id"), McpProtocol.ErrorCodes.INVALID_REQUEST, "params must be an object");
      return;
    }
    boolean statelessEra = TransportRules.isStateless(ctx.request().headers(), message);
    Exchange.of(ctx).span = MessageSpan.start(tracing, message, statelessEra, ctx.request().getHeader(McpProtocol.Headers.PROTOCOL_VERSION));
    if (ctx.get(PortalRoute.PORTAL_KEY) != null) portals.handle(ctx, message, statelessEra);
    else if (statelessEra) stateless.handle(ctx, message);
    else sessions.handle(ctx, message);
  }

  /** GET: a session's server-to-client stream. */
  private void get(RoutingContext ctx) {
    Exchange.of(ctx).method = "stream";
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && !accept.toLowerCase(Locale.ROOT).contains(McpProtocol.Headers.EVENT_STREAM) && !accept.contains("*/*")) {
      McpReplies.error(ctx.response(), 406, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Accept must include text/event-stream");
      return;
    }
    AgentEventStream.closeAtShutdown(ctx);
    sessions.stream(ctx);
  }

  private static boolean acceptsJsonAndStream(String accept) {
    if (accept == null) return true; // lenient: a client that sends no Accept takes what it gets
    String lower = accept.toLowerCase(Locale.ROOT);
    if (lower.contains("*/*")) return true;
    return lower.contains(McpProtocol.Headers.JSON) && lower.contains(McpProtocol.Headers.EVENT_STREAM);
  }
}
