package dev.mcpgateway.proxy.stateless;

import static dev.mcpgateway.mcp.McpProtocol.Stateless.META_PREFIX;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Stateless agent, session-era upstream, over the session the gateway keeps ({@link KeptSessions}):
 * Streamable HTTP is relayed as it comes (progress streamed, closing the agent's stream sends
 * {@code notifications/cancelled}); the upstream's own requests to the client become
 * {@code input_required} answers through the {@link InputRequiredBridge} when the agent declared
 * the capability, and are refused upstream at once otherwise; a legacy HTTP+SSE upstream answers
 * the final result only. A session the upstream forgot (404) is opened again, once.
 */
public final class StatelessToSession {
  private final McpClient client;
  private final UpstreamAuths auths;
  private final KeptSessions sessions;
  private final UpstreamRelay relay;
  private final InputRequiredBridge inputs;
  private final AtomicLong callIds = new AtomicLong();

  public StatelessToSession(McpClient client, UpstreamAuths auths, KeptSessions sessions, UpstreamRelay relay, InputRequiredBridge inputs) {
    this.client = client;
    this.auths = auths;
    this.sessions = sessions;
    this.relay = relay;
    this.inputs = inputs;
  }

  public void forward(RoutingContext ctx, KeptSessions.Slot slot, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    Optional<String> state = InputRequiredBridge.stateOf(message.getJsonObject("params"));
    if (state.isPresent()) {
      retry(ctx, slot, message, state.get(), rewrite);
      return;
    }
    sessions.session(slot).onFailure(failure -> sessions.fail(ctx, slot, id, failure)).onSuccess(session -> {
      JsonObject params = upstreamParams(message.getJsonObject("params"));
      if (session.transport() == McpSession.Transport.STREAMABLE_HTTP) {
        // the call gets an id of the gateway's own: the session is shared, and agents' ids need not be unique across it
        JsonObject call = JsonRpc.request("mcpgw-" + callIds.incrementAndGet(), message.getString("method"), params);
        relayOverSession(ctx, slot, session, call, id, rewrite, true);
      } else {
        requestOverLegacy(ctx, slot, JsonRpc.request(id, message.getString("method"), params), rewrite);
      }
    });
  }

