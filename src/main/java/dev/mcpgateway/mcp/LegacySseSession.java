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
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The legacy HTTP+SSE transport (2024-11-05), for servers that do not speak Streamable HTTP: a GET
 * opens an event stream whose first {@code endpoint} event names the URL to POST messages to;
 * responses come back on the stream, matched to their requests by id.
 */
public final class LegacySseSession extends HandshakeState {
  private final Vertx vertx;
  private final GuardedHttp http;
  private final GuardedHttp streams;
  private final String sseUrl;
  private final UpstreamAuth auth;
  private final McpClientOptions limits;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final Promise<String> endpoint = Promise.promise();
  private HttpClientRequest stream;
  private volatile boolean closed;
  private java.util.function.Consumer<JsonObject> serverMessages;

  LegacySseSession(Vertx vertx, GuardedHttp http, GuardedHttp streams, String sseUrl, UpstreamAuth auth, McpClientOptions limits) {
    this.vertx = vertx;
    this.http = http;
    this.streams = streams;
    this.sseUrl = sseUrl;
    this.auth = auth;
    this.limits = limits;
  }

  /**
   * Where the server's own requests and notifications go (the proxy relays them to the agent);
   * without one, requests are answered here (ping) or refused and notifications dropped.
   */
  void serverMessages(java.util.function.Consumer<JsonObject> sink) {
    serverMessages = sink;
  }

  /** Opens the event stream and waits (bounded) for the {@code endpoint} event. */
  Future<LegacySseSession> open() {
    long timer = vertx.setTimer(limits.requestTimeoutMs(), t -> fail(new McpClientException.Timeout(
        "upstream sent no endpoint event within " + limits.requestTimeoutMs() + " ms")));
    UpstreamCall call = new UpstreamCall(vertx);
    Future<io.vertx.core.http.HttpClientRequest> opening = auth.headers()
        .compose(headers -> streams.request(HttpExchange.options(HttpMethod.GET, sseUrl, limits, headers)
            // the stream is long-lived and may be quiet between messages
            .setIdleTimeout(0)
            .putHeader("Accept", McpProtocol.Headers.EVENT_STREAM)))
        .map(request -> stream = request);
    call.send(opening, null, 0, "the event stream", response -> {
      onStream(response);
      return Future.succeededFuture();
    }).onFailure(e -> fail(HttpExchange.unreachable(e)));
    return endpoint.future().onComplete(r -> vertx.cancelTimer(timer)).map(this);
  }

