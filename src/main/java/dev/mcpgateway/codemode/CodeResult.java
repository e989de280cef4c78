package dev.mcpgateway.codemode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How a run ended: {@code ok} with the function's value as text, or not, with the error's text;
 * {@code stopped} names the limit that ended it ({@code cpu}, {@code statements}, {@code memory},
 * {@code heap}, {@code timeout}, {@code busy}, {@code crashed}, {@code cancelled}) or is null; what the console
 * printed; how many tool calls it made.
 */
public record CodeResult(boolean ok, String text, String logs, String stopped, int calls) {

  static CodeResult refused(String stopped, String text) {
    return new CodeResult(false, text, "", stopped, 0);
  }

  /** The outcome label of metrics: ok, error (the code threw), or the limit that stopped it. */
  public String outcome() {
    return stopped != null ? stopped : ok ? "ok" : "error";
  }

  /** As an MCP tool result: the text, then what the console printed; an error is {@code isError}. */
  public JsonObject toToolResult() {
    JsonArray content = new JsonArray().add(new JsonObject().put("type", "text").put("text", ok ? text : "Error: " + strip(text)));
    if (logs != null && !logs.isEmpty()) content.add(new JsonObject().put("type", "text").put("text", "console:\n" + logs));
    JsonObject result = new JsonObject().put("content", content);
    if (!ok) result.put("isError", true);
    return result;
  }

  private static String strip(String text) {
    return text.startsWith("Error: ") ? text.substring("Error: ".length()) : text;
  }
}
