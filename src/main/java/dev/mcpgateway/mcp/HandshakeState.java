package dev.mcpgateway.mcp;

import io.vertx.core.json.JsonObject;

/**
 * What both transports remember of the {@code initialize} handshake, and how both turn a JSON-RPC
 * response into a result or a {@link McpClientException}.
 */
abstract class HandshakeState implements McpSession {
  private String protocolVersion;
  private JsonObject initializeResult = new JsonObject();

  @Override
  public String protocolVersion() {
    return protocolVersion;
  }

  @Override
  public JsonObject initializeResult() {
    return initializeResult;
  }

  void initialized(String version, JsonObject result) {
    protocolVersion = version;
    initializeResult = result;
  }

  /** The {@code result} of a response, or the failure its {@code error} (or a missing result) means. */
  static JsonObject resultOf(JsonObject response) {
    JsonObject error = response.getValue("error") instanceof JsonObject e ? e : null;
    if (error != null) {
      int code = error.getValue("code") instanceof Number n ? n.intValue() : McpProtocol.ErrorCodes.INTERNAL_ERROR;
      String message = error.getValue("message") instanceof String m ? m : "";
      throw new McpClientException.RpcError(code, "upstream JSON-RPC error " + code + ": " + StreamableHttpSession.truncate(message));
    }
    if (response.getValue("result") instanceof JsonObject result) return result;
    throw new McpClientException.ProtocolViolation("upstream result is not a JSON object");
  }
}
