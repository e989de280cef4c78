package dev.mcpgateway.mcp;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request as a 2026-07-28 server takes it: {@code params._meta} carries the protocol version, the
 * client's capabilities and identity, and the HTTP headers mirror what intermediaries route on
 * ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}, and {@code Mcp-Param-*} for
 * tool arguments whose schema names a header with {@code x-mcp-header}). The headers are always
 * derived from the body as sent, so a name the gateway mapped (an alias) is mirrored as mapped.
 */
public final class StatelessEnvelope {
  private StatelessEnvelope() {}

  /** The schema keyword that names the header mirroring a tool argument. */
  public static final String HEADER_KEYWORD = "x-mcp-header";

  /**
   * {@code params} with the envelope added to its {@code _meta}; keys the caller already put there
   * (an agent's own version, capabilities and identity) are kept.
   */
  public static JsonObject params(JsonObject params, JsonObject clientCapabilities, JsonObject clientInfo) {
    JsonObject copy = params == null ? new JsonObject() : params.copy();
    JsonObject meta = copy.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    meta.put(McpProtocol.Stateless.META_VERSION, McpProtocol.Stateless.VERSION);
    if (!(meta.getValue(McpProtocol.Stateless.META_CAPABILITIES) instanceof JsonObject)) {
      meta.put(McpProtocol.Stateless.META_CAPABILITIES, clientCapabilities == null ? new JsonObject() : clientCapabilities.copy());
    }
    if (clientInfo != null && !meta.containsKey(McpProtocol.Stateless.META_CLIENT_INFO)) {
      meta.put(McpProtocol.Stateless.META_CLIENT_INFO, clientInfo.copy());
    }
    return copy.put("_meta", meta);
  }

  /**
   * The mirrored headers of a request: version, method, the name of named methods, and one
   * {@code Mcp-Param-*} per argument the tool's {@code inputSchema} marks with {@code x-mcp-header}
   * (null schema: none).
   */
  public static Map<String, String> headers(String method, JsonObject params, JsonObject inputSchema) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(McpProtocol.Headers.PROTOCOL_VERSION, McpProtocol.Stateless.VERSION);
    headers.put(McpProtocol.Stateless.METHOD_HEADER, method);
    String name = nameOf(method, params);
    if (name != null) headers.put(McpProtocol.Stateless.NAME_HEADER, encode(name));
    if (McpProtocol.Methods.TOOLS_CALL.equals(method) && inputSchema != null
        && inputSchema.getValue("properties") instanceof JsonObject properties
        && params != null && params.getValue("arguments") instanceof JsonObject arguments) {
      for (String property : properties.fieldNames()) {
        if (!(properties.getValue(property) instanceof JsonObject schema) || !(schema.getValue(HEADER_KEYWORD) instanceof String header)
            || !isToken(header)) continue;
        Object value = arguments.getValue(property);
        if (value instanceof String || value instanceof Boolean) {
          headers.put(McpProtocol.Stateless.PARAM_HEADER_PREFIX + header, encode(String.valueOf(value)));
        } else if (value instanceof Number number) {
          headers.put(McpProtocol.Stateless.PARAM_HEADER_PREFIX + header, plain(number));
        }
      }
    }
    return headers;
  }

  /** An HTTP token (RFC 9110): what a header name, or a method that travels in one, may be. */
  public static boolean isToken(String value) {
    return value != null && !value.isEmpty() && value.length() <= 256
        && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0 || c == '/');
  }

  /** A number as a JSON writer spells it (10000000000, 1.5), not as Java's toString does (1.0E10). */
  private static String plain(Number number) {
    if (number instanceof Double || number instanceof Float) {
      java.math.BigDecimal exact = new java.math.BigDecimal(number.toString()).stripTrailingZeros();
      return exact.scale() <= 0 ? exact.toBigInteger().toString() : exact.toPlainString();
    }
    return number.toString();
  }

  /** What {@code Mcp-Name} mirrors: the name of a call or prompt, the URI of a read; null for other methods. */
  public static String nameOf(String method, JsonObject params) {
    if (method == null || !McpProtocol.Stateless.NAMED.contains(method) || params == null) return null;
    return params.getValue(method.equals(McpProtocol.Methods.RESOURCES_READ) ? "uri" : "name") instanceof String s ? s : null;
  }

  /** A header value: as is when it is plain visible ASCII without edge spaces, else {@code =?base64?…?=}. */
  public static String encode(String value) {
    boolean plain = !value.isEmpty() && value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' '
        && !value.startsWith("=?base64?") && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return plain ? value : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  /** A mirrored header value as the body would hold it; null when absent or not valid base64. */
  public static String decode(String value) {
    if (value == null) return null;
    if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
      try {
        return new String(Base64.getDecoder().decode(value.substring(9, value.length() - 2)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        return null;
      }
    }
    return value;
  }
}