  private void onStream(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      McpClientException.HttpStatus error = HttpExchange.status(response);
      HttpExchange.readBounded(response, 64 * 1024).onComplete(r -> fail(error));
      return;
    }
    if (!HttpExchange.mediaType(response).equals(McpProtocol.Headers.EVENT_STREAM)) {
      fail(new McpClientException.ProtocolViolation("upstream's SSE endpoint did not answer with an event stream"));
      response.request().reset();
      return;
    }
    SseParser parser = new SseParser(limits.maxResponseBytes(), this::onEvent);
    response.handler(chunk -> {
      try {
        parser.feed(chunk);
      } catch (SseParser.EventTooLargeException e) {
        fail(new McpClientException.ProtocolViolation(e.getMessage()));
      }
    });
    response.exceptionHandler(e -> fail(HttpExchange.unreachable(e)));
    response.endHandler(v -> fail(new McpClientException.Unreachable("upstream closed the event stream", null)));
  }

  private void onEvent(SseEvent event) {
    if (McpProtocol.ENDPOINT_EVENT.equals(event.type())) {
      try {
        URI base = URI.create(sseUrl);
        URI target = base.resolve(event.data().trim());
        // the credentials go wherever messages are posted: only ever to the origin they were meant for
        if (!sameOrigin(base, target)) {
          fail(new McpClientException.ProtocolViolation("upstream's endpoint event names another origin"));
          return;
        }
        endpoint.tryComplete(target.toString());
      } catch (IllegalArgumentException e) {
        fail(new McpClientException.ProtocolViolation("upstream sent an invalid endpoint URL"));
      }
      return;
    }
    if (!"message".equals(event.type()) || event.data().isEmpty()) return;
    Object decoded;
    try {
      decoded = Json.decodeValue(event.data());
    } catch (DecodeException e) {
      fail(new McpClientException.ProtocolViolation("upstream sent malformed JSON in an SSE event"));
      return;
    }
    if (!(decoded instanceof JsonObject message)) return;
    if (JsonRpc.isResponse(message)) {
      Promise<JsonObject> waiting = pending.remove(idKey(message.getValue("id")));
      if (waiting == null) return;
      try {
        waiting.tryComplete(resultOf(message));
      } catch (McpClientException e) {
        waiting.tryFail(e);
      }
    } else if (serverMessages != null) {
      serverMessages.accept(message);
    } else if (JsonRpc.isRequest(message)) {
      Object id = message.getValue("id");
      post(McpProtocol.Methods.PING.equals(message.getString("method"))
          ? JsonRpc.result(id, new JsonObject())
          : JsonRpc.error(id, McpProtocol.ErrorCodes.METHOD_NOT_FOUND, "the gateway's client does not support " + message.getString("method")));
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme())) && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b) && b.getRawUserInfo() == null;
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Whether the upstream stream is gone (the session can serve nothing more). */
  public boolean isClosed() {
    return closed;
  }

  /** Fails the connection and everything waiting on it; the first cause wins. */
  private void fail(McpClientException cause) {
    endpoint.tryFail(cause);
    pending.values().forEach(p -> p.tryFail(cause));
    pending.clear();
    if (!closed) {
      closed = true;
      if (stream != null) stream.reset();
    }
  }

  @Override
  public Transport transport() {
    return Transport.LEGACY_SSE;
  }

  @Override
  public Future<JsonObject> request(String method, JsonObject params) {
    return request(JsonRpc.request(ids.incrementAndGet(), method, params));
  }

  /**
   * Sends a request under its own id (the proxy relays an agent's request unchanged, so that the
   * agent's later {@code notifications/cancelled} names the right request) and answers its result.
   */
  public Future<JsonObject> request(JsonObject message) {
    if (closed) return Future.failedFuture(new McpClientException.Unreachable("upstream event stream is closed", null));
    String key = idKey(message.getValue("id"));
    Promise<JsonObject> promise = Promise.promise();
    pending.put(key, promise);
    long timer = vertx.setTimer(limits.requestTimeoutMs(), t -> {
      pending.remove(key);
      promise.tryFail(new McpClientException.Timeout("upstream did not answer within " + limits.requestTimeoutMs() + " ms"));
    });
    post(message).onFailure(e -> {
      pending.remove(key);
      promise.tryFail(e);
    });
    return promise.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  /** JSON-RPC ids by value: 7 and 7.0 are one id, "7" another. */
  private static String idKey(Object id) {
    return id instanceof Number n ? "n:" + n.longValue() : "s:" + id;
  }

  @Override
  public Future<Void> notify(String method, JsonObject params) {
    return post(JsonRpc.notification(method, params));
  }

  /** Sends a message the agent wrote (a notification, or its response to a server request) as is. */
  public Future<Void> post(JsonObject message) {
    Future<io.vertx.core.http.HttpClientRequest> opening = auth.headers()
        .compose(headers -> http.request(HttpExchange.options(HttpMethod.POST, endpoint.future().result(), limits, headers)
            .putHeader("Content-Type", McpProtocol.Headers.JSON)));
    return new UpstreamCall(vertx).send(opening, message.toBuffer(), limits.requestTimeoutMs(), "a message on the legacy transport",
        response -> {
          if (response.statusCode() >= 300) {
            McpClientException.HttpStatus error = HttpExchange.status(response);
            return HttpExchange.readBounded(response, 64 * 1024).transform(r -> Future.<Void>failedFuture(error));
          }
          return HttpExchange.readBounded(response, 64 * 1024).mapEmpty();
        });
  }

  @Override
  public Future<Void> close() {
    fail(new McpClientException.Unreachable("session closed", null));
    return Future.succeededFuture();
  }
}
