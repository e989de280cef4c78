package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.translate;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The PostgreSQL store's session revocations: table {@code mcp_session_revocations} (migration V7),
 * one row per revoked session key. Every revoke announces itself on the {@link PgChangeFeed}
 * ({@code r:} payloads) in its own transaction, so every replica hears of it once it is committed.
 */
final class PgSessionRevocations implements SessionRevocations {
  private final Pool pool;
  private final PgChangeFeed feed;

  PgSessionRevocations(Pool pool, PgChangeFeed feed) {
    this.pool = pool;
    this.feed = feed;
  }

  @Override
  public Future<Void> revoke(String sessionKey, Instant expiresAt) {
    if (!SessionRevocations.isKey(sessionKey)) return Future.failedFuture(new IllegalArgumentException("not a session key"));
    return translate(pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO mcp_session_revocations (session_key, expires_at) "
            + "VALUES ($1, $2) ON CONFLICT (session_key) "
            + "DO UPDATE SET expires_at = GREATEST(mcp_session_revocations.expires_at, EXCLUDED.expires_at)")
        .execute(Tuple.of(sessionKey, at(expiresAt)))
        .compose(r -> feed.announceRevocation(conn, sessionKey))));
  }

  @Override
  public Future<Map<String, Instant>> active(Instant now) {
    return translate(pool.preparedQuery("SELECT session_key, expires_at FROM mcp_session_revocations WHERE expires_at > $1")
        .execute(Tuple.of(at(now)))
        .map(rows -> {
          Map<String, Instant> active = new HashMap<>();
          for (Row row : rows) active.put(row.getString(0), row.getOffsetDateTime(1).toInstant());
          return Map.copyOf(active);
        }));
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return translate(pool.preparedQuery("DELETE FROM mcp_session_revocations WHERE expires_at <= $1")
        .execute(Tuple.of(at(now)))
        .map(rows -> rows.rowCount()));
  }

  @Override
  public void onRevoked(Consumer<String> listener) {
    feed.onRevocation(listener);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
