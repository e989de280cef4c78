package dev.mcpgateway.upstream.oauth;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a {@code Bearer} challenge (RFC 6750 §3, RFC 9728 §5.1): {@code
 * resource_metadata}, {@code scope}, {@code error}. Parameter names are case-insensitive; values
 * are tokens or quoted strings (which may hold commas and spaces, and backslash escapes).
 */
public record WwwAuthenticate(Map<String, String> params) {

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The first Bearer challenge among the header values, if any. */
  public static Optional<WwwAuthenticate> bearer(List<String> headerValues) {
    for (String value : headerValues) {
      Optional<WwwAuthenticate> found = parse(value);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  static Optional<WwwAuthenticate> parse(String header) {
    if (header == null) return Optional.empty();
    int i = 0;
    int n = header.length();
    while (i < n) {
      // a scheme token
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) i++;
      int start = i;
      while (i < n && header.charAt(i) != ' ' && header.charAt(i) != ',') i++;
      String scheme = header.substring(start, i);
      Map<String, String> params = new HashMap<>();
      // its auth-params: name=value pairs until the next scheme
      while (i < n) {
        int save = i;
        while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) i++;
        int nameStart = i;
        while (i < n && header.charAt(i) != '=' && header.charAt(i) != ' ' && header.charAt(i) != ',') i++;
        if (i >= n || header.charAt(i) != '=') {
          i = save; // not a parameter: the next challenge's scheme
          break;
        }
        String name = header.substring(nameStart, i).toLowerCase(Locale.ROOT);
        i++; // '='
        StringBuilder value = new StringBuilder();
        if (i < n && header.charAt(i) == '"') {
          i++;
          while (i < n && header.charAt(i) != '"') {
            if (header.charAt(i) == '\\' && i + 1 < n) i++;
            value.append(header.charAt(i++));
          }
          i++; // closing quote
        } else {
          while (i < n && header.charAt(i) != ',' && header.charAt(i) != ' ') value.append(header.charAt(i++));
        }
        params.putIfAbsent(name, value.toString());
        if (i == save) break;
      }
      if (scheme.equalsIgnoreCase("Bearer")) return Optional.of(new WwwAuthenticate(Map.copyOf(params)));
      if (i == start) break;
    }
    return Optional.empty();
  }
}
