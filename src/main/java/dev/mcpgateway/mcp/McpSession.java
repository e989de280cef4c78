package dev.mcpgateway.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** An initialized conversation with one upstream MCP server, over whichever transport it speaks. */
public interface McpSession {

  enum Transport { STREAMABLE_HTTP, LEGACY_SSE }

  Transport transport();

  /** The version both sides agreed in {@code initialize}. */
  String protocolVersion();

  /** The server's {@code initialize} result: capabilities, serverInfo, instructions. */
  JsonObject initializeResult();

  default JsonObject serverCapabilities() {
    JsonObject capabilities = initializeResult().getJsonObject("capabilities");
    return capabilities == null ? new JsonObject() : capabilities;
  }

  /** Sends a request; answers its {@code result}, or fails with a {@link McpClientException}. */
  Future<JsonObject> request(String method, JsonObject params);

  Future<Void> notify(String method, JsonObject params);

  /** Ends the session upstream (DELETE, or closing the event stream); never fails. */
  Future<Void> close();
}
