package dev.mcpgateway;

import dev.mcpgateway.admin.ApiError;
import dev.mcpgateway.admin.Envelope;
import dev.mcpgateway.admin.ErrorCode;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.proxy.McpFailureHandler;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Requests the HTTP decoder refused before any route saw them: a request line over
 * {@code server.max_initial_line_bytes} (414) or headers over {@code server.max_header_bytes} (431).
 * Vert.x's default answers these with an empty body; ours answer in the surface's own error format
 * (JSON-RPC on {@code /mcp/...}, the Cloudflare envelope elsewhere; a request line too long to parse
 * has no known path, so 414 is always the envelope) and close the connection, since the rest of
 * what the client sent cannot be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (!(cause instanceof TooLongHttpLineException) && !(cause instanceof TooLongHttpHeaderException)) {
      // garbage: nothing of the request (not even its path) can be trusted; Vert.x closes the connection
      HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
      return;
    }
    ErrorCode code = cause instanceof TooLongHttpLineException ? ErrorCode.URI_TOO_LONG : ErrorCode.HEADERS_TOO_LARGE;
    JsonObject body = McpFailureHandler.handles(pathOf(request))
        ? new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", new JsonObject()
            .put("code", McpProtocol.ErrorCodes.INVALID_REQUEST).put("message", mcpMessage(code)))
        : Envelope.failure(List.of(ApiError.of(code)));
    request.response()
        .setStatusCode(code.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body.toBuffer())
        .onComplete(done -> request.connection().close());
  }

  private static String pathOf(HttpServerRequest request) {
    try {
      return request.path();
    } catch (RuntimeException unparsable) {
      return null;
    }
  }

  private static String mcpMessage(ErrorCode code) {
    return code == ErrorCode.URI_TOO_LONG ? "request line too long" : "request headers too large";
  }
}
