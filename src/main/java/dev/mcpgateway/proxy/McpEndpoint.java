package dev.mcpgateway.proxy;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.logging.AccessLog;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.LimitSettings;
import dev.mcpgateway.security.RateLimiter;
import dev.mcpgateway.security.TokenSet;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.sync.CapabilitySync;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The agent-facing MCP endpoint, {@code /mcp/{account_id}/{server_id}}: MCP Streamable HTTP toward
 * agents, the server's own transport and credentials toward its upstream. See {@code README.md}
 * in this package for the shape of the flow.
 */
public final class McpEndpoint {
  public static final String PATH = "/mcp/:account_id/:server_id";
  private final TokenSet<ClientToken> clients;
  private final GatewayMetrics metrics;
  private final AuthThrottle authFailures;
  private final RateLimits rateLimits;
  private final ProxySettings settings;
  private final LocalSessions local;
  private final SessionBinder binder;
  private final SessionOpener opener;
  private final UpstreamForwarder upstream;
  private final ModernRequests modern;
  private final CapabilitySync sync;

  public McpEndpoint(Vertx vertx, GatewayMetrics metrics, LimitSettings limits, AuthThrottle authFailures, TokenSet<ClientToken> clients, SessionCodec sessions, CapabilityCache cache,
      CapabilitySync sync, McpClient client, UpstreamAuths auths, ProxySettings settings, Clock clock) {
    this.clients = clients;
    this.sync = sync;
    this.settings = settings;
    this.authFailures = authFailures;
    this.rateLimits = new RateLimits(new RateLimiter(limits.clientRps(), limits.clientBurst(), System::nanoTime),
        new RateLimiter(limits.accountRps(), limits.accountBurst(), System::nanoTime));
    this.metrics = metrics;
    this.local = new LocalSessions(vertx, settings.sessionIdle());
    UpstreamRelay relay = new UpstreamRelay(vertx, metrics, settings, client.limits().maxResponseBytes(), client.limits().requestTimeoutMs());
    StatelessUpstream stateless = new StatelessUpstream(vertx, client.channel(), auths);
    this.upstream = new UpstreamForwarder(vertx, client, auths, relay, stateless, settings.keepAlive().toMillis(), cache, sync, local);
    local.whenEvicted(upstream::end);
    io.micrometer.core.instrument.Gauge.builder("mcp_gateway_sessions_active", local, LocalSessions::size)
        .description("agent sessions this replica has seen in their idle window").register(metrics.registry());
    this.binder = new SessionBinder(sessions, cache, local, settings, clock);
    this.opener = new SessionOpener(vertx, sessions, cache, client, auths, local, clock);
    this.modern = new ModernRequests(vertx, cache, client, auths, settings, stateless, relay, upstream::watchListChanges, sync::servesFromCache);
  }

  public void mount(Router router) {
    router.route(PATH).handler(ctx -> {
      Exchange exchange = Exchange.of(ctx);
      ctx.addEndHandler(v -> record(ctx, exchange));
      ctx.next();
    });
    router.route(PATH).handler(this::checkOrigin);
    router.route(PATH).handler(new ClientAuthHandler(clients, authFailures));
    router.route(PATH).handler(rateLimits);
    router.post(PATH).handler(this::post);
    router.get(PATH).handler(this::get);
    router.delete(PATH).handler(this::delete);
    router.route(PATH).handler(ctx -> {
      ctx.response().putHeader("Allow", "GET, POST, DELETE");
      McpReplies.error(ctx.response(), 405, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "method not allowed");
    });
  }

