package dev.mcpgateway.security;

import dev.mcpgateway.store.SessionRevocations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent sessions ended with {@code DELETE}, as this replica checks them on every request: a
 * map in memory of session keys (SHA-256 hex of the id, as {@link SessionRevocations} keeps them)
 * to when they may be forgotten. Filled from the store at start, kept current from its feed (every
 * replica's revocations, with PostgreSQL; everything read again after a lost LISTEN connection),
 * expired entries dropped periodically. The check is a hash lookup, never a store round trip.
 *
 * <p>A revocation is kept until the id would stop opening anyway — its issue time plus
 * {@code proxy.session_max_age_ms} — and {@link #SKEW} beyond, for the id's last instant and for
 * replicas whose clocks differ a little. The feed carries keys only, so a revocation heard from
 * another replica is kept for the longest any id issued by now can live ({@code now + max age +
 * skew}) until a read of the store says exactly.
 */
public final class RevokedSessions {
  private static final System.Logger LOG = System.getLogger(RevokedSessions.class.getName());
  static final Duration SKEW = Duration.ofMinutes(1);
  static final long PURGE_EVERY_MS = Duration.ofMinutes(10).toMillis();
  static final long RELOAD_RETRY_MS = 1000;

  private final Vertx vertx;
  private final SessionRevocations store;
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private volatile boolean reloadFailing;
  private volatile long purgeTimer = -1;

  public RevokedSessions(Vertx vertx, SessionRevocations store, Clock clock, Duration maxAge) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** Listens to the store, then reads every revocation in force; fails when the store cannot say (no replica serves revoked ids). */
  public Future<Void> start() {
    // listening first: a revocation made while the first read runs is not missed
    store.onRevoked(this::heard);
    return reload().onSuccess(v -> purgeTimer = vertx.setPeriodic(PURGE_EVERY_MS, id -> purge()));
  }

  /** Whether {@code sessionId} was ended with DELETE (on any replica). */
  public boolean isRevoked(String sessionId) {
    if (revoked.isEmpty()) return false;
    Instant until = revoked.get(TokenHash.sha256Hex(sessionId));
    return until != null && until.isAfter(clock.instant());
  }

  /**
   * Revokes the session {@code sessionId} issued at {@code issuedAt}, on every replica: in force here
   * once the store has it (the future succeeds then), elsewhere once they hear of it. Fails as the
   * store does, and then nothing changed.
   */
  public Future<Void> revoke(String sessionId, Instant issuedAt) {
    String key = TokenHash.sha256Hex(sessionId);
    Instant until = issuedAt.plus(maxAge).plus(SKEW);
    return store.revoke(key, until).onSuccess(v -> revoked.put(key, until));
  }

  /** Revocations this replica holds (the {@code mcp_gateway_sessions_revoked} gauge). */
  public int size() {
    return revoked.size();
  }

  /** Stops the purge and the retries (at shutdown). */
  public void stop() {
    stopped = true;
    vertx.cancelTimer(purgeTimer);
  }

  private void heard(String key) {
    if (SessionRevocations.EVERYTHING.equals(key)) reloadUntilDone();
    // an upper bound until the exact end of life is known (own revoke, or a read of the store)
    else revoked.putIfAbsent(key, clock.instant().plus(maxAge).plus(SKEW));
  }

  private Future<Void> reload() {
    return store.active(clock.instant()).map(active -> {
      // merged, never replaced: an entry only leaves by its expiry; the store knows the exact one
      revoked.putAll(active);
      return null;
    });
  }

  /** After missed notifications: until the read succeeds, the revocations heard before still hold. Logged once per outage. */
  private void reloadUntilDone() {
    if (stopped) return;
    reload().onSuccess(v -> {
      if (reloadFailing) LOG.log(System.Logger.Level.INFO, "session revocations read again");
      reloadFailing = false;
    }).onFailure(e -> {
      if (!reloadFailing) LOG.log(System.Logger.Level.WARNING, "cannot read session revocations, retrying every second: " + e.getMessage());
      reloadFailing = true;
      vertx.setTimer(RELOAD_RETRY_MS, id -> reloadUntilDone());
    });
  }

  private void purge() {
    Instant now = clock.instant();
    revoked.values().removeIf(until -> !until.isAfter(now));
    store.purgeExpired(now)
        .onSuccess(n -> { if (n > 0) LOG.log(System.Logger.Level.DEBUG, "purged " + n + " expired session revocation(s)"); })
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot purge expired session revocations: " + e.getMessage()));
  }
}
