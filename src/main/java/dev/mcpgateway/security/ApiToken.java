package dev.mcpgateway.security;

import java.util.HexFormat;
import java.util.Set;

/**
 * A configured API token: a name (recorded as {@code created_by}/{@code modified_by}), the SHA-256
 * of the token, and the accounts it may manage ({@code *} for all).
 */
public record ApiToken(String name, byte[] sha256, Set<String> accounts) implements HashedToken {
  public static final String ALL_ACCOUNTS = "*";

  public ApiToken {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("API token needs a name");
    if (sha256 == null || sha256.length != 32) throw new IllegalArgumentException("API token '" + name + "' needs a 64-hex-digit sha256");
    accounts = Set.copyOf(accounts);
    if (accounts.isEmpty()) throw new IllegalArgumentException("API token '" + name + "' manages no account");
  }

  public static ApiToken ofHex(String name, String sha256Hex, Set<String> accounts) {
    byte[] hash;
    try {
      hash = HexFormat.of().parseHex(sha256Hex == null ? "" : sha256Hex.trim().toLowerCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("API token '" + name + "' has a sha256 that is not hex");
    }
    return new ApiToken(name, hash, accounts);
  }

  public boolean mayManage(String accountId) {
    return accounts.contains(ALL_ACCOUNTS) || accounts.contains(accountId);
  }

  @Override
  public String toString() {
    return "ApiToken[" + name + ", accounts=" + accounts + "]";
  }
}
