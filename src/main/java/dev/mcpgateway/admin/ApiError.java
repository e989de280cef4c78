package dev.mcpgateway.admin;

import io.vertx.core.json.JsonObject;

/**
 * One entry of the envelope's {@code errors}. {@code pointer} is the JSON pointer of the offending
 * field ({@code source.pointer}, as Cloudflare's clients model it), or null.
 */
public record ApiError(ErrorCode code, String message, String pointer) {

  public static ApiError of(ErrorCode code) {
    return new ApiError(code, code.defaultMessage(), null);
  }

  public static ApiError field(ErrorCode code, String pointer, String problem) {
    return new ApiError(code, pointer.substring(1).replace('/', '.') + ": " + problem, pointer);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code.code()).put("message", message);
    if (pointer != null) json.put("source", new JsonObject().put("pointer", pointer));
    return json;
  }
}
