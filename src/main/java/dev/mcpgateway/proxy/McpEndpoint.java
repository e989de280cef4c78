package dev.mcpgateway.proxy;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.LegacySseSession;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.TokenSet;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.sync.CapabilitySync;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The agent-facing MCP endpoint, {@code /mcp/{account_id}/{server_id}}: MCP Streamable HTTP toward
 * agents, the server's own transport and credentials toward its upstream. See {@code README.md}
 * in this package for the shape of the flow.
 */
public final class McpEndpoint {
  public static final String PATH = "/mcp/:account_id/:server_id";
  private static final Set<Integer> LEGACY_HINTS = Set.of(400, 404, 405);

  private final TokenSet<ClientToken> clients;
  private final SessionCodec sessions;
  private final CapabilityCache cache;
  private final CapabilitySync sync;
  private final McpClient client;
  private final StreamableHttpChannel channel;
  private final UpstreamAuths auths;
  private final ProxySettings settings;
  private final Clock clock;
  private final UpstreamRelay relay;
  private final LocalSessions local;
  private final Vertx vertx;

  public McpEndpoint(Vertx vertx, TokenSet<ClientToken> clients, SessionCodec sessions, CapabilityCache cache,
      CapabilitySync sync, McpClient client, UpstreamAuths auths, ProxySettings settings, Clock clock) {
    this.vertx = vertx;
    this.clients = clients;
    this.sessions = sessions;
    this.cache = cache;
    this.sync = sync;
    this.client = client;
    this.channel = client.channel();
    this.auths = auths;
    this.settings = settings;
    this.clock = clock;
    this.relay = new UpstreamRelay(vertx, settings, client.limits().maxResponseBytes(), client.limits().requestTimeoutMs());
    this.local = new LocalSessions(vertx, settings.sessionIdle(), this::endUpstream);
  }

