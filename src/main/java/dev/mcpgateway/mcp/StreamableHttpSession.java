package dev.mcpgateway.mcp;

import dev.mcpgateway.upstream.UpstreamAuth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MCP Streamable HTTP, client side: every message is a POST; a request is answered by a JSON body
 * or by an SSE stream that may carry the server's own requests and notifications before the final
 * response. Server requests are answered (ping) or refused (anything else: the gateway's sync
 * client offers no client capabilities). In the session era (2025-03-26 … 2025-11-25) the session
 * headers ride along; in the stateless era (2026-07-28, {@code stateless}) each request carries the
 * {@link StatelessEnvelope} instead, and a result that asks for input is refused for the same reason.
 */
final class StreamableHttpSession extends HandshakeState {
  private static final System.Logger LOG = System.getLogger(StreamableHttpSession.class.getName());

  private final Vertx vertx;
  private final GuardedHttp http;
  private final String endpoint;
  private final UpstreamAuth auth;
  private final McpClientOptions limits;
  private final AtomicLong ids = new AtomicLong();
  private final boolean stateless;
  private String sessionId;

  StreamableHttpSession(Vertx vertx, GuardedHttp http, String endpoint, UpstreamAuth auth, McpClientOptions limits, boolean stateless) {
    this.stateless = stateless;
    this.vertx = vertx;
    this.http = http;
    this.endpoint = endpoint;
    this.auth = auth;
    this.limits = limits;
  }

