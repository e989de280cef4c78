package dev.mcpgateway.admin;

import dev.mcpgateway.model.ServiceToken;
import dev.mcpgateway.security.ServiceTokenSecrets;
import dev.mcpgateway.security.TokenHash;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Turns validated fields into a new service token or a changed one, and makes secrets. Expiry
 * follows Cloudflare: a create, a {@code duration} sent on update, and a refresh each set
 * {@code expires_at} to now + the duration ({@code forever}: none), so a refreshed token is valid
 * for one full duration from the refresh, never longer. A rotation keeps the previous secret valid
 * until {@code previous_client_secret_expires_at} when that is later than now, else ends it at once
 * (only the last previous secret is kept). Secrets leave here once, in {@link Issued}; tokens hold
 * their SHA-256 only.
 */
final class ServiceTokenChanges {
  /** A token whose secret was just made: the only moment it exists outside the agent's hands. */
  record Issued(ServiceToken token, String secret) {}

  private final Clock clock;
  private final ServiceTokenSecrets secrets;

  ServiceTokenChanges(Clock clock, ServiceTokenSecrets secrets) {
    this.clock = clock;
    this.secrets = secrets;
  }

  Issued create(String accountId, ServiceTokenFields fields) {
    Instant now = now();
    String duration = fields.duration() == null ? ServiceTokenDuration.DEFAULT : fields.duration();
    String secret = secrets.newSecret();
    ServiceToken token = new ServiceToken(accountId, UUID.randomUUID().toString(), fields.name(), secrets.newClientId(),
        TokenHash.sha256Hex(secret), null, null, 1, duration, ServiceTokenDuration.expiry(duration, now), fields.servers(), now, now, null);
    return new Issued(token, secret);
  }

  /** What an update makes of {@code current}; an {@link ApiException} when a sent field cannot apply to it. */
  ServiceToken update(ServiceToken current, ServiceTokenFields fields) {
    Instant now = now();
    if (fields.clientSecretVersion() != null && fields.clientSecretVersion() != current.secretVersion()) {
      throw new ApiException(ApiError.field(ErrorCode.INVALID_VALUE, "/client_secret_version", "is " + current.secretVersion()
          + "; a new secret comes from POST .../service_tokens/{id}/rotate, which shows it once"));
    }
    String previousHash = current.previousSecretSha256();
    Instant previousExpiry = current.previousSecretExpiresAt();
    if (fields.previousSecretExpiresAt() != null) {
      if (!current.previousSecretValid(now)) {
        throw new ApiException(ApiError.field(ErrorCode.INVALID_VALUE, "/previous_client_secret_expires_at",
            "the token has no previous secret still valid to extend or end; rotate it first"));
      }
      boolean ends = !fields.previousSecretExpiresAt().isAfter(now);
      previousHash = ends ? null : previousHash;
      previousExpiry = ends ? null : fields.previousSecretExpiresAt().truncatedTo(ChronoUnit.MILLIS);
    }
    String duration = fields.duration() != null ? fields.duration() : current.duration();
    Instant expiresAt = fields.duration() != null ? ServiceTokenDuration.expiry(duration, now) : current.expiresAt();
    return new ServiceToken(current.accountId(), current.id(), fields.name() != null ? fields.name() : current.name(), current.clientId(),
        current.secretSha256(), previousHash, previousExpiry, current.secretVersion(), duration, expiresAt,
        fields.servers() != null ? fields.servers() : current.servers(), current.createdAt(), now, current.lastSeenAt());
  }

  /** A new secret; the current one stays valid until {@code previousExpiresAt} (null or past: not at all). */
  Issued rotate(ServiceToken current, Instant previousExpiresAt) {
    Instant now = now();
    boolean keep = previousExpiresAt != null && previousExpiresAt.isAfter(now);
    String secret = secrets.newSecret();
    ServiceToken rotated = new ServiceToken(current.accountId(), current.id(), current.name(), current.clientId(), TokenHash.sha256Hex(secret),
        keep ? current.secretSha256() : null, keep ? previousExpiresAt.truncatedTo(ChronoUnit.MILLIS) : null, current.secretVersion() + 1,
        current.duration(), current.expiresAt(), current.servers(), current.createdAt(), now, current.lastSeenAt());
    return new Issued(rotated, secret);
  }

  ServiceToken refresh(ServiceToken current) {
    Instant now = now();
    return new ServiceToken(current.accountId(), current.id(), current.name(), current.clientId(), current.secretSha256(),
        current.previousSecretSha256(), current.previousSecretExpiresAt(), current.secretVersion(), current.duration(),
        ServiceTokenDuration.expiry(current.duration(), now), current.servers(), current.createdAt(), now, current.lastSeenAt());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