  public void mount(Router router) {
    router.route(PATH).handler(new ClientAuthHandler(clients));
    router.post(PATH).handler(this::post);
    router.get(PATH).handler(this::get);
    router.delete(PATH).handler(this::delete);
    router.route(PATH).handler(ctx -> {
      ctx.response().putHeader("Allow", "GET, POST, DELETE");
      McpReplies.error(ctx.response(), 405, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "method not allowed");
    });
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
    if (version != null && !McpProtocol.SUPPORTED_VERSIONS.contains(version)) {
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
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (JsonRpc.isRequest(message) && McpProtocol.Methods.INITIALIZE.equals(message.getString("method"))) {
      initialize(ctx, message);
      return;
    }
    if (sessionId == null) {
      McpReplies.error(response, 400, message.getValue("id"), McpProtocol.ErrorCodes.INVALID_REQUEST,
          "Mcp-Session-Id header required: initialize first");
      return;
    }
    session(ctx, sessionId).onSuccess(bound -> {
      if (bound != null) dispatch(ctx, bound, message);
    });
  }

  /** A session bound to the current server: its token, capabilities and (legacy) local entry. */
  private record Bound(String sessionId, SessionToken token, Capabilities capabilities, LocalSessions.Entry entry) {
    StreamableHttpChannel.Target target(java.util.Map<String, String> auth) {
      return new StreamableHttpChannel.Target(token.hostname(), auth, token.upstreamSessionId(), token.protocolVersion());
    }
  }

  /**
   * Opens the agent's session id, or answers 404: tampered, foreign (another account, server or
   * client token), too old, for a server that moved or is gone, or a legacy session this replica
   * does not hold. Answers null when it has replied itself.
   */
  private Future<Bound> session(RoutingContext ctx, String sessionId) {
    ClientToken client = ctx.get(ClientAuthHandler.CLIENT_KEY);
    String account = ctx.pathParam("account_id");
    String server = ctx.pathParam("server_id");
    Optional<SessionToken> opened = sessions.decode(sessionId).filter(t -> t.accountId().equals(account)
        && t.serverId().equals(server) && t.client().equals(client.name())
        && !t.issuedAt().plus(settings.sessionMaxAge()).isBefore(clock.instant()));
    if (opened.isEmpty()) return notFound(ctx);
    SessionToken token = opened.get();
    LocalSessions.Entry entry = token.transport() == McpSession.Transport.LEGACY_SSE
        ? local.get(sessionId) : local.touch(sessionId, token);
    if (entry == null) return notFound(ctx);
    return cache.get(account, server).map(capabilities -> {
      if (!capabilities.server().hostname().equals(token.hostname())) {
        notFound(ctx);
        return null;
      }
      return new Bound(sessionId, token, capabilities, entry);
    }).recover(e -> {
      if (e instanceof ServerNotFoundException) return notFound(ctx);
      McpReplies.error(ctx.response(), 503, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable");
      return Future.succeededFuture(null);
    });
  }

  private static Future<Bound> notFound(RoutingContext ctx) {
    McpReplies.error(ctx.response(), 404, null, McpReplies.SESSION_NOT_FOUND, "session not found: initialize a new session");
    return Future.succeededFuture(null);
  }

  private void dispatch(RoutingContext ctx, Bound bound, JsonObject message) {
    if (!JsonRpc.isRequest(message)) {
      forwardWithoutAnswer(ctx, bound, message);
      return;
    }
    Object id = message.getValue("id");
    Capabilities capabilities = bound.capabilities();
    boolean synced = capabilities.server().lastSuccessfulSync() != null;
    String method = message.getString("method");
    switch (method) {
      case McpProtocol.Methods.TOOLS_LIST -> {
        if (synced) McpReplies.json(ctx.response(), 200, JsonRpc.result(id, new JsonObject().put("tools", capabilities.exposedTools())));
        else forward(ctx, bound, message, ListRewrites.tools(capabilities));
      }
      case McpProtocol.Methods.PROMPTS_LIST -> {
        if (synced) McpReplies.json(ctx.response(), 200, JsonRpc.result(id, new JsonObject().put("prompts", capabilities.exposedPrompts())));
        else forward(ctx, bound, message, ListRewrites.prompts(capabilities));
      }
      case McpProtocol.Methods.TOOLS_CALL -> call(ctx, bound, message, CallNames.Kind.TOOL, "Unknown tool: ");
      case McpProtocol.Methods.PROMPTS_GET -> call(ctx, bound, message, CallNames.Kind.PROMPT, "Unknown prompt: ");
      default -> forward(ctx, bound, message, UnaryOperator.identity());
    }
  }

  /** Maps the exposed name to the upstream one in place, or refuses without reaching upstream. */
  private void call(RoutingContext ctx, Bound bound, JsonObject message, CallNames.Kind kind, String refusal) {
    JsonObject params = message.getJsonObject("params");
    String exposed = params == null || !(params.getValue("name") instanceof String name) ? null : name;
    Optional<String> upstreamName = CallNames.resolve(exposed, bound.capabilities(), kind);
    if (upstreamName.isEmpty()) {
      McpReplies.json(ctx.response(), 200, McpReplies.error(message.getValue("id"), McpProtocol.ErrorCodes.INVALID_PARAMS,
          refusal + (exposed == null ? "(no name)" : StringsForLogs.clip(exposed)), null));
      return;
    }
    params.put("name", upstreamName.get());
    forward(ctx, bound, message, UnaryOperator.identity());
  }

  /** Forwards a request and relays its answer, JSON or stream, rewriting messages on the way back. */
  private void forward(RoutingContext ctx, Bound bound, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    UnaryOperator<JsonObject> onTheWayBack = m -> rewrite.apply(watchListChanges(bound, m));
    if (bound.entry().legacy != null) {
      forwardLegacy(ctx, bound, message, onTheWayBack);
      return;
    }
    HttpServerResponse response = ctx.response();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long requestTimeout = client.limits().requestTimeoutMs();
    // until the upstream's answer begins; after that the relay's idle limit takes over
    long headTimer = vertx.setTimer(requestTimeout, t -> {
      McpReplies.upstreamFailure(response, id, new McpClientException.Unreachable(
          "upstream did not answer within " + requestTimeout + " ms", null));
      if (sent[0] != null) sent[0].reset();
    });
    auths.forServer(bound.capabilities().server()).headers()
        .compose(auth -> channel.post(bound.target(auth)))
        .compose(request -> {
          sent[0] = request;
          return request.send(message.toBuffer());
        })
        .onComplete(r -> vertx.cancelTimer(headTimer))
        .onSuccess(upstream -> {
          if (upstream.statusCode() == 404 && bound.token().upstreamSessionId() != null) {
            upstream.body();
            McpReplies.error(response, 404, id, McpReplies.SESSION_NOT_FOUND, "session expired upstream: initialize a new session");
          } else if (upstream.statusCode() >= 300) {
            McpClientException failure = StreamableHttpChannel.status(upstream);
            upstream.body();
            McpReplies.upstreamFailure(response, id, failure);
          } else {
            relay.relay(upstream, response, id, onTheWayBack, () -> cancelUpstream(bound, id));
          }
        })
        .onFailure(e -> McpReplies.upstreamFailure(response, id, StreamableHttpChannel.classify(e)));
    response.closeHandler(v -> {
      // the agent left before the upstream even answered: drop the call and tell the upstream
      if (sent[0] != null && !response.ended()) {
        sent[0].reset();
        cancelUpstream(bound, id);
      }
    });
  }

  private void forwardLegacy(RoutingContext ctx, Bound bound, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    LegacySseSession legacy = bound.entry().legacy;
    legacy.request(message.getString("method"), message.getJsonObject("params"))
        .onSuccess(result -> McpReplies.json(ctx.response(), 200, rewrite.apply(JsonRpc.result(id, result))))
        .onFailure(e -> {
          if (e instanceof McpClientException.RpcError rpc) {
            McpReplies.json(ctx.response(), 200, McpReplies.error(id, rpc.code(), rpc.getMessage(), null));
          } else {
            McpReplies.upstreamFailure(ctx.response(), id, e);
          }
        });
  }

  /** Notifications and the agent's responses to server requests: forwarded, answered 202. */
  private void forwardWithoutAnswer(RoutingContext ctx, Bound bound, JsonObject message) {
    HttpServerResponse response = ctx.response();
    Future<Integer> sent = bound.entry().legacy != null
        ? bound.entry().legacy.post(message).map(202)
        : auths.forServer(bound.capabilities().server()).headers()
            .compose(auth -> channel.send(bound.target(auth), message.toBuffer()));
    sent.onSuccess(status -> {
      if (status == 404 && bound.token().upstreamSessionId() != null) {
        McpReplies.error(response, 404, null, McpReplies.SESSION_NOT_FOUND, "session expired upstream: initialize a new session");
      } else if (status >= 300) {
        McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "upstream answered HTTP " + status);
      } else {
        response.setStatusCode(202).end();
      }
    }).onFailure(e -> McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, e.getMessage()));
  }

