package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.translate;
import static dev.mcpgateway.store.PgFailures.violates;

import dev.mcpgateway.model.ToggleKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The PostgreSQL store's portal toggles: table {@code mcp_portal_toggles} (migration V6), one row
 * per member switched off for a holder. A switch first locks its portal's row {@code FOR KEY SHARE}
 * (an unknown portal is {@link PortalNotFoundException}; a concurrent delete waits for the commit,
 * then its {@code ON DELETE CASCADE} takes the new row too), then inserts or deletes its own row, so
 * concurrent switches of one holder's different members never overwrite each other. Every set and
 * reset announces itself on the {@link PgChangeFeed} ({@code t:} payloads) in its own transaction.
 */
final class PgPortalToggles implements PortalToggles {
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final String PORTAL_FKEY = "mcp_portal_toggles_portal_fkey";
  private static final String HOLDER = "account_id = $1 AND portal_id = $2 AND holder = $3";

  private final Pool pool;
  private final PgChangeFeed feed;

  PgPortalToggles(Pool pool, PgChangeFeed feed) {
    this.pool = pool;
    this.feed = feed;
  }

  @Override
  public void onChange(Consumer<ToggleKey> listener) {
    feed.onToggleChange(listener);
  }

  @Override
  public Future<Set<String>> off(String accountId, String portalId, String holder, Instant now) {
    return translate(pool.preparedQuery("SELECT server_id FROM mcp_portal_toggles WHERE " + HOLDER
            + " AND (expires_at IS NULL OR expires_at > $4)")
        .execute(Tuple.of(accountId, portalId, holder, at(now)))
        .map(PgPortalToggles::ids));
  }

  @Override
  public Future<Set<String>> set(String accountId, String portalId, String holder, String serverId, boolean on, Instant expiresAt) {
    ToggleKey key = new ToggleKey(accountId, portalId, holder);
    Future<Set<String>> written = pool.withTransaction(conn -> portalLocked(conn, accountId, portalId)
        .compose(v -> on
            ? conn.preparedQuery("DELETE FROM mcp_portal_toggles WHERE " + HOLDER + " AND server_id = $4")
                .execute(Tuple.of(accountId, portalId, holder, serverId))
            : conn.preparedQuery("INSERT INTO mcp_portal_toggles (account_id, portal_id, holder, server_id, expires_at) "
                    + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT ON CONSTRAINT mcp_portal_toggles_pkey "
                    + "DO UPDATE SET expires_at = EXCLUDED.expires_at, updated_at = now()")
                .execute(Tuple.of(accountId, portalId, holder, serverId, at(expiresAt))))
        // one expiry per holder: the newest write says it
        .compose(r -> conn.preparedQuery("UPDATE mcp_portal_toggles SET expires_at = $4 WHERE " + HOLDER
                + " AND expires_at IS DISTINCT FROM $4")
            .execute(Tuple.of(accountId, portalId, holder, at(expiresAt))))
        .compose(r -> conn.preparedQuery("SELECT server_id FROM mcp_portal_toggles WHERE " + HOLDER)
            .execute(Tuple.of(accountId, portalId, holder)))
        .map(PgPortalToggles::ids)
        .compose(off -> feed.announceToggles(conn, key).map(off)));
    // the lock makes the foreign key unreachable; it stays the guard of last resort
    return translate(written.recover(e -> violates(e, FOREIGN_KEY_VIOLATION, PORTAL_FKEY)
        ? Future.failedFuture(new PortalNotFoundException(accountId, portalId)) : Future.failedFuture(e)));
  }

  @Override
  public Future<Void> reset(String accountId, String portalId, String holder) {
    ToggleKey key = new ToggleKey(accountId, portalId, holder);
    return translate(pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM mcp_portal_toggles WHERE " + HOLDER)
        .execute(Tuple.of(accountId, portalId, holder))
        .compose(r -> feed.announceToggles(conn, key))));
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return translate(pool.preparedQuery("WITH gone AS (DELETE FROM mcp_portal_toggles WHERE expires_at <= $1 "
            + "RETURNING account_id, portal_id, holder) SELECT count(*)::int FROM (SELECT DISTINCT account_id, portal_id, holder FROM gone) g")
        .execute(Tuple.of(at(now)))
        .map(rows -> rows.iterator().next().getInteger(0)));
  }

  private static Future<Void> portalLocked(SqlConnection conn, String accountId, String portalId) {
    return conn.preparedQuery("SELECT 1 FROM mcp_portals WHERE account_id = $1 AND id = $2 FOR KEY SHARE")
        .execute(Tuple.of(accountId, portalId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new PortalNotFoundException(accountId, portalId)) : Future.succeededFuture());
  }

  private static Set<String> ids(RowSet<Row> rows) {
    Set<String> ids = new TreeSet<>();
    for (Row row : rows) ids.add(row.getString(0));
    return Collections.unmodifiableSet(ids);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