  /**
   * With allowed origins configured, a request from any other browser origin is refused (403),
   * as the 2025-11-25 transport asks against DNS rebinding. Requests without Origin (agents that
   * are not browsers) are not affected.
   */
  private void checkOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !settings.allowedOrigins().isEmpty() && !settings.allowedOrigins().contains(origin)) {
      Exchange.of(ctx).outcome("rejected");
      McpReplies.error(ctx.response(), 403, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "origin not allowed");
      return;
    }
    ctx.next();
  }

  /** Records the message's metrics once its response has ended. */
  private void record(RoutingContext ctx, Exchange exchange) {
    long end = System.nanoTime();
    if (ctx.response().getStatusCode() >= 400) exchange.outcome("rejected");
    metrics.mcpRequest(exchange.account, exchange.server, exchange.method, exchange.outcome, end - exchange.startNanos,
        exchange.upstreamNanos(end));
    if (exchange.kind != null) metrics.capabilityUse(exchange.account, exchange.server, exchange.kind, exchange.exposedName, exchange.outcome);
    AccessLog.mcp(exchange.account, exchange.server, GatewayMetrics.method(exchange.method), exchange.kind == null ? null : exchange.exposedName,
        ctx.response().getStatusCode(), exchange.outcome, end - exchange.startNanos, ctx.request().getHeader(McpProtocol.Headers.SESSION_ID));
  }

  /** Ends every session this replica holds, upstream too (at shutdown). */
  public Future<Void> endAllSessions() {
    modern.endAll();
    return local.drain(upstream::end);
  }

  /** Sessions this replica is tracking (for tests and, later, metrics). */
  public long localSessions() {
    return local.size();
  }

  // ---------------------------------------------------------------- POST: every agent message

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
          + StringsForLogs.clip(version) + " (supported: " + String.join(", ", McpProtocol.SUPPORTED_VERSIONS) + ")");
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
    if (decoded instanceof io.vertx.core.json.JsonArray) {
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
    if (ModernRequests.isModern(ctx.request(), message)) {
      modern.handle(ctx, message);
      return;
    }
    Exchange.of(ctx).method = JsonRpc.isRequest(message) ? message.getString("method")
        : message.getValue("method") instanceof String ? "notification" : "response";
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (JsonRpc.isRequest(message) && McpProtocol.Methods.INITIALIZE.equals(message.getString("method"))) {
      opener.initialize(ctx, message);
      return;
    }
    if (sessionId == null) {
      McpReplies.error(response, 400, message.getValue("id"), McpProtocol.ErrorCodes.INVALID_REQUEST,
          "Mcp-Session-Id header required: initialize first");
      return;
    }
    binder.bind(ctx, sessionId).onSuccess(bound -> {
      if (bound != null) dispatch(ctx, bound, message);
    });
  }

  /** A session bound to the current server: its token, capabilities and (legacy) local entry. */
  private void dispatch(RoutingContext ctx, BoundSession bound, JsonObject message) {
    if (!JsonRpc.isRequest(message)) {
      upstream.forwardWithoutAnswer(ctx, bound, message);
      return;
    }
    Object id = message.getValue("id");
    Capabilities capabilities = bound.capabilities();
    String method = message.getString("method");
    boolean synced = capabilities.server().lastSuccessfulSync() != null && sync.servesFromCache(capabilities.server(), method);
    switch (method) {
      case McpProtocol.Methods.TOOLS_LIST -> {
        if (synced) McpReplies.json(ctx.response(), 200, JsonRpc.result(id, new JsonObject().put("tools", capabilities.exposedTools())));
        else upstream.forward(ctx, bound, message, ListRewrites.tools(capabilities));
      }
      case McpProtocol.Methods.PROMPTS_LIST -> {
        if (synced) McpReplies.json(ctx.response(), 200, JsonRpc.result(id, new JsonObject().put("prompts", capabilities.exposedPrompts())));
        else upstream.forward(ctx, bound, message, ListRewrites.prompts(capabilities));
      }
      case McpProtocol.Methods.TOOLS_CALL, McpProtocol.Methods.PROMPTS_GET -> {
        CallNames.Kind kind = method.equals(McpProtocol.Methods.TOOLS_CALL) ? CallNames.Kind.TOOL : CallNames.Kind.PROMPT;
        if (CallNames.admit(ctx.response(), Exchange.of(ctx), message, capabilities, kind)) {
          upstream.forward(ctx, bound, message, UnaryOperator.identity());
        }
      }
      default -> upstream.forward(ctx, bound, message, UnaryOperator.identity());
    }
  }

  // ---------------------------------------------------------------- initialize: a new session

  // ---------------------------------------------------------------- GET and DELETE

  private void get(RoutingContext ctx) {
    Exchange.of(ctx).method = "stream";
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && !accept.toLowerCase(Locale.ROOT).contains(McpProtocol.Headers.EVENT_STREAM) && !accept.contains("*/*")) {
      McpReplies.error(ctx.response(), 406, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Accept must include text/event-stream");
      return;
    }
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header required");
      return;
    }
    binder.bind(ctx, sessionId).onSuccess(bound -> {
      if (bound == null) return;
      upstream.openStream(ctx, bound);
    });
  }

  private void delete(RoutingContext ctx) {
    Exchange.of(ctx).method = "delete";
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header required");
      return;
    }
    binder.bind(ctx, sessionId).onSuccess(bound -> {
      if (bound == null) return;
      LocalSessions.Entry entry = local.remove(sessionId);
      upstream.end(entry != null ? entry : new LocalSessions.Entry(bound.token(), null))
          .onComplete(r -> ctx.response().setStatusCode(200).end());
    });
  }

  private static boolean acceptsJsonAndStream(String accept) {
    if (accept == null) return true; // lenient: a client that sends no Accept takes what it gets
    String lower = accept.toLowerCase(Locale.ROOT);
    if (lower.contains("*/*")) return true;
    return lower.contains(McpProtocol.Headers.JSON) && lower.contains(McpProtocol.Headers.EVENT_STREAM);
  }
}