  /** An upstream list change: the cache forgets the server, a resync starts, the agent is told too. */
  private JsonObject watchListChanges(Bound bound, JsonObject message) {
    String method = message.getString("method");
    if ("notifications/tools/list_changed".equals(method) || "notifications/prompts/list_changed".equals(method)) {
      cache.invalidate(dev.mcpgateway.model.ServerKey.of(bound.capabilities().server()));
      sync.sync(bound.token().accountId(), bound.token().serverId());
    }
    return message;
  }

  private void cancelUpstream(Bound bound, Object id) {
    JsonObject cancelled = JsonRpc.notification("notifications/cancelled",
        new JsonObject().put("requestId", id).put("reason", "the client disconnected from the gateway"));
    if (bound.entry().legacy != null) {
      bound.entry().legacy.post(cancelled);
      return;
    }
    auths.forServer(bound.capabilities().server()).headers()
        .compose(auth -> channel.send(bound.target(auth), cancelled.toBuffer()));
  }

  // ---------------------------------------------------------------- initialize: a new session

  private void initialize(RoutingContext ctx, JsonObject message) {
    ClientToken clientToken = ctx.get(ClientAuthHandler.CLIENT_KEY);
    String account = ctx.pathParam("account_id");
    String serverId = ctx.pathParam("server_id");
    HttpServerResponse response = ctx.response();
    Object id = message.getValue("id");
    cache.get(account, serverId).onFailure(e -> {
      if (e instanceof ServerNotFoundException) {
        McpReplies.error(response, 404, id, McpProtocol.ErrorCodes.INVALID_REQUEST, "no MCP server '" + serverId + "' in this account");
      } else {
        McpReplies.error(response, 503, id, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable");
      }
    }).onSuccess(capabilities -> {
      var server = capabilities.server();
      if (client.rememberedTransport(server.hostname()) == McpSession.Transport.LEGACY_SSE) {
        initializeLegacy(ctx, capabilities, message, clientToken);
        return;
      }
      auths.forServer(server).headers()
          .compose(auth -> channel.post(new StreamableHttpChannel.Target(server.hostname(), auth, null, null)))
          .compose(request -> request.send(message.toBuffer()))
          .compose(upstream -> {
            if (LEGACY_HINTS.contains(upstream.statusCode())) {
              upstream.body();
              return Future.succeededFuture((InitializeAnswer) null);
            }
            if (upstream.statusCode() >= 300) {
              McpClientException failure = StreamableHttpChannel.status(upstream);
              upstream.body();
              return Future.failedFuture(failure);
            }
            String upstreamSession = upstream.getHeader(McpProtocol.Headers.SESSION_ID);
            return FinalResponse.read(upstream, id, client.limits()).map(answer -> new InitializeAnswer(answer, upstreamSession));
          })
          .onSuccess(answer -> {
            if (answer == null) {
              initializeLegacy(ctx, capabilities, message, clientToken);
              return;
            }
            completeInitialize(ctx, capabilities, clientToken, answer.message(), answer.upstreamSession(),
                McpSession.Transport.STREAMABLE_HTTP, null);
          })
          .onFailure(e -> McpReplies.upstreamFailure(response, id, StreamableHttpChannel.classify(e)));
    });
  }

  private record InitializeAnswer(JsonObject message, String upstreamSession) {}

  private void initializeLegacy(RoutingContext ctx, Capabilities capabilities, JsonObject message, ClientToken clientToken) {
    Object id = message.getValue("id");
    LocalSessions.Entry[] entry = new LocalSessions.Entry[1];
    client.openLegacy(capabilities.server().hostname(), auths.forServer(capabilities.server()), message.getJsonObject("params"),
            serverMessage -> {
              // server requests and notifications of a legacy upstream go to the agent's GET stream
              HttpServerResponse stream = entry[0] == null ? null : entry[0].agentStream;
              if (stream != null && !stream.ended()) stream.write("event: message\ndata: " + serverMessage.encode() + "\n\n");
            })
        .onSuccess(session -> {
          entry[0] = new LocalSessions.Entry(null, (LegacySseSession) session);
          completeInitialize(ctx, capabilities, clientToken, JsonRpc.result(id, session.initializeResult()), null,
              McpSession.Transport.LEGACY_SSE, entry[0]);
        })
        .onFailure(e -> McpReplies.upstreamFailure(ctx.response(), id, e));
  }

  private void completeInitialize(RoutingContext ctx, Capabilities capabilities, ClientToken clientToken, JsonObject answer,
      String upstreamSession, McpSession.Transport transport, LocalSessions.Entry legacyEntry) {
    Object id = answer.getValue("id");
    JsonObject result = answer.getJsonObject("result");
    if (result == null) {
      McpReplies.json(ctx.response(), 200, answer); // the upstream refused initialize: its error, as is
      return;
    }
    Future<String> version = McpClient.negotiated(result);
    if (version.failed()) {
      McpReplies.upstreamFailure(ctx.response(), id, version.cause());
      return;
    }
    var server = capabilities.server();
    SessionToken token = new SessionToken(server.accountId(), server.id(), server.hostname(), upstreamSession, version.result(),
        clientToken.name(), transport, clock.instant());
    String sessionId = sessions.encode(token);
    if (legacyEntry != null) local.put(sessionId, new LocalSessions.Entry(token, legacyEntry.legacy));
    else local.touch(sessionId, token);
    if (legacyEntry != null) legacyEntry.agentStream = null;
    ctx.response().putHeader(McpProtocol.Headers.SESSION_ID, sessionId);
    McpReplies.json(ctx.response(), 200, answer);
  }

  // ---------------------------------------------------------------- GET and DELETE

  private void get(RoutingContext ctx) {
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
    session(ctx, sessionId).onSuccess(bound -> {
      if (bound == null) return;
      HttpServerResponse response = ctx.response();
      if (bound.entry().legacy != null) {
        LocalSessions.Entry entry = local.get(sessionId);
        response.setStatusCode(200).putHeader("Content-Type", McpProtocol.Headers.EVENT_STREAM).setChunked(true).write(": mcp-gateway\n\n");
        entry.agentStream = response;
        return;
      }
      auths.forServer(bound.capabilities().server()).headers()
          .compose(auth -> channel.get(bound.target(auth), ctx.request().getHeader(McpProtocol.Headers.LAST_EVENT_ID)))
          .compose(HttpClientRequest::send)
          .onSuccess(upstream -> {
            if (upstream.statusCode() != 200) {
              upstream.body();
              McpReplies.error(response, upstream.statusCode() == 404 ? 404 : upstream.statusCode() == 405 ? 405 : 502, null,
                  McpProtocol.ErrorCodes.INVALID_REQUEST, "upstream answered the stream request with HTTP " + upstream.statusCode());
              return;
            }
            relay.relay(upstream, response, null, m -> watchListChanges(bound, m), () -> { });
          })
          .onFailure(e -> McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR,
              StreamableHttpChannel.classify(e).getMessage()));
    });
  }

