package dev.mcpgateway.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** HTTP plumbing shared by both transports: request options, bounded bodies, failure classes. */
final class HttpExchange {
  private HttpExchange() {}

  static RequestOptions options(HttpMethod method, String uri, McpClientOptions limits, Map<String, String> auth) {
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(uri)
        .setConnectTimeout(limits.connectTimeoutMs())
        .setIdleTimeout(limits.idleTimeoutMs())
        .setFollowRedirects(false);
    auth.forEach(options::putHeader);
    return options;
  }

  /** The whole body, failing once it passes {@code max} bytes (and dropping the connection then). */
  static Future<Buffer> readBounded(HttpClientResponse response, int max) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > max) {
        if (promise.tryFail(new McpClientException.ProtocolViolation("upstream response larger than " + max + " bytes"))) {
          response.request().reset();
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    response.exceptionHandler(e -> promise.tryFail(unreachable(e)));
    response.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  /**
   * Reads and drops a body nobody needs (an error page, a DELETE's answer), bounded, so the
   * connection goes back to the pool; in place of {@code response.body()}, whose 5.0.8 form races
   * with the end of the response (eclipse-vertx/vert.x#6038).
   */
  static Future<Void> drain(HttpClientResponse response) {
    return readBounded(response, 64 * 1024).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * A transport-level failure as an operator would say it, in fixed words: exception messages can
   * carry the upstream's path and query (where some services put a key) or internal addresses,
   * and these messages reach agents and logs.
   */
  static McpClientException unreachable(Throwable e) {
    if (e instanceof McpClientException known) return known;
    if (e instanceof dev.mcpgateway.upstream.oauth.OAuthException oauth) return new McpClientException.NotAuthorized(oauth.getMessage(), oauth.retryable(), oauth.authorizationUrl());
    if (e instanceof dev.mcpgateway.upstream.OutboundGuard.ForbiddenAddressException forbidden) {
      return new McpClientException.Forbidden(forbidden.getMessage());
    }
    String name = e.getClass().getSimpleName();
    String message;
    if (e instanceof ConnectException) message = "connection to the upstream refused or failed";
    else if (e instanceof UnknownHostException) message = "DNS lookup of the upstream host failed";
    else if (e instanceof SSLException) message = "TLS handshake with the upstream failed";
    else if (e instanceof TimeoutException || name.contains("Timeout")) return new McpClientException.Timeout("upstream timed out");
    else if (e instanceof ClosedChannelException || name.contains("Closed")) message = "upstream closed the connection";
    else message = "upstream connection failed (" + name + ")";
    return new McpClientException.Unreachable(message, e);
  }

  static String mediaType(HttpClientResponse response) {
    String type = response.getHeader("Content-Type");
    return type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
  }

  static McpClientException.HttpStatus status(HttpClientResponse response) {
    return status(response, null);
  }

  /** The status as a failure, with the JSON-RPC error code of its body when the body is such an error. */
  static McpClientException.HttpStatus status(HttpClientResponse response, Buffer body) {
    String reason = response.statusMessage() == null || response.statusMessage().isBlank() ? "" : " " + response.statusMessage();
    Integer rpcCode = null;
    if (body != null && body.length() > 0) {
      try {
        if (io.vertx.core.json.Json.decodeValue(body) instanceof io.vertx.core.json.JsonObject message
            && message.getValue("error") instanceof io.vertx.core.json.JsonObject error && error.getValue("code") instanceof Integer code) {
          rpcCode = code;
        }
      } catch (io.vertx.core.json.DecodeException notJson) {
        // a plain-text or HTML error page: the status alone says it
      }
    }
    return new McpClientException.HttpStatus(response.statusCode(), "upstream answered HTTP " + response.statusCode() + reason, rpcCode);
  }
}
