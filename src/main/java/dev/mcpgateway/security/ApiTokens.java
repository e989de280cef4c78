package dev.mcpgateway.security;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a presented bearer token to its configured {@link ApiToken}. Only hashes are held; each
 * is compared in constant time and every configured token is compared, so the time taken does not
 * reveal which (or whether any) prefix matched.
 */
public final class ApiTokens {
  private final List<ApiToken> tokens;

  public ApiTokens(List<ApiToken> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  public Optional<ApiToken> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) return Optional.empty();
    byte[] hash = TokenHash.sha256(presented);
    ApiToken match = null;
    for (ApiToken token : tokens) {
      if (MessageDigest.isEqual(hash, token.sha256()) && match == null) match = token;
    }
    return Optional.ofNullable(match);
  }

  public boolean isEmpty() {
    return tokens.isEmpty();
  }
}
