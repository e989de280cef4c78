package dev.mcpgateway.security;

import dev.mcpgateway.model.McpServer;
import java.util.Set;

/**
 * Who is calling an MCP endpoint, once authenticated: a configured client token, a service token
 * ({@code CF-Access-Client-Id}/{@code -Secret}) or a user signed in with OAuth. {@code name} is the
 * key everything downstream keeps per agent — sessions are bound to it, portal switches and rate
 * limits are counted by it, and {@code on_behalf} upstream OAuth connections are stored under it —
 * so it is stable across requests and distinct across kinds ({@code user:<sub>},
 * {@code service-token:<id>}, a client token's configured name). It never holds a secret, and
 * metrics never carry it.
 *
 * @param email the user's e-mail claim, null for tokens
 * @param groups the user's groups claim, empty for tokens
 * @param accounts accounts reachable ({@code *} for all)
 * @param servers server ids reachable within them; {@link #EVERY_SERVER} for all, empty for none
 */
public record Agent(String name, Kind kind, String email, Set<String> groups, Set<String> accounts, Set<String> servers) {
  public static final String USER_PREFIX = "user:";
  public static final String SERVICE_TOKEN_PREFIX = "service-token:";
  /** Every server of the reachable accounts (server ids cannot be {@code *}). */
  public static final Set<String> EVERY_SERVER = Set.of("*");

  public enum Kind {
    CLIENT_TOKEN, SERVICE_TOKEN, USER;

    /** The lower-case label of access logs and the policy explanation. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Agent {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("an agent needs a name");
    groups = Set.copyOf(groups);
    accounts = Set.copyOf(accounts);
    servers = Set.copyOf(servers);
  }

  /** A configured client token's agent: its name and scope. */
  public static Agent of(ClientToken token) {
    return new Agent(token.name(), Kind.CLIENT_TOKEN, null, Set.of(), token.accounts(), token.servers().isEmpty() ? EVERY_SERVER : token.servers());
  }

  public boolean mayUse(String accountId, String serverId) {
    return mayUseAccount(accountId) && mayUseServer(serverId);
  }

  /** Whether the server is within this agent's servers (its account checked apart). */
  public boolean mayUseServer(String serverId) {
    return servers.contains("*") || servers.contains(serverId);
  }

  /** This agent reaching only {@code allowed} of its servers: what access policies leave it on a portal. */
  public Agent within(Set<String> allowed) {
    return new Agent(name, kind, email, groups, accounts, allowed.stream().filter(this::mayUseServer).collect(java.util.stream.Collectors.toSet()));
  }

  /** A portal's account: an agent limited to some servers may use it, and sees only those members. */
  public boolean mayUseAccount(String accountId) {
    return accounts.contains(ApiToken.ALL_ACCOUNTS) || accounts.contains(accountId);
  }

  /**
   * Whether {@code server} (as the caller calls it: a portal's {@code on_behalf} applied) may serve
   * this agent at all. A service token has no person behind it to complete a per-user OAuth grant,
   * so servers that act on their users' behalf are closed to it, as on Cloudflare; it reaches the
   * others with their admin credential.
   */
  public boolean mayReach(McpServer server) {
    return kind != Kind.SERVICE_TOKEN || !server.needsUserGrant();
  }

  @Override
  public String toString() {
    // the e-mail is personal data: logs name the agent by its key only
    return "Agent[" + name + ", " + kind.label() + ", accounts=" + accounts + ", servers=" + servers + "]";
  }
}
