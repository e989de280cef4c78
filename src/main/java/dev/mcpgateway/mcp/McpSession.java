package dev.mcpgateway.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** An initialized conversation with one upstream MCP server, over whichever transport it speaks. */
public interface McpSession {

  /** STATELESS: the 2026-07-28 era, one self-contained POST per request, no session upstream. */
  enum Transport { STREAMABLE_HTTP, LEGACY_SSE, STATELESS }

  Transport transport();

  /** The version both sides agreed in {@code initialize}. */
  String protocolVersion();

  /** The server's {@code initialize} result: capabilities, serverInfo, instructions. */
  JsonObject initializeResult();

  default JsonObject serverCapabilities() {
    JsonObject capabilities = initializeResult().getJsonObject("capabilities");
    return capabilities == null ? new JsonObject() : capabilities;
  }

  /** The upstream's {@code Mcp-Session-Id}, for raw exchanges on the same session (null if none). */
  default String sessionId() {
    return null;
  }

  /** Sends a request; answers its {@code result}, or fails with a {@link McpClientException}. */
  Future<JsonObject> request(String method, JsonObject params);

  Future<Void> notify(String method, JsonObject params);

  /** Ends the session upstream (DELETE, or closing the event stream); never fails. */
  Future<Void> close();
}
