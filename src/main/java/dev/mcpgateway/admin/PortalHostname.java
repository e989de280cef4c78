package dev.mcpgateway.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * What a portal's {@code hostname} may be: a bare DNS host name, as Cloudflare writes it
 * ({@code mcp.example.com}) — no scheme, port, path, user info or IP literal; dot-separated labels
 * of 1 to 63 ASCII letters, digits and '-', none starting or ending with '-'; at most 253
 * characters. An internationalised name is written in its {@code xn--} form. Host names are
 * case-insensitive, so the gateway stores them lower-cased ({@link #normalize}), and "taken" (a
 * hostname is unique across the gateway) compares them that way.
 */
final class PortalHostname {
  static final int MAX_LENGTH = 253;
  static final int LABEL_MAX = 63;
  /** The same rule as a regular expression, for the OpenAPI document (checked equal by its test). */
  static final String PATTERN = "^(?=.{1,253}$)(?!(.*\\.)?([0-9]+|0[xX][0-9a-fA-F]*)$)"
      + "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";

  private PortalHostname() {}

  /** Empty when {@code host} is a bare DNS host name, else the problem in a few words. */
  static Optional<String> problem(String host) {
    if (host.isEmpty()) return Optional.of("must not be empty");
    if (host.contains("://") || host.matches("(?i)[a-z][a-z0-9+.-]*:/.*")) {
      return Optional.of("must be a bare host name such as mcp.example.com, without a scheme");
    }
    if (host.indexOf('@') >= 0) return Optional.of("must be a bare host name, without user info");
    if (host.indexOf('/') >= 0 || host.indexOf('?') >= 0 || host.indexOf('#') >= 0) {
      return Optional.of("must be a bare host name, without a path, query or fragment");
    }
    if (host.startsWith("[") || host.chars().filter(c -> c == ':').count() > 1) {
      return Optional.of("must be a DNS name, not an IP address");
    }
    if (host.indexOf(':') >= 0) return Optional.of("must be a bare host name, without a port");
    if (!host.chars().allMatch(c -> c < 0x80)) {
      return Optional.of("may contain only ASCII letters, digits, '-' and '.' (write an internationalised name in its xn-- form)");
    }
    if (host.length() > MAX_LENGTH) return Optional.of("must be at most " + MAX_LENGTH + " characters");
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()) return Optional.of("has an empty label (a dot at either end, or two in a row)");
      if (label.length() > LABEL_MAX) return Optional.of("has a label longer than " + LABEL_MAX + " characters");
      if (!label.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
        return Optional.of("may contain only letters, digits, '-' and '.'");
      }
      if (label.startsWith("-") || label.endsWith("-")) return Optional.of("has a label that starts or ends with '-'");
    }
    // The WHATWG URL rule: a host whose last label is numeric (decimal or 0x-hex) is an IPv4 address
    // (127.0.0.1, 2130706433, 0x7f.1), never a name a portal could be reached by.
    String last = labels[labels.length - 1].toLowerCase(Locale.ROOT);
    if (last.chars().allMatch(Character::isDigit) || last.matches("0x[0-9a-f]*")) {
      return Optional.of("must be a DNS name, not an IP address");
    }
    return Optional.empty();
  }

  /** The stored form: lower-cased. */
  static String normalize(String host) {
    return host.toLowerCase(Locale.ROOT);
  }
}
