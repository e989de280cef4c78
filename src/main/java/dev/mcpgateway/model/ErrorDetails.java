package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;

/**
 * Why the last sync failed, as Cloudflare reports it: {@code is_upstream} true when the MCP server
 * answered with an error, false when it could not be reached.
 */
public record ErrorDetails(String cause, Boolean isUpstream, Integer mcpCode, Boolean retryable, Integer statusCode) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (cause != null) json.put("cause", cause);
    if (isUpstream != null) json.put("is_upstream", isUpstream);
    if (mcpCode != null) json.put("mcp_code", mcpCode);
    if (retryable != null) json.put("retryable", retryable);
    if (statusCode != null) json.put("status_code", statusCode);
    return json;
  }

  public static ErrorDetails fromJson(JsonObject json) {
    if (json == null) return null;
    return new ErrorDetails(
        json.getString("cause"),
        json.getBoolean("is_upstream"),
        json.getInteger("mcp_code"),
        json.getBoolean("retryable"),
        json.getInteger("status_code"));
  }
}
