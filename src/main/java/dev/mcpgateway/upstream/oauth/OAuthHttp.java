package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.upstream.OutboundGuard;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * HTTP to authorization servers and metadata documents. Their addresses come from upstream
 * answers, so every request goes through the same outbound guard as MCP traffic (resolve, judge,
 * pin); redirects are never followed; answers are bounded in size and time.
 */
public final class OAuthHttp {
  static final int MAX_BODY_BYTES = 256 * 1024;
  private final HttpClient client;
  private final OutboundGuard guard;
  private final long timeoutMs;

  private final Vertx vertx;

  /** The tracing of this gateway's Vert.x instance (token requests are spans of their own). */
  public dev.mcpgateway.tracing.Tracing tracing() {
    return dev.mcpgateway.tracing.Tracing.of(vertx);
  }

  public OAuthHttp(Vertx vertx, OutboundGuard guard, long connectTimeoutMs, long timeoutMs) {
    this.vertx = vertx;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setConnectTimeout((int) connectTimeoutMs).setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(8))
        .build();
    this.guard = guard;
    this.timeoutMs = timeoutMs;
  }

  /** An answer: status, headers and the body (at most {@link #MAX_BODY_BYTES}). */
  public record Response(int status, MultiMap headers, Buffer body) {
    /** The body as a JSON object, or null when it is not one. */
    public JsonObject json() {
      try {
        return body.length() == 0 || body.getByte(0) != '{' ? null : new JsonObject(body);
      } catch (RuntimeException notJson) {
        return null;
      }
    }
  }

  public Future<Response> get(String url) {
    return send(HttpMethod.GET, url, Map.of(HttpHeaders.ACCEPT.toString(), "application/json"), null);
  }

  /** A GET with {@code Authorization: Bearer <token>} (an OpenID provider's userinfo). */
  public Future<Response> getWithBearer(String url, String token) {
    return send(HttpMethod.GET, url, Map.of(HttpHeaders.ACCEPT.toString(), "application/json",
        HttpHeaders.AUTHORIZATION.toString(), "Bearer " + token), null);
  }

  public Future<Response> postJson(String url, JsonObject body) {
    return send(HttpMethod.POST, url, Map.of(HttpHeaders.ACCEPT.toString(), "application/json",
        HttpHeaders.CONTENT_TYPE.toString(), "application/json"), body.toBuffer());
  }

  /** POST of an {@code application/x-www-form-urlencoded} body, optionally with HTTP Basic client authentication. */
  public Future<Response> postForm(String url, Map<String, String> form, String basicUser, String basicSecret) {
    StringBuilder encoded = new StringBuilder();
    form.forEach((k, v) -> {
      if (v == null) return;
      if (encoded.length() > 0) encoded.append('&');
      encoded.append(encode(k)).append('=').append(encode(v));
    });
    Map<String, String> headers = new java.util.HashMap<>(Map.of(HttpHeaders.ACCEPT.toString(), "application/json",
        HttpHeaders.CONTENT_TYPE.toString(), "application/x-www-form-urlencoded"));
    if (basicUser != null) {
      // RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined
      String pair = encode(basicUser) + ":" + encode(basicSecret == null ? "" : basicSecret);
      headers.put(HttpHeaders.AUTHORIZATION.toString(), "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return send(HttpMethod.POST, url, headers, Buffer.buffer(encoded.toString()));
  }

  /** A POST with an arbitrary JSON-RPC body, answered as is: the unauthenticated probe of an MCP endpoint. */
  public Future<Response> probe(String url, JsonObject body) {
    return send(HttpMethod.POST, url, Map.of(HttpHeaders.ACCEPT.toString(), "application/json, text/event-stream",
        HttpHeaders.CONTENT_TYPE.toString(), "application/json"), body.toBuffer());
  }

  private Future<Response> send(HttpMethod method, String url, Map<String, String> headers, Buffer body) {
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setTimeout(timeoutMs).setFollowRedirects(false);
    } catch (RuntimeException badUrl) {
      return Future.failedFuture(new OAuthException("not a usable URL: " + OAuthException.shown(url)));
    }
    headers.forEach(options::putHeader);
    // the request's own timeout bounds silence; the reader is attached before the request is sent (UpstreamCall)
    return new UpstreamCall(vertx).send(guard.pin(options).compose(client::request), body, 0, "an authorization server request", response -> {
          String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
          if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            response.request().reset();
            return Future.failedFuture(new OAuthException("answer from " + OAuthException.shown(url) + " is too large"));
          }
          Buffer received = Buffer.buffer();
          io.vertx.core.Promise<Response> done = io.vertx.core.Promise.promise();
          response.handler(chunk -> {
            if (received.length() + chunk.length() > MAX_BODY_BYTES) {
              response.request().reset();
              done.tryFail(new OAuthException("answer from " + OAuthException.shown(url) + " is too large"));
            } else {
              received.appendBuffer(chunk);
            }
          });
          response.exceptionHandler(done::tryFail);
          response.endHandler(v -> done.tryComplete(new Response(response.statusCode(), response.headers(), received)));
          return done.future();
        })
        .recover(failure -> Future.failedFuture(failure instanceof OAuthException ? failure
            : new OAuthException("could not reach " + OAuthException.shown(url) + ": " + failureName(failure))));
  }

  private static String failureName(Throwable failure) {
    if (failure instanceof McpClientException.Timeout) return "timed out";
    if (failure instanceof McpClientException.Forbidden) return failure.getMessage();
    if (failure instanceof McpClientException.Unreachable && failure.getCause() != null) return failureName(failure.getCause());
    if (failure instanceof OutboundGuard.ForbiddenAddressException) return failure.getMessage();
    if (failure instanceof java.util.concurrent.TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) return "timed out";
    if (failure instanceof java.net.ConnectException) return "connection refused";
    return failure.getClass().getSimpleName();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public Future<Void> close() {
    return client.close();
  }
}
