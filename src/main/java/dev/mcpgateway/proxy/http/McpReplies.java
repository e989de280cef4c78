package dev.mcpgateway.proxy.http;

import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.ErrorDetails;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * What the MCP endpoint answers when it answers itself: JSON-RPC errors (with the HTTP status the
 * transport specification gives), results from the cache, and upstream failures as errors whose
 * {@code data} has the shape of the management API's {@code error_details}.
 */
public final class McpReplies {
  /** JSON-RPC code for "the upstream did not answer in time" (the TypeScript SDK's RequestTimeout). */
  public static final int REQUEST_TIMEOUT = -32001;
  /** JSON-RPC code for "no such session", as the official SDK servers answer it. */
  public static final int SESSION_NOT_FOUND = -32001;
  /** MCP 2025-11-25: the request needs the user to complete a URL-mode elicitation first. */
  public static final int URL_ELICITATION_REQUIRED = -32042;

  private McpReplies() {}

  public static JsonObject error(Object id, int code, String message, JsonObject data) {
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    if (data != null) error.put("data", data);
    return new JsonObject().put("jsonrpc", McpProtocol.JSONRPC_VERSION).put("id", id).put("error", error);
  }

  public static void json(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) return;
    if (response.headWritten()) {
      // an SSE stream is already open: the error travels as its last event
      response.end(AgentEventStream.frame(body));
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", McpProtocol.Headers.JSON).end(body.toBuffer());
  }

  /**
   * A result written from bytes encoded beforehand: {@code {"jsonrpc":"2.0","id":id,"result":{"<field>":array<more>}}},
   * {@code more} being further members of the result, already encoded with their leading comma (or empty).
   */
  public static void encodedResult(HttpServerResponse response, Object id, String field, Buffer array, String more) {
    if (response.ended() || response.closed()) return;
    Buffer body = Buffer.buffer(array.length() + 64 + more.length())
        .appendString("{\"jsonrpc\":\"" + McpProtocol.JSONRPC_VERSION + "\",\"id\":").appendString(Json.encode(id))
        .appendString(",\"result\":{\"").appendString(field).appendString("\":").appendBuffer(array).appendString(more).appendString("}}");
    if (response.headWritten()) {
      response.end(AgentEventStream.frame(new JsonObject(body)));
      return;
    }
    response.setStatusCode(200).putHeader("Content-Type", McpProtocol.Headers.JSON).end(body);
  }

  public static void error(HttpServerResponse response, int status, Object id, int code, String message) {
    json(response, status, error(id, code, message, null));
  }

  /** An upstream failure for request {@code id}: HTTP 200 with a JSON-RPC error carrying error_details. */
  public static void upstreamFailure(HttpServerResponse response, Exchange exchange, Object id, Throwable failure) {
    String authorizeAt = failure instanceof McpClientException.NotAuthorized n ? n.authorizationUrl()
        : failure instanceof dev.mcpgateway.upstream.oauth.OAuthException o ? o.authorizationUrl() : null;
    if (authorizeAt != null) {
      // the user must authorize the gateway first: MCP's URL-mode elicitation error (2025-11-25); its
      // message carries the URL too, for agents of older versions
      exchange.outcome("refused");
      if (exchange.errorCode == null) exchange.errorCode = URL_ELICITATION_REQUIRED;
      JsonObject elicitation = new JsonObject().put("mode", "url").put("elicitationId", java.util.UUID.randomUUID().toString())
          .put("url", authorizeAt).put("message", "Authorize the gateway to use this MCP server on your behalf");
      json(response, 200, error(id, URL_ELICITATION_REQUIRED, failure.getMessage(),
          new JsonObject().put("elicitations", new io.vertx.core.json.JsonArray().add(elicitation))));
      return;
    }
    ErrorDetails details = details(failure);
    boolean timeout = failure instanceof McpClientException.Timeout;
    exchange.outcome(timeout ? "timeout" : "upstream_error");
    if (exchange.errorCode == null) exchange.errorCode = timeout ? REQUEST_TIMEOUT : McpProtocol.ErrorCodes.INTERNAL_ERROR;
    String message = timeout ? "upstream MCP server timed out"
        : failure instanceof dev.mcpgateway.upstream.oauth.OAuthException || failure instanceof McpClientException.NotAuthorized
            ? "no usable OAuth connection to the upstream MCP server: " + failure.getMessage()
        : "upstream MCP server failed";
    json(response, 200, error(id, timeout ? REQUEST_TIMEOUT : McpProtocol.ErrorCodes.INTERNAL_ERROR, message, details.toJson()));
  }

  public static ErrorDetails details(Throwable failure) {
    return McpClientException.detailsOf(failure);
  }

}
