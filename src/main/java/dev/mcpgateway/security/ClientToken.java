package dev.mcpgateway.security;

import java.util.HexFormat;
import java.util.Set;

/**
 * A token an agent presents to the MCP endpoint: scoped to accounts ({@code *} for all) and
 * optionally to server ids (empty for every server of those accounts).
 */
public record ClientToken(String name, byte[] sha256, Set<String> accounts, Set<String> servers) implements HashedToken {

  public ClientToken {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("client token needs a name");
    // agents are keyed by name (sessions, switches, rate limits): a client token may not pass for a service token
    if (name.startsWith(Agent.SERVICE_TOKEN_PREFIX)) throw new IllegalArgumentException("client token names may not start with " + Agent.SERVICE_TOKEN_PREFIX);
    if (sha256 == null || sha256.length != 32) throw new IllegalArgumentException("client token '" + name + "' needs a 64-hex-digit sha256");
    accounts = Set.copyOf(accounts);
    servers = Set.copyOf(servers);
    if (accounts.isEmpty()) throw new IllegalArgumentException("client token '" + name + "' reaches no account");
  }

  public static ClientToken ofHex(String name, String sha256Hex, Set<String> accounts, Set<String> servers) {
    byte[] hash;
    try {
      hash = HexFormat.of().parseHex(sha256Hex == null ? "" : sha256Hex.trim().toLowerCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("client token '" + name + "' has a sha256 that is not hex");
    }
    return new ClientToken(name, hash, accounts, servers);
  }

  public boolean mayUse(String accountId, String serverId) {
    return (accounts.contains(ApiToken.ALL_ACCOUNTS) || accounts.contains(accountId))
        && (servers.isEmpty() || servers.contains(serverId));
  }

  /** A portal's account: a token limited to some servers may use it, and sees only those members. */
  public boolean mayUseAccount(String accountId) {
    return accounts.contains(ApiToken.ALL_ACCOUNTS) || accounts.contains(accountId);
  }

  @Override
  public String toString() {
    return "ClientToken[" + name + ", accounts=" + accounts + ", servers=" + servers + "]";
  }
}
