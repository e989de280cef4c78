package dev.mcpgateway.mcp;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** Building and recognising JSON-RPC 2.0 messages, on the JSON objects themselves. */
public final class JsonRpc {
  private JsonRpc() {}

  public static JsonObject request(Object id, String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", McpProtocol.JSONRPC_VERSION).put("id", id).put("method", method);
    if (params != null) message.put("params", params);
    return message;
  }

  public static JsonObject notification(String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", McpProtocol.JSONRPC_VERSION).put("method", method);
    if (params != null) message.put("params", params);
    return message;
  }

  public static JsonObject result(Object id, JsonObject result) {
    return new JsonObject().put("jsonrpc", McpProtocol.JSONRPC_VERSION).put("id", id).put("result", result);
  }

  public static JsonObject error(Object id, int code, String message) {
    return new JsonObject().put("jsonrpc", McpProtocol.JSONRPC_VERSION).put("id", id)
        .put("error", new JsonObject().put("code", code).put("message", message));
  }

  public static boolean isResponse(JsonObject message) {
    return !message.containsKey("method") && message.containsKey("id") && (message.containsKey("result") || message.containsKey("error"));
  }

  public static boolean isRequest(JsonObject message) {
    return message.getValue("method") instanceof String && message.getValue("id") != null;
  }

  /** JSON-RPC ids compare by value: 7 and 7.0 and 7L are the same id; "7" is not. */
  public static boolean sameId(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return Objects.equals(a, b);
  }
}
