package dev.mcpgateway.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Agents of the stateless era (MCP 2026-07-28) on the same endpoint as everyone else: no session,
 * no {@code initialize}; every request carries its protocol version, client capabilities and
 * mirrored headers ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}). The
 * gateway validates the headers against the body as the specification asks of any server that
 * reads the body (400 {@code -32020} on a mismatch, {@code -32022} with the supported versions),
 * answers {@code server/discover} and the lists from the capability cache, applies aliases and
 * disabled flags, and forwards the rest to the upstream over a session-based connection it opens
 * and keeps itself (one per server and client token, ended after the idle period), re-opened once
 * when the upstream forgot it. Answers are plain JSON with {@code resultType: "complete"}.
 */
final class ModernRequests {
  static final String VERSION = "2026-07-28";
  static final List<String> MODERN_VERSIONS = List.of(VERSION);
  static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
  static final String META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
  static final String META_PREFIX = "io.modelcontextprotocol/";
  static final String METHOD_HEADER = "Mcp-Method";
  static final String NAME_HEADER = "Mcp-Name";
  static final int HEADER_MISMATCH = -32020;
  static final int UNSUPPORTED_VERSION = -32022;
  static final String DISCOVER = "server/discover";
  private static final Set<String> NAMED = Set.of(McpProtocol.Methods.TOOLS_CALL, McpProtocol.Methods.PROMPTS_GET, "resources/read");
  /** Requests of the 2026-07-28 client union that the gateway forwards as they are. */
  private static final Set<String> FORWARDED = Set.of("resources/list", "resources/templates/list", "resources/read", "completion/complete");

  private final CapabilityCache cache;
  private final McpClient client;
  private final UpstreamAuths auths;
  private final Cache<String, Future<McpSession>> upstreamSessions;

  ModernRequests(CapabilityCache cache, McpClient client, UpstreamAuths auths, ProxySettings settings) {
    this.cache = cache;
    this.client = client;
    this.auths = auths;
    this.upstreamSessions = Caffeine.newBuilder()
        .expireAfterAccess(settings.sessionIdle())
        .maximumSize(10_000)
        .removalListener((String key, Future<McpSession> session, RemovalCause cause) -> {
          if (session != null) session.onSuccess(McpSession::close);
        })
        .build();
  }

  /** Whether {@code message} (or its headers) speaks the stateless era. */
  static boolean isModern(HttpServerRequest request, JsonObject message) {
    String header = request.getHeader(McpProtocol.Headers.PROTOCOL_VERSION);
    if (header != null && header.compareTo(McpProtocol.LATEST_VERSION) > 0) return true;
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : null;
    JsonObject meta = params != null && params.getValue("_meta") instanceof JsonObject m ? m : null;
    return meta != null && meta.containsKey(META_VERSION);
  }

  void handle(RoutingContext ctx, JsonObject message) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    Exchange exchange = Exchange.of(ctx);
    exchange.method = method == null ? "response" : method;
    Optional<JsonObject> refusal = validate(ctx.request(), message);
    if (refusal.isPresent()) {
      exchange.outcome("rejected");
      JsonObject error = refusal.get();
      McpReplies.json(ctx.response(), error.getInteger("status"), McpReplies.error(id, error.getInteger("code"),
          error.getString("message"), error.getJsonObject("data")));
      return;
    }
    if (id == null) { // a notification: this revision defines none from clients; accepted and dropped
      ctx.response().setStatusCode(202).end();
      return;
    }
    ClientToken token = ctx.get(ClientAuthHandler.CLIENT_KEY);
    String account = ctx.pathParam("account_id");
    String serverId = ctx.pathParam("server_id");
    cache.get(account, serverId).onFailure(e -> {
      if (e instanceof ServerNotFoundException) {
        McpReplies.error(ctx.response(), 404, id, McpProtocol.ErrorCodes.INVALID_REQUEST, "no MCP server '" + serverId + "' in this account");
      } else {
        McpReplies.error(ctx.response(), 503, id, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable");
      }
    }).onSuccess(capabilities -> {
      exchange.serverKnown(account, serverId);
      dispatch(ctx, capabilities, token.name(), message);
    });
  }

