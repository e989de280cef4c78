package dev.mcpgateway.authserver;

import dev.mcpgateway.security.RevokedSessions;
import dev.mcpgateway.store.SessionRevocations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;

/**
 * Grants revoked while access tokens of theirs may still be valid — a replayed code or refresh
 * token, a revocation — so that those self-contained JWTs stop working at once, on every replica,
 * not only when they expire. The same mechanism as ended agent sessions ({@link RevokedSessions}:
 * keys with an expiry in {@link SessionRevocations}, heard by every replica, checked in memory),
 * keyed by {@code sign-in-grant:<grant id>} and kept for an access token's lifetime plus the skew.
 * Access tokens carry their grant's id in {@code grant_id}.
 */
final class RevokedGrants {
  static final String CLAIM = "grant_id";
  private static final String PREFIX = "sign-in-grant:";

  private final RevokedSessions revoked;
  private final Clock clock;

  RevokedGrants(Vertx vertx, SessionRevocations store, Clock clock, Duration accessTokenTtl) {
    this.revoked = new RevokedSessions(vertx, store, clock, accessTokenTtl);
    this.clock = clock;
  }

  Future<Void> start() {
    return revoked.start();
  }

  void stop() {
    revoked.stop();
  }

  /** Revokes the access tokens of {@code grantId} issued until now. */
  Future<Void> revoke(String grantId) {
    return revoked.revoke(PREFIX + grantId, clock.instant());
  }

  /** Whether an access token's claims name a revoked grant. */
  boolean isRevoked(JsonObject claims) {
    return claims.getValue(CLAIM) instanceof String grantId && revoked.isRevoked(PREFIX + grantId);
  }
}
