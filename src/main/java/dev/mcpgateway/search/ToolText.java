package dev.mcpgateway.search;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The searchable text of one MCP tool definition, read defensively: a field of the wrong type is
 * ignored, never an error, because definitions come from upstream servers we do not control.
 *
 * @param name the tool's name ({@code {server}_{tool}} on a portal)
 * @param titles {@code title} and {@code annotations.title}
 * @param description {@code description}
 * @param params {@code inputSchema} property names with their titles, descriptions and enum values,
 *     nested objects and array items included (bounded in depth and size)
 */
record ToolText(String name, String titles, String description, String params) {
  /** Nested schemas deeper than this are not read: their words say little about the tool. */
  private static final int MAX_DEPTH = 4;
  /** Per field: a description or schema larger than this is read only up to here. */
  static final int MAX_FIELD_CHARS = 32_768;

  /** The text of {@code tool}, or null when it has no usable name (a tool without one cannot be called). */
  static ToolText of(JsonObject tool) {
    String name = string(tool.getValue("name"));
    if (name == null || name.isBlank()) return null;
    StringBuilder titles = new StringBuilder();
    append(titles, string(tool.getValue("title")));
    if (tool.getValue("annotations") instanceof JsonObject annotations) append(titles, string(annotations.getValue("title")));
    StringBuilder params = new StringBuilder();
    if (tool.getValue("inputSchema") instanceof JsonObject schema) properties(schema, params, 0);
    return new ToolText(name, cap(titles), cap(new StringBuilder().append(nonNull(string(tool.getValue("description"))))), cap(params));
  }

  private static void properties(JsonObject schema, StringBuilder out, int depth) {
    if (depth >= MAX_DEPTH || out.length() >= MAX_FIELD_CHARS) return;
    if (schema.getValue("properties") instanceof JsonObject properties) {
      for (Map.Entry<String, Object> property : properties) {
        append(out, property.getKey());
        if (property.getValue() instanceof JsonObject p) describe(p, out, depth);
      }
    }
    if (schema.getValue("items") instanceof JsonObject items) describe(items, out, depth);
  }

  private static void describe(JsonObject property, StringBuilder out, int depth) {
    append(out, string(property.getValue("title")));
    append(out, string(property.getValue("description")));
    if (property.getValue("enum") instanceof JsonArray values) {
      for (Object value : values) append(out, string(value));
    }
    properties(property, out, depth + 1);
  }

  private static void append(StringBuilder out, String text) {
    if (text == null || text.isBlank() || out.length() >= MAX_FIELD_CHARS) return;
    if (out.length() > 0) out.append('\n');
    out.append(text);
  }

  private static String cap(StringBuilder text) {
    if (text.length() <= MAX_FIELD_CHARS) return text.toString();
    int end = MAX_FIELD_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end);
  }

  private static String string(Object value) {
    return value instanceof String s ? s : null;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
