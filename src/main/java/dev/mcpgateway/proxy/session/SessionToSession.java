package dev.mcpgateway.proxy.session;

import dev.mcpgateway.proxy.capabilities.ListChanges;
import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.LegacySseSession;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.UnaryOperator;

/**
 * Session-era agent, session-era upstream (Streamable HTTP or legacy HTTP+SSE). Everything that goes to an established session's upstream: requests (answers relayed back),
 * notifications and responses (202), the server-to-client stream, cancellation, and the end of the
 * session. Headers toward the upstream carry only the server's own credentials.
 */
public final class SessionToSession {
  private final McpClient client;
  private final StreamableHttpChannel channel;
  private final UpstreamAuths auths;
  private final UpstreamRelay relay;
  private final CapabilityCache cache;
  private final ListChanges listChanges;
  private final LocalSessions local;

  public SessionToSession(McpClient client, UpstreamAuths auths, UpstreamRelay relay, CapabilityCache cache, ListChanges listChanges,
      LocalSessions local) {
    this.local = local;
    this.client = client;
    this.channel = client.channel();
    this.auths = auths;
    this.relay = relay;
    this.cache = cache;
    this.listChanges = listChanges;
  }

  /** Forwards a request and relays its answer, JSON or stream, with {@code onTheWayBack} applied to each message that comes back. */
  public void forward(RoutingContext ctx, BoundSession bound, JsonObject message, UnaryOperator<JsonObject> onTheWayBack) {
    Object id = message.getValue("id");
    if (bound.entry().legacy != null) {
      forwardLegacy(ctx, bound, message, onTheWayBack);
      return;
    }
    HttpServerResponse response = ctx.response();
    UpstreamCall call = channel.call();
    Future<HttpClientRequest> opening = auths.forAgent(bound.capabilities().server(), bound.token().client()).headers()
        .compose(auth -> {
          call.stage("no connection");
          return channel.post(bound.target(auth));
        })
        .onSuccess(request -> Exchange.of(ctx).upstreamAsked());
    // the deadline runs until the upstream's answer begins; after that the relay's idle limit takes over
    call.send(opening, message.toBuffer(), client.limits().requestTimeoutMs(), String.valueOf(message.getValue("method")), upstream -> {
      if (upstream.statusCode() == 404 && bound.token().upstreamSessionId() != null) {
        StreamableHttpChannel.drain(upstream);
        McpReplies.error(response, 404, id, McpReplies.SESSION_NOT_FOUND, "session expired upstream: initialize a new session");
      } else if (upstream.statusCode() >= 300) {
        McpClientException failure = StreamableHttpChannel.status(upstream);
        StreamableHttpChannel.drain(upstream);
        // a refused OAuth token: renew it now, so the agent's retry carries a working one
        if (upstream.statusCode() == 401) auths.renewAfterRejection(bound.capabilities().server(), bound.token().client());
        McpReplies.upstreamFailure(response, Exchange.of(ctx), id, failure);
      } else {
        relay.relay(upstream, response, Exchange.of(ctx), id, onTheWayBack, () -> cancelUpstream(bound, id), () -> local.touch(bound.sessionId(), bound.token()));
      }
      return Future.succeededFuture();
    }).onFailure(e -> {
      McpReplies.upstreamFailure(response, Exchange.of(ctx), id, e);
      if (e instanceof McpClientException.Timeout) cancelUpstream(bound, id); // the upstream may still be working on it: tell it to stop
    });
    response.closeHandler(v -> {
      // the agent left before the upstream even answered: drop the call and tell the upstream
      if (call.started() && !response.ended() && !call.cancelled()) {
        call.cancel();
        cancelUpstream(bound, id);
      }
    });
  }