  private void dispatch(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    boolean synced = capabilities.server().lastSuccessfulSync() != null;
    switch (method) {
      case DISCOVER -> reply(ctx, id, discover(capabilities));
      case McpProtocol.Methods.TOOLS_LIST -> {
        if (synced) reply(ctx, id, cacheable(new JsonObject().put("tools", capabilities.exposedTools())));
        else forward(ctx, capabilities, client, message, ListRewrites.tools(capabilities));
      }
      case McpProtocol.Methods.PROMPTS_LIST -> {
        if (synced) reply(ctx, id, cacheable(new JsonObject().put("prompts", capabilities.exposedPrompts())));
        else forward(ctx, capabilities, client, message, ListRewrites.prompts(capabilities));
      }
      case McpProtocol.Methods.TOOLS_CALL, McpProtocol.Methods.PROMPTS_GET -> {
        CallNames.Kind kind = method.equals(McpProtocol.Methods.TOOLS_CALL) ? CallNames.Kind.TOOL : CallNames.Kind.PROMPT;
        if (CallNames.admit(ctx.response(), Exchange.of(ctx), message, capabilities, kind)) {
          forward(ctx, capabilities, client, message, UnaryOperator.identity());
        }
      }
      default -> {
        if (FORWARDED.contains(method)) {
          forward(ctx, capabilities, client, message, UnaryOperator.identity());
        } else {
          Exchange.of(ctx).outcome("rejected");
          McpReplies.json(ctx.response(), 404, McpReplies.error(id, McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
              "Method not found: " + StringsForLogs.clip(method), null));
        }
      }
    }
  }