  @Override
  public Transport transport() {
    return stateless ? Transport.STATELESS : Transport.STREAMABLE_HTTP;
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public Future<JsonObject> request(String method, JsonObject params) {
    long id = ids.incrementAndGet();
    if (!stateless) return exchange(JsonRpc.request(id, method, params), id, Map.of());
    JsonObject enveloped = StatelessEnvelope.params(params, new JsonObject(),
        new JsonObject().put("name", limits.clientName()).put("version", limits.clientVersion()));
    return exchange(JsonRpc.request(id, method, enveloped), id, StatelessEnvelope.headers(method, enveloped, null))
        .compose(result -> "input_required".equals(result.getValue("resultType"))
            ? Future.failedFuture(new McpClientException.ProtocolViolation(
                "upstream asked for client input (input_required) to answer " + method + ", which the gateway's own client cannot give"))
            : Future.succeededFuture(result));
  }

  @Override
  public Future<Void> notify(String method, JsonObject params) {
    if (stateless) return Future.succeededFuture(); // the stateless era has no client notifications to send
    return exchange(JsonRpc.notification(method, params), null, Map.of()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    if (sessionId == null) return Future.succeededFuture();
    // 405 means the server does not let clients end sessions: fine, it will expire them.
    UpstreamCall call = new UpstreamCall(vertx);
    return call.send(auth.headers().compose(headers -> http.request(withSession(HttpExchange.options(HttpMethod.DELETE, endpoint, limits, headers)))),
            null, limits.requestTimeoutMs(), "DELETE of the session", HttpExchange::drain)
        .otherwiseEmpty();
  }

  private io.vertx.core.http.RequestOptions withSession(io.vertx.core.http.RequestOptions options) {
    if (sessionId != null) options.putHeader(McpProtocol.Headers.SESSION_ID, sessionId);
    if (protocolVersion() != null) options.putHeader(McpProtocol.Headers.PROTOCOL_VERSION, protocolVersion());
    return options;
  }

  /** POSTs one message; for a request, answers its result (null for a notification or response). */
  private Future<JsonObject> exchange(JsonObject message, Object id, Map<String, String> mirrored) {
    UpstreamCall call = new UpstreamCall(vertx);
    String what = message.getValue("method") instanceof String method ? method : "a response";
    Future<HttpClientRequest> opening = auth.headers().compose(headers -> {
      call.stage("no connection");
      return http.request(withSession(HttpExchange.options(HttpMethod.POST, endpoint, limits, headers))
          .putHeader("Accept", McpProtocol.Headers.ACCEPT_BOTH)
          .putHeader("Content-Type", McpProtocol.Headers.JSON));
    }).map(request -> {
      mirrored.forEach(request::putHeader);
      return request;
    });
    return call.send(opening, message.toBuffer(), limits.requestTimeoutMs(), what, response -> {
      Promise<JsonObject> promise = Promise.promise();
      onResponse(response, id, promise);
      return promise.future();
    });
  }

  private void onResponse(HttpClientResponse response, Object id, Promise<JsonObject> promise) {
    String newSession = response.getHeader(McpProtocol.Headers.SESSION_ID);
    if (newSession != null && sessionId == null) sessionId = newSession;
    int status = response.statusCode();
    if (status >= 300) {
      // drain (bounded) so the connection returns to the pool, then report the status (and the
      // JSON-RPC error code a 4xx body may carry: era detection tells modern servers by it)
      HttpExchange.readBounded(response, 64 * 1024).onComplete(r ->
          promise.tryFail(HttpExchange.status(response, r.succeeded() ? r.result() : null)));
      return;
    }
    if (id == null) {
      HttpExchange.drain(response).onComplete(r -> promise.tryComplete(null));
      return;
    }
    String type = HttpExchange.mediaType(response);
    if (type.equals(McpProtocol.Headers.EVENT_STREAM)) {
      readStream(response, id, promise);
    } else if (type.equals(McpProtocol.Headers.JSON)) {
      HttpExchange.readBounded(response, limits.maxResponseBytes()).onSuccess(body -> {
        try {
          handleMessages(Json.decodeValue(body), id, promise);
        } catch (DecodeException e) {
          promise.tryFail(new McpClientException.ProtocolViolation("upstream sent malformed JSON"));
        }
        promise.tryFail(new McpClientException.ProtocolViolation("upstream's JSON body held no response to the request"));
      }).onFailure(promise::tryFail);
    } else {
      HttpExchange.readBounded(response, 64 * 1024).onComplete(r -> promise.tryFail(new McpClientException.ProtocolViolation(
          "upstream answered a request with Content-Type '" + type + "' instead of JSON or an event stream")));
    }
  }

  private void readStream(HttpClientResponse response, Object id, Promise<JsonObject> promise) {
    SseParser parser = new SseParser(limits.maxResponseBytes(), event -> {
      if (event.data().isEmpty()) return; // a priming event: it only carries an id for resumption
      try {
        handleMessages(Json.decodeValue(event.data()), id, promise);
      } catch (DecodeException e) {
        promise.tryFail(new McpClientException.ProtocolViolation("upstream sent malformed JSON in an SSE event"));
      }
    });
    response.handler(chunk -> {
      if (promise.future().isComplete()) return;
      try {
        parser.feed(chunk);
      } catch (SseParser.EventTooLargeException e) {
        promise.tryFail(new McpClientException.ProtocolViolation(e.getMessage()));
      }
      // the final response arrived (or the stream broke a rule): stop reading this stream
      if (promise.future().isComplete()) response.request().reset();
    });
    response.exceptionHandler(e -> promise.tryFail(HttpExchange.unreachable(e)));
    response.endHandler(v -> promise.tryFail(new McpClientException.ProtocolViolation(
        "upstream ended the event stream without answering the request")));
  }

  private void handleMessages(Object decoded, Object id, Promise<JsonObject> promise) {
    if (decoded instanceof JsonArray batch) {
      for (Object item : batch) handleMessages(item, id, promise);
      return;
    }
    if (!(decoded instanceof JsonObject message)) {
      promise.tryFail(new McpClientException.ProtocolViolation("upstream sent a JSON value that is not a JSON-RPC message"));
      return;
    }
    if (JsonRpc.isResponse(message)) {
      if (!JsonRpc.sameId(message.getValue("id"), id)) return; // not ours: ignore, as the spec allows
      try {
        promise.tryComplete(resultOf(message));
      } catch (McpClientException e) {
        promise.tryFail(e);
      }
    } else if (JsonRpc.isRequest(message)) {
      answerServerRequest(message);
    } else {
      LOG.log(System.Logger.Level.DEBUG, "upstream notification " + message.getString("method"));
    }
  }

  private void answerServerRequest(JsonObject request) {
    Object id = request.getValue("id");
    JsonObject reply = McpProtocol.Methods.PING.equals(request.getString("method"))
        ? JsonRpc.result(id, new JsonObject())
        : JsonRpc.error(id, McpProtocol.ErrorCodes.METHOD_NOT_FOUND, "the gateway's client does not support " + request.getString("method"));
    exchange(reply, null, Map.of()).onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "could not answer upstream request: " + e.getMessage()));
  }

  static String truncate(String text) {
    return UpstreamCall.truncate(text);
  }

  @Override
  public String toString() {
    return "StreamableHttpSession[" + endpoint + "]";
  }

}
