package dev.mcpgateway.admin;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two shapes of bearer {@code auth_credentials}: a raw token, sent as
 * {@code Authorization: Bearer <token>}, or a JSON string {@code {"headers": {"Name": "value"}}}
 * sent as exactly those headers. Both end up in upstream request headers, so neither may carry a
 * control or non-ASCII character (no CR/LF header injection). Problems are described without
 * echoing the secret.
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
      if (!isVisibleAscii(credentials, false)) return Optional.of("a raw token may contain only visible ASCII characters");
      return Optional.empty();
    }
    Object parsed = StrictJson.parse(credentials.getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (!(parsed instanceof JsonObject json)) {
      return Optional.of("starts with '{' but is not a valid JSON object; expected {\"headers\": {\"Name\": \"value\"}}");
    }
    if (json.size() != 1 || !(json.getValue("headers") instanceof JsonObject headers)) {
      return Optional.of("JSON credentials must be exactly {\"headers\": {\"Name\": \"value\", ...}}");
    }
    if (headers.isEmpty() || headers.size() > MAX_HEADERS) {
      return Optional.of("headers must hold 1 to " + MAX_HEADERS + " entries");
    }
    Set<String> seen = new HashSet<>();
    int index = 0;
    for (Map.Entry<String, Object> header : headers) {
      index++;
      String name = header.getKey();
      // an invalid name is not echoed: it may be a secret pasted into the wrong place
      if (!HEADER_NAME.matcher(name).matches()) return Optional.of("header " + index + " does not have a valid HTTP header name");
      String lower = name.toLowerCase(Locale.ROOT);
      if (RESERVED.contains(lower)) return Optional.of("header '" + name + "' is set by the gateway and cannot be configured");
      if (!seen.add(lower)) return Optional.of("header '" + name + "' is given twice (header names are case-insensitive)");
      if (!(header.getValue() instanceof String value)) return Optional.of("the value of header '" + name + "' must be a string");
      if (!isVisibleAscii(value, true)) {
        return Optional.of("the value of header '" + name + "' may contain only visible ASCII characters, spaces and tabs");
      }
    }
    return Optional.empty();
  }

  private static boolean isVisibleAscii(String text, boolean allowBlanks) {
    return text.chars().allMatch(c -> c >= 0x21 && c <= 0x7e || allowBlanks && (c == ' ' || c == '\t'));
  }
}