  /** Over the upstream session this (server, client) keeps; a session the upstream forgot (404) is opened again, once. */
  private void forward(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    JsonObject params = upstreamParams(message.getJsonObject("params"));
    String key = capabilities.server().accountId() + "/" + capabilities.server().id() + "/" + client + "@" + capabilities.server().hostname();
    Exchange.of(ctx).upstreamAsked();
    session(key, capabilities, client)
        .compose(session -> session.request(method, params))
        .recover(failure -> {
          if (!(failure instanceof McpClientException.HttpStatus status && status.status() == 404)) return Future.failedFuture(failure);
          upstreamSessions.invalidate(key);
          return session(key, capabilities, client).compose(session -> session.request(method, params));
        })
        .onSuccess(result -> {
          JsonObject rewritten = rewrite.apply(JsonRpc.result(id, result));
          reply(ctx, id, rewritten.getJsonObject("result").put("resultType", "complete"));
        })
        .onFailure(failure -> {
          if (failure instanceof McpClientException.RpcError rpc) {
            Exchange.of(ctx).outcome("mcp_error");
            McpReplies.json(ctx.response(), 200, McpReplies.error(id, rpc.code(), rpc.getMessage(), null));
          } else {
            if (!(failure instanceof McpClientException.NotAuthorized)) upstreamSessions.invalidate(key);
            McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, failure);
          }
        });
  }

  private Future<McpSession> session(String key, Capabilities capabilities, String client) {
    Future<McpSession> session = upstreamSessions.get(key, k -> client(capabilities, client));
    return session.recover(failure -> {
      upstreamSessions.asMap().remove(key, session); // a failed open is not kept
      return Future.failedFuture(failure);
    });
  }

  private Future<McpSession> client(Capabilities capabilities, String client) {
    return client(capabilities.server().hostname(), auths.forAgent(capabilities.server(), client));
  }

  private Future<McpSession> client(String hostname, dev.mcpgateway.upstream.UpstreamAuth auth) {
    return this.client.connect(hostname, auth);
  }

  /** The request's params as a legacy upstream takes them: the stateless era's {@code _meta} keys removed (progressToken stays). */
  static JsonObject upstreamParams(JsonObject params) {
    JsonObject copy = params == null ? new JsonObject() : params.copy();
    if (copy.getValue("_meta") instanceof JsonObject meta) {
      meta.fieldNames().removeIf(k -> k.startsWith(META_PREFIX));
      if (meta.isEmpty()) copy.remove("_meta");
    }
    return copy;
  }

  /** {@code server/discover} from the cache: what the server offers, as agents see it. */
  private static JsonObject discover(Capabilities capabilities) {
    JsonObject offered = new JsonObject().put("tools", new JsonObject().put("listChanged", true));
    if (!capabilities.server().prompts().isEmpty()) offered.put("prompts", new JsonObject().put("listChanged", true));
    return cacheable(new JsonObject().put("supportedVersions", new JsonArray(MODERN_VERSIONS)).put("capabilities", offered))
        .put("_meta", new JsonObject().put("io.modelcontextprotocol/serverInfo", new JsonObject()
            .put("name", capabilities.server().name()).put("version", "mcp-gateway")));
  }

  /**
   * A list-like result as the stateless era wants it. {@code private}: what agents see depends on
   * the account's overrides (and, for on-behalf servers, on who asks), so shared caches must not
   * serve it across authorization contexts; {@code ttlMs} 0 since a sync may change it any time.
   */
  private static JsonObject cacheable(JsonObject result) {
    return result.put("resultType", "complete").put("ttlMs", 0).put("cacheScope", "private");
  }

  private static void reply(RoutingContext ctx, Object id, JsonObject result) {
    McpReplies.json(ctx.response(), 200, JsonRpc.result(id, result));
  }

  /** The header rules of the 2026-07-28 transport; empty when the request may proceed, else {status, code, message, data}. */
  static Optional<JsonObject> validate(HttpServerRequest request, JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    String header = request.getHeader(McpProtocol.Headers.PROTOCOL_VERSION);
    Object bodyVersion = meta.getValue(META_VERSION);
    if (header == null || !header.equals(bodyVersion)) {
      return Optional.of(refusal(400, HEADER_MISMATCH, "MCP-Protocol-Version must be present and equal _meta's protocolVersion", null));
    }
    if (!MODERN_VERSIONS.contains(header)) {
      return Optional.of(refusal(400, UNSUPPORTED_VERSION, "unsupported protocol version", new JsonObject()
          .put("supported", new JsonArray(new java.util.ArrayList<>(MODERN_VERSIONS)).addAll(new JsonArray(McpProtocol.SUPPORTED_VERSIONS)))
          .put("requested", StringsForLogs.clip(header))));
    }
    String method = message.getValue("method") instanceof String m ? m : null;
    if (method != null && !method.equals(request.getHeader(METHOD_HEADER))) {
      return Optional.of(refusal(400, HEADER_MISMATCH, "the Mcp-Method header must equal the body's method", null));
    }
    if (method != null && NAMED.contains(method)) {
      Object name = params.getValue(method.equals("resources/read") ? "uri" : "name");
      String decoded = decodeHeader(request.getHeader(NAME_HEADER));
      if (!(name instanceof String) || !name.equals(decoded)) {
        return Optional.of(refusal(400, HEADER_MISMATCH, "the Mcp-Name header must equal the body's name", null));
      }
    }
    if (message.containsKey("id") && !(meta.getValue(META_CAPABILITIES) instanceof JsonObject)) {
      return Optional.of(refusal(400, McpProtocol.ErrorCodes.INVALID_PARAMS,
          "_meta must carry io.modelcontextprotocol/clientCapabilities", null));
    }
    return Optional.empty();
  }

  /** A mirrored header value: as is, or {@code =?base64?...?=} for values that are not plain ASCII. */
  static String decodeHeader(String value) {
    if (value == null) return null;
    if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
      try {
        return new String(Base64.getDecoder().decode(value.substring(9, value.length() - 2)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        return null;
      }
    }
    return value;
  }

  private static JsonObject refusal(int status, int code, String message, JsonObject data) {
    return new JsonObject().put("status", status).put("code", code).put("message", message).put("data", data);
  }

  /** Ends every upstream session kept for modern agents (at shutdown). */
  void endAll() {
    upstreamSessions.invalidateAll();
  }
}
