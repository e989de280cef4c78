package dev.mcpgateway.proxy;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.LegacySseSession;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;

/**
 * {@code initialize}: opens the upstream session with the agent's own initialize params (its
 * capabilities and identity travel upstream), falls back to the legacy transport when the upstream
 * refuses the POST, checks the negotiated version and answers with the gateway's sealed session id.
 */
final class SessionOpener {
  private static final Set<Integer> LEGACY_HINTS = Set.of(400, 404, 405);

  private final SessionCodec sessions;
  private final CapabilityCache cache;
  private final McpClient client;
  private final StreamableHttpChannel channel;
  private final UpstreamAuths auths;
  private final LocalSessions local;
  private final Clock clock;
  private final Vertx vertx;

  SessionOpener(Vertx vertx, SessionCodec sessions, CapabilityCache cache, McpClient client, UpstreamAuths auths,
      LocalSessions local, Clock clock) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.cache = cache;
    this.client = client;
    this.channel = client.channel();
    this.auths = auths;
    this.local = local;
    this.clock = clock;
  }

  void initialize(RoutingContext ctx, JsonObject message) {
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
      Exchange.of(ctx).serverKnown(account, serverId);
      Exchange.of(ctx).upstreamAsked();
      if (client.rememberedTransport(server.hostname()) == McpSession.Transport.LEGACY_SSE) {
        initializeLegacy(ctx, capabilities, message, clientToken);
        return;
      }
      // bounded: an upstream that never finishes its answer (keep-alives only) cannot hold the agent
      HttpClientRequest[] sent = new HttpClientRequest[1];
      long limit = client.limits().requestTimeoutMs();
      long timer = vertx.setTimer(limit, t -> {
        McpReplies.upstreamFailure(response, Exchange.of(ctx), id, new McpClientException.Unreachable("upstream did not answer within " + limit + " ms", null));
        if (sent[0] != null) sent[0].reset();
      });
      response.closeHandler(v -> {
        if (sent[0] != null && !response.ended()) sent[0].reset();
      });
      auths.forAgent(server, clientToken.name()).headers()
          .compose(auth -> channel.post(new StreamableHttpChannel.Target(server.hostname(), auth, null, null)))
          .compose(request -> {
            sent[0] = request;
            return request.send(message.toBuffer());
          })
          .compose(upstream -> {
            if (LEGACY_HINTS.contains(upstream.statusCode())) {
              upstream.body();
              return Future.succeededFuture((InitializeAnswer) null);
            }
            if (upstream.statusCode() >= 300) {
              if (upstream.statusCode() == 401) auths.renewAfterRejection(server, clientToken.name()); // the agent's retry gets a renewed token
              McpClientException failure = StreamableHttpChannel.status(upstream);
              upstream.body();
              return Future.failedFuture(failure);
            }
            String upstreamSession = upstream.getHeader(McpProtocol.Headers.SESSION_ID);
            return FinalResponse.read(upstream, id, client.limits()).map(answer -> new InitializeAnswer(answer, upstreamSession));
          })
          .onComplete(r -> vertx.cancelTimer(timer))
          .onSuccess(answer -> {
            if (answer == null) {
              initializeLegacy(ctx, capabilities, message, clientToken);
              return;
            }
            completeInitialize(ctx, capabilities, clientToken, answer.message(), answer.upstreamSession(),
                McpSession.Transport.STREAMABLE_HTTP, null);
          })
          .onFailure(e -> McpReplies.upstreamFailure(response, Exchange.of(ctx), id, StreamableHttpChannel.classify(e)));
    });
  }

  private record InitializeAnswer(JsonObject message, String upstreamSession) {}

  private void initializeLegacy(RoutingContext ctx, Capabilities capabilities, JsonObject message, ClientToken clientToken) {
    Object id = message.getValue("id");
    LocalSessions.Entry[] entry = new LocalSessions.Entry[1];
    client.openLegacy(capabilities.server().hostname(), auths.forAgent(capabilities.server(), clientToken.name()), message.getJsonObject("params"),
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
        .onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
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
      McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, version.cause());
      return;
    }
    var server = capabilities.server();
    SessionToken token = new SessionToken(server.accountId(), server.id(), server.hostname(), upstreamSession, version.result(),
        clientToken.name(), transport, clock.instant());
    String sessionId = sessions.encode(token);
    if (legacyEntry != null) {
      legacyEntry.token = token;
      local.put(sessionId, legacyEntry); // the entry its upstream messages are routed through
    } else {
      local.touch(sessionId, token);
    }
    ctx.response().putHeader(McpProtocol.Headers.SESSION_ID, sessionId);
    McpReplies.json(ctx.response(), 200, answer);
  }
}
