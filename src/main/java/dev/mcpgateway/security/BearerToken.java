package dev.mcpgateway.security;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), if that is what it is. */
public final class BearerToken {
  private BearerToken() {}

  public static Optional<String> from(String header) {
    if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
    String token = header.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