  /**
   * A retry after {@code input_required} from the bridge: the agent's answer goes upstream as the
   * response to the upstream's request and, once the upstream took it, this exchange takes the
   * rest of the held stream (final response under this request's id, progress under its token).
   * An answer missing from {@code inputResponses} is asked again, as the specification has
   * servers do.
   */
  private void retry(RoutingContext ctx, KeptSessions.Slot slot, JsonObject message, String state, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    Optional<InputRequiredBridge.Pending> found = inputs.take(state, InputRequiredBridge.originOf(slot, message));
    if (found.isEmpty()) {
      Exchange.of(ctx).outcome("rejected");
      McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.INVALID_PARAMS,
          "requestState is unknown, used or lapsed: send the request again without it", null));
      return;
    }
    InputRequiredBridge.Pending pending = found.get();
    JsonObject params = message.getJsonObject("params");
    Object answer = params.getValue("inputResponses") instanceof JsonObject responses ? responses.getValue(pending.key()) : null;
    if (!(answer instanceof JsonObject result)) {
      if (pending.round() >= InputRequiredBridge.MAX_ROUNDS) {
        pending.held().abandon();
        Exchange.of(ctx).outcome("rejected");
        McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.INVALID_PARAMS,
            "inputResponses has no answer to '" + pending.key() + "' after " + InputRequiredBridge.MAX_ROUNDS + " rounds", null));
        return;
      }
      McpReplies.json(ctx.response(), 200, JsonRpc.result(id, inputs.ask(pending.again(), id).getJsonObject("result")));
      return;
    }
    Exchange.of(ctx).upstreamAsked();
    Object progressToken = params.getValue("_meta") instanceof JsonObject meta ? meta.getValue("progressToken") : null;
    pending.toUpstream().apply(JsonRpc.result(pending.askedId(), result)).onComplete(sent -> {
      if (sent.failed() || sent.result() >= 300) {
        pending.held().abandon();
        McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, sent.failed() ? StreamableHttpChannel.classify(sent.cause())
            : new McpClientException.HttpStatus(sent.result(), "upstream answered HTTP " + sent.result() + " to the client's input"));
        return;
      }
      pending.held().resume(ctx.response(), Exchange.of(ctx), id, toStatelessAgent(pending.callId(), id, progressToken, rewrite, pending.toUpstream()),
          pending.cancel(), inputs.asker(pending.origin(), id, slot.inputs(), pending.round() + 1, pending.toUpstream(), pending.callId(),
              pending.cancel()));
    });
  }

  /** {@code call} (with the gateway's id) over the kept Streamable HTTP session, answered to the agent's request {@code agentId}. */
  private void relayOverSession(RoutingContext ctx, KeptSessions.Slot slot, McpSession session, JsonObject call, Object agentId,
      UnaryOperator<JsonObject> rewrite, boolean mayReopen) {
    Object callId = call.getValue("id");
    McpServer server = slot.server();
    HttpServerResponse response = ctx.response();
    StreamableHttpChannel channel = client.channel();
    UpstreamCall sending = channel.call();
    StreamableHttpChannel.Target[] target = new StreamableHttpChannel.Target[1];
    Runnable cancel = () -> {
      if (target[0] != null) channel.send(target[0], JsonRpc.notification(McpProtocol.Notifications.CANCELLED, new JsonObject()
          .put("requestId", callId).put("reason", "the client closed its stream")).toBuffer());
    };
    response.closeHandler(v -> {
      if (sending.started() && !response.ended() && !sending.cancelled()) {
        sending.cancel();
        cancel.run();
      }
    });
    Future<HttpClientRequest> opening = auths.forAgent(server, slot.client()).headers()
        .compose(auth -> {
          sending.stage("no connection");
          return channel.post(target[0] = new StreamableHttpChannel.Target(server.hostname(), auth, session.sessionId(), session.protocolVersion()));
        });
    // the deadline runs until the answer begins; the relay's idle limit then takes over
    sending.send(opening, call.toBuffer(), client.limits().requestTimeoutMs(), call.getString("method"), upstream -> {
      if (upstream.statusCode() == 404 && mayReopen) {
        StreamableHttpChannel.drain(upstream);
        sessions.invalidate(slot);
        sessions.session(slot).onFailure(failure -> sessions.fail(ctx, slot, agentId, failure))
            .onSuccess(reopened -> relayOverSession(ctx, slot, reopened, call, agentId, rewrite, false));
      } else if (upstream.statusCode() >= 300) {
        McpClientException failure = StreamableHttpChannel.status(upstream);
        StreamableHttpChannel.drain(upstream);
        if (upstream.statusCode() == 401) auths.renewAfterRejection(server, slot.client());
        sessions.fail(ctx, slot, agentId, failure);
      } else {
        StreamableHttpChannel.Target to = target[0];
        Function<JsonObject, Future<Integer>> toUpstream = message -> channel.send(to, message.toBuffer());
        relay.relayToStateless(upstream, response, Exchange.of(ctx), callId, agentId, toStatelessAgent(callId, agentId, null, rewrite, toUpstream),
            cancel, inputs.asker(InputRequiredBridge.originOf(slot, call), agentId, slot.inputs(), 1, toUpstream, callId, cancel));
      }
      return Future.succeededFuture();
    }).onFailure(e -> {
      if (e instanceof McpClientException.Timeout) cancel.run(); // the upstream may still be working on it
      sessions.fail(ctx, slot, agentId, e);
    });
  }

  /**
   * The messages of a session-era upstream's answer to call {@code callId} as the stateless agent
   * of request {@code agentId} takes them: the final response under the agent's id, marked
   * complete; progress under {@code progressToken} when the agent's request (a retry) has its own;
   * requests to the client that the bridge did not take refused upstream.
   */
  private static UnaryOperator<JsonObject> toStatelessAgent(Object callId, Object agentId, Object progressToken, UnaryOperator<JsonObject> rewrite,
      Function<JsonObject, Future<Integer>> toUpstream) {
    return message -> {
      if (JsonRpc.isRequest(message)) {
        toUpstream.apply(McpReplies.error(message.getValue("id"), McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
            "the gateway cannot ask " + AgentText.clip(String.valueOf(message.getValue("method")))
                + " of this client (not declared, or too many at once)", null));
        return null;
      }
      JsonObject out = rewrite.apply(message);
      if (JsonRpc.isResponse(out) && JsonRpc.sameId(out.getValue("id"), callId)) {
        out.put("id", agentId);
        if (out.getValue("result") instanceof JsonObject result) result.put("resultType", "complete");
      }
      if (progressToken != null && McpProtocol.Notifications.PROGRESS.equals(out.getString("method")) && out.getValue("params") instanceof JsonObject p) {
        p.put("progressToken", progressToken);
      }
      return out;
    };
  }

  /** Over a legacy HTTP+SSE session: the final result only. */
  private void requestOverLegacy(RoutingContext ctx, KeptSessions.Slot slot, JsonObject upstreamMessage, UnaryOperator<JsonObject> rewrite) {
    Object id = upstreamMessage.getValue("id");
    String method = upstreamMessage.getString("method");
    JsonObject params = upstreamMessage.getJsonObject("params");
    sessions.session(slot)
        .compose(session -> session.request(method, params))
        .recover(failure -> {
          if (!(failure instanceof McpClientException.HttpStatus status && status.status() == 404)) return Future.failedFuture(failure);
          sessions.invalidate(slot);
          return sessions.session(slot).compose(session -> session.request(method, params));
        })
        .onSuccess(result -> {
          JsonObject rewritten = rewrite.apply(JsonRpc.result(id, result));
          McpReplies.json(ctx.response(), 200, JsonRpc.result(id, rewritten.getJsonObject("result").put("resultType", "complete")));
        })
        .onFailure(failure -> sessions.fail(ctx, slot, id, failure));
  }

  /** The request's params as a session-era upstream takes them: the stateless era's {@code _meta} keys removed (progressToken stays). */
  static JsonObject upstreamParams(JsonObject params) {
    JsonObject copy = params == null ? new JsonObject() : params.copy();
    if (copy.getValue("_meta") instanceof JsonObject meta) {
      meta.fieldNames().removeIf(k -> k.startsWith(META_PREFIX));
      if (meta.isEmpty()) copy.remove("_meta");
    }
    return copy;
  }
}
