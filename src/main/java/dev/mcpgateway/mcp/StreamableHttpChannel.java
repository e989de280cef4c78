package dev.mcpgateway.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;

/**
 * Raw Streamable HTTP exchanges with an upstream, for the proxy: it relays what comes back (JSON
 * or an event stream) itself, message by message, instead of waiting for a final result. Headers
 * are built from scratch — only the server's own credentials and the session headers — so nothing
 * an agent sent (its token above all) can reach the upstream.
 */
public final class StreamableHttpChannel {
  private final Vertx vertx;
  private final GuardedHttp http;
  private final GuardedHttp streams;
  private final McpClientOptions limits;

  StreamableHttpChannel(Vertx vertx, GuardedHttp http, GuardedHttp streams, McpClientOptions limits) {
    this.vertx = vertx;
    this.http = http;
    this.streams = streams;
    this.limits = limits;
  }

  /** Where and as whom: the upstream endpoint, its credentials, and the session headers (nullable). */
  public record Target(String endpoint, Map<String, String> auth, String sessionId, String protocolVersion) {}

  public McpClientOptions limits() {
    return limits;
  }

  /** A call to send requests of this channel through (see {@link UpstreamCall}). */
  public UpstreamCall call() {
    return new UpstreamCall(vertx);
  }

  /** Opens a POST of one JSON-RPC message; the caller sends the body and reads the response. */
  public Future<HttpClientRequest> post(Target target) {
    return http.request(postOptions(target));
  }

  /** A POST whose answer is a long-lived stream (a subscription): on the streams pool, no idle timeout. */
  public Future<HttpClientRequest> postStream(Target target) {
    return streams.request(postOptions(target).setIdleTimeout(0));
  }

  private RequestOptions postOptions(Target target) {
    return options(HttpMethod.POST, target)
        .putHeader("Accept", McpProtocol.Headers.ACCEPT_BOTH)
        .putHeader("Content-Type", McpProtocol.Headers.JSON);
  }

  /** Opens the server-to-client stream; {@code lastEventId} resumes it where the agent left off. */
  public Future<HttpClientRequest> get(Target target, String lastEventId) {
    RequestOptions options = options(HttpMethod.GET, target).setIdleTimeout(0).putHeader("Accept", McpProtocol.Headers.EVENT_STREAM);
    if (lastEventId != null) options.putHeader(McpProtocol.Headers.LAST_EVENT_ID, lastEventId);
    return streams.request(options);
  }

  /** Ends the upstream session; answers the upstream's status (405: it does not let clients end sessions). */
  public Future<Integer> delete(Target target) {
    return new UpstreamCall(vertx).send(http.request(options(HttpMethod.DELETE, target)), null, limits.requestTimeoutMs(),
        "DELETE of the session", response -> HttpExchange.drain(response).map(response.statusCode()));
  }

  /** A message whose answer is only its status (a notification such as {@code notifications/cancelled}, a response). */
  public Future<Integer> send(Target target, Buffer message) {
    return new UpstreamCall(vertx).send(http.request(postOptions(target)), message, limits.requestTimeoutMs(),
        "a notification or response", response -> HttpExchange.drain(response).map(response.statusCode()));
  }

  /** Reads and drops a body nobody needs, so the connection goes back to the pool. */
  public static Future<Void> drain(io.vertx.core.http.HttpClientResponse response) {
    return HttpExchange.drain(response);
  }

  private RequestOptions options(HttpMethod method, Target target) {
    RequestOptions options = HttpExchange.options(method, target.endpoint(), limits, target.auth());
    if (target.sessionId() != null) options.putHeader(McpProtocol.Headers.SESSION_ID, target.sessionId());
    if (target.protocolVersion() != null) options.putHeader(McpProtocol.Headers.PROTOCOL_VERSION, target.protocolVersion());
    return options;
  }

  /** A transport-level failure as an operator would say it. */
  public static McpClientException classify(Throwable e) {
    return HttpExchange.unreachable(e);
  }

  /** The whole body, failing past {@code max} bytes. */
  public static Future<Buffer> readBounded(io.vertx.core.http.HttpClientResponse response, int max) {
    return HttpExchange.readBounded(response, max);
  }

  public static McpClientException.HttpStatus status(io.vertx.core.http.HttpClientResponse response) {
    return HttpExchange.status(response);
  }

  public static String mediaType(io.vertx.core.http.HttpClientResponse response) {
    return HttpExchange.mediaType(response);
  }
}