  private void forwardLegacy(RoutingContext ctx, BoundSession bound, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    LegacySseSession legacy = bound.entry().legacy;
    Exchange.of(ctx).upstreamAsked();
    legacy.request(message)
        .onSuccess(result -> McpReplies.json(ctx.response(), 200, rewrite.apply(JsonRpc.result(id, result))))
        .onFailure(e -> {
          if (e instanceof McpClientException.RpcError rpc) {
            Exchange.of(ctx).mcpError(rpc.code());
            McpReplies.json(ctx.response(), 200, McpReplies.error(id, rpc.code(), rpc.getMessage(), null));
          } else {
            McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e);
          }
        });
  }

  /** Notifications and the agent's responses to server requests: forwarded, answered 202. */
  public void forwardWithoutAnswer(RoutingContext ctx, BoundSession bound, JsonObject message) {
    HttpServerResponse response = ctx.response();
    Future<Integer> sent = bound.entry().legacy != null
        ? bound.entry().legacy.post(message).map(202)
        : auths.forAgent(bound.capabilities().server(), bound.token().client()).headers()
            .compose(auth -> channel.send(bound.target(auth), message.toBuffer()));
    sent.onSuccess(status -> {
      if (status == 404 && bound.token().upstreamSessionId() != null) {
        McpReplies.error(response, 404, null, McpReplies.SESSION_NOT_FOUND, "session expired upstream: initialize a new session");
      } else if (status >= 300) {
        McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "upstream answered HTTP " + status);
      } else {
        response.setStatusCode(202).end();
      }
    }).onFailure(e -> McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR,
        StreamableHttpChannel.classify(e).getMessage()));
  }

  private void cancelUpstream(BoundSession bound, Object id) {
    JsonObject cancelled = JsonRpc.notification(McpProtocol.Notifications.CANCELLED,
        new JsonObject().put("requestId", id).put("reason", "the client disconnected from the gateway"));
    if (bound.entry().legacy != null) {
      bound.entry().legacy.post(cancelled);
      return;
    }
    auths.forAgent(bound.capabilities().server(), bound.token().client()).headers()
        .compose(auth -> channel.send(bound.target(auth), cancelled.toBuffer()));
  }

  /**
   * The server-to-client stream (GET): relayed from the upstream, or, for a legacy upstream, the
   * agent's stream becomes where the upstream's own messages go.
   */
  public void openStream(RoutingContext ctx, BoundSession bound) {
    HttpServerResponse response = ctx.response();
    if (bound.entry().legacy != null) {
      AgentEventStream.open(response).comment("mcp-gateway");
      bound.entry().agentStream = response;
      return;
    }
    Future<HttpClientRequest> opening = auths.forAgent(bound.capabilities().server(), bound.token().client()).headers()
        .compose(auth -> channel.get(bound.target(auth), ctx.request().getHeader(McpProtocol.Headers.LAST_EVENT_ID)));
    channel.call().send(opening, null, 0, "the event stream", upstream -> {
      if (upstream.statusCode() != 200) {
        StreamableHttpChannel.drain(upstream);
        McpReplies.error(response, upstream.statusCode() == 404 ? 404 : upstream.statusCode() == 405 ? 405 : 502, null,
            McpProtocol.ErrorCodes.INVALID_REQUEST, "upstream answered the stream request with HTTP " + upstream.statusCode());
      } else {
        relay.relay(upstream, response, Exchange.of(ctx), null, m -> listChanges.seen(bound.capabilities().server(), m), () -> { }, () -> local.touch(bound.sessionId(), bound.token()));
      }
      return Future.succeededFuture();
    }).onFailure(e -> McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, e.getMessage()));
  }

  /** Ends a session upstream: DELETE for Streamable HTTP, closing the stream for legacy SSE. */
  public Future<Void> end(LocalSessions.Entry entry) {
    if (entry.legacy != null) {
      if (entry.agentStream != null && !entry.agentStream.ended()) entry.agentStream.end();
      return entry.legacy.close();
    }
    SessionToken token = entry.token;
    if (token == null || token.upstreamSessionId() == null) return Future.succeededFuture();
    return cache.get(token.accountId(), token.serverId())
        // a server that moved since: the new upstream's credentials must not go to the old host
        .compose(capabilities -> capabilities.server().hostname().equals(token.hostname())
            ? auths.forAgent(capabilities.server(), token.client()).headers()
            : Future.failedFuture("moved"))
        .compose(auth -> channel.delete(new StreamableHttpChannel.Target(token.hostname(), auth, token.upstreamSessionId(),
            token.protocolVersion())))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }
}
