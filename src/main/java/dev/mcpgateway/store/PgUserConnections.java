package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.rejected;
import static dev.mcpgateway.store.PgFailures.translate;

import dev.mcpgateway.model.UserConnection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store's per-user OAuth connections: table {@code oauth_user_connections}
 * (migration V3). An update holds a transaction-scoped advisory lock on its (server, user), so
 * concurrent updates of one connection, even of one that does not exist yet, are serialised.
 * Failures are answered as {@link PgFailures} says.
 */
final class PgUserConnections implements UserConnections {
  private final Pool pool;

  PgUserConnections(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<UserConnection> get(String accountId, String serverId, String subject) {
    return translate(pool.preparedQuery(
            "SELECT doc::text FROM oauth_user_connections WHERE account_id = $1 AND server_id = $2 AND subject = $3")
        .execute(Tuple.of(accountId, serverId, subject))
        .map(PgUserConnections::first));
  }

  @Override
  public Future<UserConnection> update(String accountId, String serverId, String subject, UnaryOperator<UserConnection> change) {
    Tuple key = Tuple.of(accountId, serverId, subject);
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2 || '/' || $3, 0))").execute(key)
        .compose(locked -> conn.preparedQuery(
            "SELECT doc::text FROM oauth_user_connections WHERE account_id = $1 AND server_id = $2 AND subject = $3").execute(key))
        .compose(rows -> {
          UserConnection next;
          try {
            next = change.apply(first(rows));
          } catch (RuntimeException e) {
            return Future.failedFuture(rejected(e));
          }
          if (next == null) {
            return conn.preparedQuery("DELETE FROM oauth_user_connections WHERE account_id = $1 AND server_id = $2 AND subject = $3")
                .execute(key).map((UserConnection) null);
          }
          return conn.preparedQuery("INSERT INTO oauth_user_connections (account_id, server_id, subject, doc) VALUES ($1, $2, $3, $4) "
                  + "ON CONFLICT (account_id, server_id, subject) DO UPDATE SET doc = EXCLUDED.doc, updated_at = now()")
              .execute(Tuple.of(accountId, serverId, subject, next.toJson()))
              .map(next);
        })));
  }

  @Override
  public Future<List<UserConnection>> deleteAll(String accountId, String serverId) {
    return translate(pool.preparedQuery("DELETE FROM oauth_user_connections WHERE account_id = $1 AND server_id = $2 RETURNING doc::text")
        .execute(Tuple.of(accountId, serverId))
        .map(rows -> {
          List<UserConnection> removed = new ArrayList<>();
          for (Row row : rows) removed.add(UserConnection.fromJson(new JsonObject(row.getString(0))));
          return removed;
        }));
  }

  private static UserConnection first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : UserConnection.fromJson(new JsonObject(rows.iterator().next().getString(0)));
  }
}
