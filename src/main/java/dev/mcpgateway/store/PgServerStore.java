package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.rejected;
import static dev.mcpgateway.store.PgFailures.translate;
import static dev.mcpgateway.store.PgFailures.violates;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store's servers: table {@code mcp_servers} (migration V1), one JSON document per
 * server. Updates are read-modify-write under {@code SELECT ... FOR UPDATE}, so concurrent updates
 * of one server, even from different replicas, are serialised; a server that portals use is not
 * deleted ({@link ServerInUseException}); every write announces itself on the {@link PgChangeFeed}
 * in its own transaction. Opened by {@link PgStores}.
 */
final class PgServerStore implements ServerStore {
  private static final String MATCHES =
      "($2::text IS NULL OR strpos(lower(id), $2) > 0 OR strpos(lower(name), $2) > 0 OR strpos(lower(hostname), $2) > 0)";
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final int DELETE_ATTEMPTS = 3;

  private final Pool pool;
  private final PgChangeFeed feed;

  PgServerStore(Pool pool, PgChangeFeed feed) {
    this.pool = pool;
    this.feed = feed;
  }

  @Override
  public void onChange(Consumer<ServerKey> listener) {
    feed.onServerChange(listener);
  }

  @Override
  public Future<List<SyncState>> syncStates() {
    return translate(pool.query("SELECT account_id, id, doc->>'status', doc->>'last_synced', doc->>'last_successful_sync', "
            + "doc->>'created_at' FROM mcp_servers").execute()
        .map(rows -> {
          List<SyncState> states = new ArrayList<>(rows.size());
          for (Row row : rows) {
            states.add(new SyncState(new ServerKey(row.getString(0), row.getString(1)),
                ServerStatus.fromWire(row.getString(2)).orElse(ServerStatus.WAITING),
                instant(row.getString(3)), instant(row.getString(4)), instant(row.getString(5))));
          }
          return states;
        }));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  @Override
  public Future<McpServer> create(McpServer server) {
    return translate(pool.withTransaction(conn -> conn.preparedQuery(
            "INSERT INTO mcp_servers (account_id, id, name, hostname, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(server.accountId(), server.id(), server.name(), server.hostname(), StoredServerJson.encode(server)))
        .compose(rows -> {
          if (rows.rowCount() == 0) return Future.failedFuture(new DuplicateServerException(server.accountId(), server.id()));
          return feed.announceServer(conn, server.accountId(), server.id()).map(server);
        })));
  }

  @Override
  public Future<McpServer> get(String accountId, String id) {
    return translate(pool.preparedQuery("SELECT doc::text FROM mcp_servers WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id)));
  }

  @Override
  public Future<McpServer> update(String accountId, String id, UnaryOperator<McpServer> change) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("SELECT doc::text FROM mcp_servers WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .compose(rows -> {
          McpServer next;
          try {
            next = change.apply(single(rows, accountId, id));
          } catch (RuntimeException e) {
            return Future.failedFuture(rejected(e));
          }
          if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
            return Future.failedFuture(rejected(
                new IllegalArgumentException("an update may not change a server's account or id")));
          }
          return conn.preparedQuery(
                  "UPDATE mcp_servers SET name = $3, hostname = $4, doc = $5, updated_at = now() WHERE account_id = $1 AND id = $2")
              .execute(Tuple.of(accountId, id, next.name(), next.hostname(), StoredServerJson.encode(next)))
              .compose(r -> feed.announceServer(conn, accountId, id))
              .map(next);
        })));
  }

  /**
   * The member foreign key of {@code mcp_portal_servers} refuses the delete of a server that portals
   * use ({@code ON DELETE RESTRICT}), whichever replica wrote them; the refusal is answered with
   * the portals' ids, read once the transaction has rolled back. Should every portal have let the
   * server go in between, the delete is tried again.
   */
  @Override
  public Future<McpServer> delete(String accountId, String id) {
    return translate(delete(accountId, id, DELETE_ATTEMPTS));
  }

  private Future<McpServer> delete(String accountId, String id, int attempts) {
    return pool.withTransaction(conn -> conn
            .preparedQuery("DELETE FROM mcp_servers WHERE account_id = $1 AND id = $2 RETURNING doc::text")
            .execute(Tuple.of(accountId, id))
            .map(rows -> single(rows, accountId, id))
            .compose(deleted -> feed.announceServer(conn, accountId, id).map(deleted)))
        .recover(e -> {
          if (!violates(e, FOREIGN_KEY_VIOLATION, PgPortalStore.MEMBER_SERVER_FKEY)) return Future.failedFuture(e);
          return PgPortalStore.usingServer(pool, accountId, id).compose(portals -> {
            if (portals.isEmpty() && attempts > 1) return delete(accountId, id, attempts - 1);
            return Future.failedFuture(new ServerInUseException(id, portals));
          });
        });
  }

  @Override
  public Future<ServerPage> list(String accountId, ServerQuery query) {
    Tuple filter = Tuple.of(accountId, query.search());
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM mcp_servers WHERE account_id = $1 AND " + MATCHES)
        .execute(filter)
        .map(rows -> rows.iterator().next().getLong(0));
    Future<List<McpServer>> items = pool.preparedQuery("SELECT doc::text FROM mcp_servers WHERE account_id = $1 AND "
            + MATCHES + " ORDER BY id LIMIT $3 OFFSET $4")
        .execute(Tuple.of(accountId, query.search(), query.perPage(), query.offset()))
        .map(PgServerStore::decodeAll);
    return translate(Future.all(total, items).map(all -> new ServerPage(items.result(), total.result())));
  }

  @Override
  public Future<Void> ping() {
    return translate(pool.query("SELECT 1").execute().mapEmpty());
  }

  private static McpServer single(RowSet<Row> rows, String accountId, String id) {
    if (rows.size() == 0) throw new ServerNotFoundException(accountId, id);
    return decode(rows.iterator().next());
  }

  private static List<McpServer> decodeAll(RowSet<Row> rows) {
    List<McpServer> servers = new ArrayList<>(rows.size());
    for (Row row : rows) servers.add(decode(row));
    return servers;
  }

  private static McpServer decode(Row row) {
    return StoredServerJson.decode(new JsonObject(row.getString(0)));
  }
}