  private void delete(RoutingContext ctx) {
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header required");
      return;
    }
    session(ctx, sessionId).onSuccess(bound -> {
      if (bound == null) return;
      LocalSessions.Entry entry = local.remove(sessionId);
      endUpstream(entry != null ? entry : new LocalSessions.Entry(bound.token(), null))
          .onComplete(r -> ctx.response().setStatusCode(200).end());
    });
  }

  /** Ends a session upstream: DELETE for Streamable HTTP, closing the stream for legacy SSE. */
  private Future<Void> endUpstream(LocalSessions.Entry entry) {
    if (entry.legacy != null) {
      if (entry.agentStream != null && !entry.agentStream.ended()) entry.agentStream.end();
      return entry.legacy.close();
    }
    SessionToken token = entry.token;
    if (token == null || token.upstreamSessionId() == null) return Future.succeededFuture();
    return cache.get(token.accountId(), token.serverId())
        .compose(capabilities -> auths.forServer(capabilities.server()).headers())
        .compose(auth -> channel.delete(new StreamableHttpChannel.Target(token.hostname(), auth, token.upstreamSessionId(),
            token.protocolVersion())))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private static boolean acceptsJsonAndStream(String accept) {
    if (accept == null) return true; // lenient: a client that sends no Accept takes what it gets
    String lower = accept.toLowerCase(Locale.ROOT);
    if (lower.contains("*/*")) return true;
    return lower.contains(McpProtocol.Headers.JSON) && lower.contains(McpProtocol.Headers.EVENT_STREAM);
  }

  static Instant now(Clock clock) {
    return clock.instant();
  }
}
