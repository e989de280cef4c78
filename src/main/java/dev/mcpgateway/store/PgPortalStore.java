package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.rejected;
import static dev.mcpgateway.store.PgFailures.translate;
import static dev.mcpgateway.store.PgFailures.violates;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.PortalServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store's portals: table {@code mcp_portals} (migration V4), one JSON document per
 * portal, and {@code mcp_portal_servers}, one row per member. The database holds the integrity
 * across replicas: the primary key (duplicate id), a unique index on {@code lower(hostname)}, and
 * the member's foreign key to {@code mcp_servers} (a missing member; {@code ON DELETE RESTRICT}
 * refuses the delete of a server in use, see {@link PgServerStore#delete}).
 *
 * <p>Members are checked before they are written, in the same transaction, with the servers
 * locked {@code FOR KEY SHARE}: that names the missing one and its index, and no concurrent delete
 * can remove a checked server before the commit. The foreign key stays as the guard of last resort.
 * Updates are read-modify-write under {@code SELECT ... FOR UPDATE}, replacing the member rows;
 * every write announces itself on the {@link PgChangeFeed} in its own transaction.
 */
final class PgPortalStore implements PortalStore {
  private static final String MATCHES =
      "($2::text IS NULL OR strpos(lower(id), $2) > 0 OR strpos(lower(name), $2) > 0 OR strpos(lower(hostname), $2) > 0)";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final String PRIMARY_KEY = "mcp_portals_pkey";
  private static final String HOSTNAME_KEY = "mcp_portals_hostname_key";
  /** The member → server foreign key: violated by a missing member, and by the delete of a server in use. */
  static final String MEMBER_SERVER_FKEY = "mcp_portal_servers_server_fkey";

  private final Pool pool;
  private final PgChangeFeed feed;

  PgPortalStore(Pool pool, PgChangeFeed feed) {
    this.pool = pool;
    this.feed = feed;
  }

  @Override
  public void onChange(Consumer<PortalKey> listener) {
    feed.onPortalChange(listener);
  }

  @Override
  public Future<Portal> create(Portal portal) {
    return integrity(() -> portal, true, pool.withTransaction(conn -> conn.preparedQuery(
            "INSERT INTO mcp_portals (account_id, id, name, hostname, doc) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(portal.accountId(), portal.id(), portal.name(), portal.hostname(), portal.toJson()))
        .compose(rows -> writeMembers(conn, portal))
        .compose(v -> feed.announcePortal(conn, portal.accountId(), portal.id()))
        .map(portal)));
  }

  @Override
  public Future<Portal> get(String accountId, String id) {
    return translate(pool.preparedQuery("SELECT doc::text FROM mcp_portals WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id)));
  }

  @Override
  public Future<Portal> update(String accountId, String id, UnaryOperator<Portal> change) {
    AtomicReference<Portal> attempted = new AtomicReference<>();
    Future<Portal> written = pool.withTransaction(conn -> conn
        .preparedQuery("SELECT doc::text FROM mcp_portals WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .compose(rows -> {
          Portal next;
          try {
            next = change.apply(single(rows, accountId, id));
          } catch (RuntimeException e) {
            return Future.failedFuture(rejected(e));
          }
          if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
            return Future.failedFuture(rejected(new IllegalArgumentException("an update may not change a portal's account or id")));
          }
          attempted.set(next);
          return conn.preparedQuery(
                  "UPDATE mcp_portals SET name = $3, hostname = $4, doc = $5, updated_at = now() WHERE account_id = $1 AND id = $2")
              .execute(Tuple.of(accountId, id, next.name(), next.hostname(), next.toJson()))
              .compose(r -> conn.preparedQuery("DELETE FROM mcp_portal_servers WHERE account_id = $1 AND portal_id = $2")
                  .execute(Tuple.of(accountId, id)))
              .compose(r -> writeMembers(conn, next))
              .compose(v -> feed.announcePortal(conn, accountId, id))
              .map(next);
        }));
    return integrity(attempted::get, false, written);
  }

  @Override
  public Future<Portal> delete(String accountId, String id) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("DELETE FROM mcp_portals WHERE account_id = $1 AND id = $2 RETURNING doc::text")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id))
        .compose(deleted -> feed.announcePortal(conn, accountId, id).map(deleted))));
  }

  @Override
  public Future<PortalPage> list(String accountId, PortalQuery query) {
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM mcp_portals WHERE account_id = $1 AND " + MATCHES)
        .execute(Tuple.of(accountId, query.search()))
        .map(rows -> rows.iterator().next().getLong(0));
    Future<List<Portal>> items = pool.preparedQuery("SELECT doc::text FROM mcp_portals WHERE account_id = $1 AND "
            + MATCHES + " ORDER BY id LIMIT $3 OFFSET $4")
        .execute(Tuple.of(accountId, query.search(), query.perPage(), query.offset()))
        .map(rows -> {
          List<Portal> portals = new ArrayList<>(rows.size());
          for (Row row : rows) portals.add(decode(row));
          return portals;
        });
    return translate(Future.all(total, items).map(all -> new PortalPage(items.result(), total.result())));
  }

  @Override
  public Future<Optional<Portal>> byHostname(String hostname) {
    return translate(pool.preparedQuery("SELECT doc::text FROM mcp_portals WHERE lower(hostname) = lower($1)")
        .execute(Tuple.of(hostname))
        .map(rows -> rows.size() == 0 ? Optional.<Portal>empty() : Optional.of(decode(rows.iterator().next()))));
  }

  @Override
  public Future<List<String>> usingServer(String accountId, String serverId) {
    return translate(usingServer(pool, accountId, serverId));
  }

  /** The ids of the account's portals with {@code serverId} as a member, ordered by id (also for {@link PgServerStore#delete}). */
  static Future<List<String>> usingServer(SqlClient client, String accountId, String serverId) {
    return client.preparedQuery("SELECT portal_id FROM mcp_portal_servers WHERE account_id = $1 AND server_id = $2 ORDER BY portal_id")
        .execute(Tuple.of(accountId, serverId))
        .map(rows -> {
          List<String> ids = new ArrayList<>(rows.size());
          for (Row row : rows) ids.add(row.getString(0));
          return ids;
        });
  }

  /** Checks {@code portal}'s members (locking them against deletion until the commit) and inserts their rows. */
  private static Future<Void> writeMembers(SqlConnection conn, Portal portal) {
    if (portal.servers().isEmpty()) return Future.succeededFuture();
    String[] ids = portal.servers().stream().map(PortalServer::serverId).toArray(String[]::new);
    return firstMissing(conn, portal, "FOR KEY SHARE")
        .compose(v -> conn.preparedQuery("INSERT INTO mcp_portal_servers (account_id, portal_id, server_id) "
                + "SELECT DISTINCT $1, $2, unnest($3::text[])")
            .execute(Tuple.of(portal.accountId(), portal.id()).addArrayOfString(ids)))
        .mapEmpty();
  }

  /** Fails with {@link PortalMemberMissingException} naming the first member that is not a server of the portal's account. */
  private static Future<Void> firstMissing(SqlClient client, Portal portal, String lock) {
    String[] ids = portal.servers().stream().map(PortalServer::serverId).toArray(String[]::new);
    return client.preparedQuery("SELECT id FROM mcp_servers WHERE account_id = $1 AND id = ANY($2::text[]) " + lock)
        .execute(Tuple.of(portal.accountId()).addArrayOfString(ids))
        .compose(rows -> {
          Set<String> found = new HashSet<>();
          for (Row row : rows) found.add(row.getString(0));
          for (int i = 0; i < ids.length; i++) {
            if (!found.contains(ids[i])) return Future.failedFuture(new PortalMemberMissingException(ids[i], i));
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Answers a portal write's integrity failures as their typed exceptions: the primary key as a
   * duplicate (only a create can violate it), the hostname index as taken, and the member foreign
   * key, which the locked check should make unreachable, as the member missing now (checked again
   * once the transaction has rolled back). {@code attempted} is the portal being written.
   */
  private Future<Portal> integrity(Supplier<Portal> attempted, boolean create, Future<Portal> written) {
    return translate(written.recover(e -> {
      Portal portal = attempted.get();
      if (create && violates(e, UNIQUE_VIOLATION, PRIMARY_KEY)) {
        return Future.failedFuture(new DuplicatePortalException(portal.accountId(), portal.id()));
      }
      if (violates(e, UNIQUE_VIOLATION, HOSTNAME_KEY)) return Future.failedFuture(new PortalHostnameTakenException(portal.hostname()));
      if (violates(e, FOREIGN_KEY_VIOLATION, MEMBER_SERVER_FKEY)) {
        return firstMissing(pool, portal, "").compose(v -> Future.failedFuture(e));
      }
      return Future.failedFuture(e);
    }));
  }

  private static Portal single(RowSet<Row> rows, String accountId, String id) {
    if (rows.size() == 0) throw new PortalNotFoundException(accountId, id);
    return decode(rows.iterator().next());
  }

  private static Portal decode(Row row) {
    return Portal.fromJson(new JsonObject(row.getString(0)));
  }
}
