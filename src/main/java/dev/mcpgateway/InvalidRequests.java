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
 * {@code server.max_initial_line_bytes} (414), headers over {@code server.max_header_bytes} (431),
 * or any other malformed request (400). Vert.x's default answers these with an empty body; ours
 * answer in the surface's own error format (JSON-RPC on {@code /mcp/...}, the Cloudflare envelope
 * elsewhere) and close the connection, since the rest of what the client sent cannot be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ErrorCode code = cause instanceof TooLongHttpLineException ? ErrorCode.URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? ErrorCode.HEADERS_TOO_LARGE
        : ErrorCode.INVALID_JSON;
    JsonObject body = McpFailureHandler.handles(pathOf(request))
        ? new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", new JsonObject()
            .put("code", McpProtocol.ErrorCodes.INVALID_REQUEST).put("message", mcpMessage(code)))
        : Envelope.failure(List.of(code == ErrorCode.INVALID_JSON
            ? new ApiError(code, "malformed HTTP request", null) : ApiError.of(code)));
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
    return switch (code) {
      case URI_TOO_LONG -> "request line too long";
      case HEADERS_TOO_LARGE -> "request headers too large";
      default -> "malformed HTTP request";
    };
  }
}
