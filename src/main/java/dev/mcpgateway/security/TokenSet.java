package dev.mcpgateway.security;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a presented bearer token to its configured token (API or client). Only hashes are
 * held; each is compared in constant time and every configured token is compared, so the time
 * taken does not reveal which (or whether any) prefix matched.
 */
public final class TokenSet<T extends HashedToken> {
  private final List<T> tokens;

  public TokenSet(List<T> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  public Optional<T> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) return Optional.empty();
    byte[] hash = TokenHash.sha256(presented);
    T match = null;
    for (T token : tokens) {
      if (MessageDigest.isEqual(hash, token.sha256()) && match == null) match = token;
    }
    return Optional.ofNullable(match);
  }

  /** The configured token named {@code name} (names identify tokens in sealed tickets; never used to authenticate). */
  public Optional<T> named(String name) {
    return tokens.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public boolean isEmpty() {
    return tokens.isEmpty();
  }
}
