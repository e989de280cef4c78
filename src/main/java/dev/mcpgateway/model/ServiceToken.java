package dev.mcpgateway.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A machine credential of an account, as Cloudflare Access's service tokens: an agent presents
 * {@code CF-Access-Client-Id: <clientId>} and {@code CF-Access-Client-Secret: <secret>}. Only
 * the SHA-256 of a secret is ever kept ({@code secretSha256}, lowercase hex): the secret itself is
 * shown once, by the create or rotate that made it. After a rotation the previous secret's hash
 * stays valid until {@code previousSecretExpiresAt} (both null when there is none).
 *
 * @param id a UUID, the API's {@code service_token_id}
 * @param clientId {@code <32 hex>.access}, unique across the gateway (the header names no account)
 * @param duration as the API took it: a Go duration ({@code 8760h}) or {@code forever}
 * @param expiresAt null for a {@code forever} token
 * @param servers server ids of the account the token may reach; empty for every server (an extension)
 * @param lastSeenAt when an agent last authenticated with it, recorded lazily (at most hourly); null if never
 */
public record ServiceToken(
    String accountId,
    String id,
    String name,
    String clientId,
    String secretSha256,
    String previousSecretSha256,
    Instant previousSecretExpiresAt,
    int secretVersion,
    String duration,
    Instant expiresAt,
    List<String> servers,
    Instant createdAt,
    Instant updatedAt,
    Instant lastSeenAt) {

  public ServiceToken {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(secretSha256, "secretSha256");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if ((previousSecretSha256 == null) != (previousSecretExpiresAt == null)) {
      throw new IllegalArgumentException("a previous secret needs its expiry, and an expiry its secret");
    }
    servers = servers == null ? List.of() : List.copyOf(servers);
  }

  /** Whether the token no longer authenticates anyone at {@code now}. */
  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** Whether the secret before the last rotation still authenticates at {@code now}. */
  public boolean previousSecretValid(Instant now) {
    return previousSecretSha256 != null && now.isBefore(previousSecretExpiresAt);
  }

  public ServiceToken withLastSeenAt(Instant at) {
    return new ServiceToken(accountId, id, name, clientId, secretSha256, previousSecretSha256, previousSecretExpiresAt, secretVersion,
        duration, expiresAt, servers, createdAt, updatedAt, at);
  }

  @Override
  public String toString() {
    // the hashes are not secrets, but they say nothing a log reader needs
    return "ServiceToken[" + accountId + "/" + id + ", " + clientId + ", version " + secretVersion + "]";
  }
}
