package dev.mcpgateway.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two shapes of bearer {@code auth_credentials}: a raw token, sent as
 * {@code Authorization: Bearer <token>}, or a JSON string {@code {"headers": {"Name": "value"}}}
 * sent as exactly those headers. Both end up in upstream request headers, so neither may carry a
 * control character (no CR/LF header injection). Problems are described without echoing the
 * secret.
 */
final class CredentialsFormat {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Headers the gateway itself must control on every upstream request. */
  private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "transfer-encoding",
      "connection", "upgrade", "te", "trailer", "accept", "mcp-session-id", "mcp-protocol-version", "last-event-id");
  static final int MAX_HEADERS = 32;

  private CredentialsFormat() {}

  static Optional<String> problem(String credentials) {
    if (credentials.isEmpty()) return Optional.of("must not be empty");
    if (!credentials.stripLeading().startsWith("{")) {
      if (hasControlOrSpace(credentials)) return Optional.of("a raw token may not contain spaces or control characters");
      return Optional.empty();
    }
    JsonObject json;
    try {
      json = new JsonObject(credentials);
    } catch (DecodeException e) {
      return Optional.of("starts with '{' but is not valid JSON; expected {\"headers\": {\"Name\": \"value\"}}");
    }
    if (json.size() != 1 || !(json.getValue("headers") instanceof JsonObject headers)) {
      return Optional.of("JSON credentials must be exactly {\"headers\": {\"Name\": \"value\", ...}}");
    }
    if (headers.isEmpty() || headers.size() > MAX_HEADERS) {
      return Optional.of("headers must hold 1 to " + MAX_HEADERS + " entries");
    }
    for (Map.Entry<String, Object> header : headers) {
      String name = header.getKey();
      if (!HEADER_NAME.matcher(name).matches()) return Optional.of("header name '" + printable(name) + "' is not a valid HTTP header name");
      if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) return Optional.of("header '" + name + "' is set by the gateway and cannot be configured");
      if (!(header.getValue() instanceof String value)) return Optional.of("the value of header '" + name + "' must be a string");
      if (hasControl(value)) return Optional.of("the value of header '" + name + "' contains a control character");
    }
    return Optional.empty();
  }

  private static boolean hasControlOrSpace(String text) {
    return text.chars().anyMatch(c -> c <= 0x20 || c == 0x7f);
  }

  private static boolean hasControl(String text) {
    return text.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
  }

  private static String printable(String name) {
    String cleaned = name.replaceAll("[^\\x21-\\x7e]", "?");
    return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
  }
}
