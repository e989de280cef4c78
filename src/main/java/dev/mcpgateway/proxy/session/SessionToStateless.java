package dev.mcpgateway.proxy.session;

import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.StatelessUpstream;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.StatelessEnvelope;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.SseParser;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.sync.Capabilities;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A session-era agent (2025-11-25 and older) in front of a stateless-era upstream (2026-07-28):
 * each request of the agent's session becomes one self-contained upstream request carrying the
 * envelope the agent's {@code initialize} declared, with the mirrored headers derived from the
 * request as mapped (an alias is mirrored as the upstream's name; {@code Mcp-Param-*} come from the
 * upstream tool's schema). Progress and log messages are relayed on an event stream as they come,
 * read no faster than the agent takes them.
 * A result that asks for input ({@code input_required}) becomes the server-to-client requests the
 * agent knows ({@code elicitation/create}, {@code sampling/createMessage}, {@code roots/list}) on
 * that stream; the agent's responses are gathered and the request retried with them, for at most
 * {@link ProxySettings#MAX_INPUT_ROUNDS} rounds. {@code notifications/cancelled} closes the upstream stream, which is
 * how this era cancels. The requests the gateway asks in the agent's name live on the replica that
 * asked them: the agent's response must come back to it (sticky sessions), as with legacy SSE.
 */
public final class SessionToStateless {
  /** Input requests one answer may carry; more is a broken or hostile upstream. */
  public static final int MAX_INPUT_REQUESTS = 16;

  /** The log level a session set with logging/setLevel (by session id), or null: carried on each request. */
  private final java.util.function.Function<String, String> logLevel;
  private final Vertx vertx;
  private final StatelessUpstream upstream;
  private final long inputTimeoutMs;
  /** The era the bound session's upstream speaks now, found again (see {@link McpClient#redetect}). */
  private final java.util.function.Function<BoundSession, Future<McpSession.Transport>> eraNow;
  /** Requests asked of agents, by session id and request id, until the agent responds. */
  private final Map<String, Promise<JsonObject>> asked = new ConcurrentHashMap<>();
  /** Upstream requests in flight, by session id and the agent's request id, for cancellation. */
  private final Map<String, UpstreamCall> inFlight = new ConcurrentHashMap<>();

  public SessionToStateless(Vertx vertx, StatelessUpstream upstream, long inputTimeoutMs,
      java.util.function.Function<String, String> logLevel, java.util.function.Function<BoundSession, Future<McpSession.Transport>> eraNow) {
    this.logLevel = logLevel;
    this.eraNow = eraNow;
    this.vertx = vertx;
    this.upstream = upstream;
    this.inputTimeoutMs = inputTimeoutMs;
  }

  public void request(RoutingContext ctx, BoundSession bound, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    if (!StatelessEnvelope.isToken(message.getString("method"))) { // it travels in the Mcp-Method header
      McpReplies.error(ctx.response(), 400, id, McpProtocol.ErrorCodes.INVALID_REQUEST, "method must be a token of visible ASCII characters");
      return;
    }
    String key = bound.sessionId() + " " + id;
    UpstreamCall call = upstream.call();
    inFlight.put(key, call);
    HttpServerResponse response = ctx.response();
    response.closeHandler(v -> {
      if (!response.ended()) call.cancel();
    });
    Exchange.of(ctx).upstreamAsked();
    round(ctx, bound, message, call, 1).onComplete(r -> inFlight.remove(key, call)).onSuccess(answer -> {
      if (answer.getValue("result") instanceof JsonObject result && "complete".equals(result.getValue("resultType"))) {
        result.remove("resultType"); // a session-era agent knows only complete results
      }
      if (answer.containsKey("error")) Exchange.of(ctx).mcpError(answer);
      McpReplies.json(response, 200, rewrite.apply(answer.put("id", id)));
    }).onFailure(e -> {
      if (call.cancelled()) { // the agent cancelled (or left): it expects no answer; end what is open
        Exchange.of(ctx).outcome("cancelled");
        if (!response.ended() && !response.closed()) McpReplies.error(response, 200, id, McpProtocol.ErrorCodes.INTERNAL_ERROR, "request cancelled");
        return;
      }
      if (e instanceof McpClientException.HttpStatus status && ERA_HINTS.contains(status.status()) && !response.headWritten()) {
        endIfEraChanged(ctx, bound, id, e);
        return;
      }
      McpReplies.upstreamFailure(response, Exchange.of(ctx), id, e);
    });
  }

  /** Statuses a session-era server gives a request without a session: the upstream may have rolled back. */
  private static final java.util.Set<Integer> ERA_HINTS = java.util.Set.of(400, 404, 405);

  /**
   * After a refusal that a session-era server would give: if the upstream no longer speaks the
   * stateless era, the agent's session (sealed for that era) is over — 404, and the agent's new
   * {@code initialize} meets the upstream as it is now. Otherwise the failure is reported as it is.
   */
  private void endIfEraChanged(RoutingContext ctx, BoundSession bound, Object id, Throwable failure) {
    eraNow.apply(bound).onComplete(era -> {
      if (era.succeeded() && era.result() != McpSession.Transport.STATELESS) {
        Exchange.of(ctx).outcome("upstream_error");
        McpReplies.error(ctx.response(), 404, id, McpReplies.SESSION_NOT_FOUND,
            "the upstream no longer speaks MCP " + McpProtocol.Stateless.VERSION + ": initialize a new session");
      } else {
        McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, failure);
      }
    });
  }

  private Future<JsonObject> round(RoutingContext ctx, BoundSession bound, JsonObject message, UpstreamCall call, int round) {
    String method = message.getString("method");
    JsonObject params = StatelessEnvelope.params(message.getJsonObject("params"), bound.token().agentCapabilities(), bound.token().agentInfo());
    String level = logLevel.apply(bound.sessionId());
    if (level != null) params.getJsonObject("_meta").put(McpProtocol.Stateless.META_LOG_LEVEL, level); // the agent's logging/setLevel
    JsonObject request = JsonRpc.request(round == 1 ? message.getValue("id") : "mcpgw-" + round + "-" + message.getValue("id"), method, params);
    Map<String, String> headers = StatelessEnvelope.headers(method, params, inputSchema(bound.capabilities(), method, params));
    return upstream.exchange(bound.capabilities().server(), bound.token().client(), request, headers, call, notice -> toAgent(ctx.response(), notice), ctx.response())
        .compose(answer -> {
          if (!(answer.getValue("result") instanceof JsonObject result) || !"input_required".equals(result.getValue("resultType"))) {
            return Future.succeededFuture(answer);
          }
          if (round >= ProxySettings.MAX_INPUT_ROUNDS) {
            return Future.failedFuture(new McpClientException.ProtocolViolation(
                "upstream asked for input more than " + ProxySettings.MAX_INPUT_ROUNDS + " times for one request"));
          }
          Object inputRequests = result.getValue("inputRequests");
          Future<JsonObject> asked = inputRequests == null ? Future.succeededFuture(new JsonObject())
              : inputRequests instanceof JsonObject requests ? askAgent(ctx.response(), bound, requests)
              : Future.failedFuture(new McpClientException.ProtocolViolation("upstream's inputRequests is not an object"));
          return asked.compose(responses -> {
            JsonObject retried = message.copy();
            JsonObject retriedParams = retried.getJsonObject("params", new JsonObject()).put("inputResponses", responses);
            retriedParams.remove("requestState"); // only the latest round's state goes back
            if (result.containsKey("requestState")) retriedParams.put("requestState", result.getValue("requestState"));
            return round(ctx, bound, retried.put("params", retriedParams), call, round + 1);
          });
        });
  }

  /** Asks the agent each input request as a server-to-client request on the response stream; answers the results by key. */
  private Future<JsonObject> askAgent(HttpServerResponse response, BoundSession bound, JsonObject inputRequests) {
    if (inputRequests.size() > MAX_INPUT_REQUESTS) {
      return Future.failedFuture(new McpClientException.ProtocolViolation("upstream asked for more than " + MAX_INPUT_REQUESTS + " inputs at once"));
    }
    JsonObject declared = bound.token().agentCapabilities() == null ? new JsonObject() : bound.token().agentCapabilities();
    for (String inputKey : inputRequests.fieldNames()) { // all checked before anything is asked
      String method = inputRequests.getValue(inputKey) instanceof JsonObject o && o.getValue("method") instanceof String m ? m : null;
      String capability = method == null ? null : McpProtocol.Stateless.INPUT_CAPABILITIES.get(method);
      if (capability == null || !declared.containsKey(capability)
          || inputRequests.getJsonObject(inputKey).containsKey("params") && !(inputRequests.getJsonObject(inputKey).getValue("params") instanceof JsonObject)) {
        return Future.failedFuture(new McpClientException.ProtocolViolation("upstream asked for an input the client did not offer ("
            + AgentText.clip(String.valueOf(method)) + ")"));
      }
    }
    List<Future<JsonObject>> answers = new ArrayList<>();
    List<String> keys = new ArrayList<>(inputRequests.fieldNames());
    for (String inputKey : keys) {
      JsonObject input = inputRequests.getJsonObject(inputKey);
      String requestId = "mcpgw-input-" + UUID.randomUUID();
      String askedKey = bound.sessionId() + " " + requestId;
      Promise<JsonObject> answer = Promise.promise();
      asked.put(askedKey, answer);
      long timer = vertx.setTimer(inputTimeoutMs, t -> answer.tryFail(new McpClientException.Timeout(
          "the client did not answer the upstream's " + input.getString("method") + " within " + inputTimeoutMs + " ms")));
      answers.add(answer.future().onComplete(r -> {
        vertx.cancelTimer(timer);
        asked.remove(askedKey);
      }));
      toAgent(response, JsonRpc.request(requestId, input.getString("method"), input.getJsonObject("params")));
    }
    return Future.all(answers).map(all -> {
      JsonObject responses = new JsonObject();
      for (int i = 0; i < keys.size(); i++) responses.put(keys.get(i), answers.get(i).result());
      return responses;
    });
  }

  /**
   * A message of the agent that is not a request: a response to one of the gateway's input
   * requests (true: taken), or {@code notifications/cancelled} for a request in flight (true).
   * Anything else (initialized, progress of the agent's own) is not needed upstream (false).
   */
  public boolean fromAgent(BoundSession bound, JsonObject message) {
    if (JsonRpc.isResponse(message)) {
      Promise<JsonObject> waiting = asked.get(bound.sessionId() + " " + message.getValue("id"));
      if (waiting == null) return false;
      if (message.getValue("result") instanceof JsonObject result) {
        waiting.tryComplete(result);
      } else {
        JsonObject error = message.getValue("error") instanceof JsonObject e ? e : new JsonObject();
        int code = error.getValue("code") instanceof Integer c ? c : McpProtocol.ErrorCodes.INTERNAL_ERROR;
        String text = error.getValue("message") instanceof String m ? m : "a malformed response";
        waiting.tryFail(new McpClientException.RpcError(code, "the client refused the upstream's request: " + AgentText.clip(text)));
      }
      return true;
    }
    if (McpProtocol.Notifications.CANCELLED.equals(message.getString("method")) && message.getValue("params") instanceof JsonObject params) {
      UpstreamCall call = inFlight.remove(bound.sessionId() + " " + params.getValue("requestId"));
      if (call != null) call.cancel();
      return call != null;
    }
    return false;
  }

  /**
   * The agent's GET stream: the upstream's {@code subscriptions/listen} for list changes, its
   * notifications relayed without the subscription's bookkeeping (the acknowledgement, the
   * {@code subscriptionId}), each passed through {@code onTheWayBack} (the cache learns of the
   * change). Closing either side closes the other.
   */
  public void listen(RoutingContext ctx, BoundSession bound, UnaryOperator<JsonObject> onTheWayBack, long keepAliveMs) {
    HttpServerResponse response = ctx.response();
    JsonObject filter = new JsonObject().put("toolsListChanged", true).put("promptsListChanged", true).put("resourcesListChanged", true);
    JsonObject params = StatelessEnvelope.params(new JsonObject().put("notifications", filter),
        bound.token().agentCapabilities(), bound.token().agentInfo());
    JsonObject request = JsonRpc.request("mcpgw-listen-" + UUID.randomUUID(), McpProtocol.Stateless.LISTEN, params);
    UpstreamCall call = upstream.call();
    response.closeHandler(v -> call.cancel());
    Exchange.of(ctx).upstreamAsked();
    upstream.post(bound.capabilities().server(), bound.token().client(), request, StatelessEnvelope.headers(McpProtocol.Stateless.LISTEN, params, null), call, true,
        stream -> {
          if (stream.statusCode() != 200 || !McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(stream))) {
            StreamableHttpChannel.drain(stream);
            call.cancel();
            int status = stream.statusCode();
            // 405 tells the agent "no stream here" for good: only when the upstream says so; a failure may pass
            McpReplies.error(response, status == 404 || status == 405 ? 405 : 502, null, McpProtocol.ErrorCodes.INVALID_REQUEST,
                "upstream offers no notification stream (subscriptions/listen answered HTTP " + status + ")");
          } else {
            relayNotifications(response, stream, call, onTheWayBack, keepAliveMs);
          }
          return Future.succeededFuture();
        })
        .onFailure(e -> McpReplies.error(response, 502, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, e.getMessage()));
  }

  /** The subscription's notifications to the agent's GET stream, without the subscription's bookkeeping. */
  private void relayNotifications(HttpServerResponse response, io.vertx.core.http.HttpClientResponse stream, UpstreamCall call,
      UnaryOperator<JsonObject> onTheWayBack, long keepAliveMs) {
    AgentEventStream agent = AgentEventStream.open(response).comment("mcp-gateway").keepAlive(vertx, keepAliveMs, () -> { });
    Runnable end = () -> agent.end(null);
    SseParser parser = new SseParser(64 * 1024, event -> {
      if (event.data().isEmpty()) return;
      Object decoded = io.vertx.core.json.Json.decodeValue(event.data());
      if (!(decoded instanceof JsonObject notice)) return;
      if (JsonRpc.isResponse(notice)) { // the upstream ended the subscription
        call.cancel();
        end.run();
        return;
      }
      String method = notice.getString("method");
      if (method == null || method.equals(McpProtocol.Notifications.SUBSCRIPTIONS_ACKNOWLEDGED)) return;
      if (notice.getValue("params") instanceof JsonObject p && p.getValue("_meta") instanceof JsonObject meta) {
        meta.remove(McpProtocol.Stateless.META_SUBSCRIPTION);
        if (meta.isEmpty()) p.remove("_meta");
      }
      agent.send(onTheWayBack.apply(notice));
    });
    stream.handler(chunk -> {
      try {
        parser.feed(chunk);
      } catch (RuntimeException e) {
        call.cancel();
        end.run();
      }
    });
    stream.exceptionHandler(e -> end.run());
    stream.endHandler(v -> end.run());
    response.closeHandler(v -> call.cancel());
  }

  /** The upstream tool's input schema, for the {@code Mcp-Param-*} headers of a call (null for other requests). */
  private static JsonObject inputSchema(Capabilities capabilities, String method, JsonObject params) {
    if (!McpProtocol.Methods.TOOLS_CALL.equals(method)) return null;
    String name = params.getString("name");
    for (Object tool : capabilities.server().tools()) {
      if (tool instanceof JsonObject t && name != null && name.equals(t.getValue("name"))) {
        return t.getValue("inputSchema") instanceof JsonObject schema ? schema : null;
      }
    }
    return null;
  }

  /** One message to the agent on the response's event stream, opened on first use. */
  private static void toAgent(HttpServerResponse response, JsonObject message) {
    AgentEventStream.open(response).send(message);
  }
}
