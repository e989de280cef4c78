package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.rejected;
import static dev.mcpgateway.store.PgFailures.translate;

import dev.mcpgateway.model.ServiceToken;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store's service tokens: table {@code mcp_service_tokens} (migration V8), one
 * document per token, {@code last_seen_at} in a column of its own. Updates are read-modify-write
 * under {@code SELECT ... FOR UPDATE}; every create, update and delete announces the token's client
 * id on the {@link PgChangeFeed} ({@code s:} payloads) in its own transaction, so every replica's
 * cache of credentials forgets it once it is committed.
 */
final class PgServiceTokens implements ServiceTokenStore {
  private static final String COLUMNS = "doc::text, last_seen_at";

  private final Pool pool;
  private final PgChangeFeed feed;

  PgServiceTokens(Pool pool, PgChangeFeed feed) {
    this.pool = pool;
    this.feed = feed;
  }

  @Override
  public Future<ServiceToken> create(ServiceToken token) {
    return translate(pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO mcp_service_tokens "
            + "(id, account_id, client_id, created_at, doc, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(token.id(), token.accountId(), token.clientId(), at(token.createdAt()), document(token), at(token.lastSeenAt())))
        .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(new DuplicateServiceTokenException(token.id()))
            : feed.announceServiceToken(conn, token.clientId()).map(token))));
  }

  @Override
  public Future<ServiceToken> get(String accountId, String id) {
    return translate(pool.preparedQuery("SELECT " + COLUMNS + " FROM mcp_service_tokens WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id)));
  }

  @Override
  public Future<Optional<ServiceToken>> byClientId(String clientId) {
    return translate(pool.preparedQuery("SELECT " + COLUMNS + " FROM mcp_service_tokens WHERE client_id = $1")
        .execute(Tuple.of(clientId))
        .map(rows -> rows.size() == 0 ? Optional.<ServiceToken>empty() : Optional.of(decode(rows.iterator().next()))));
  }

  @Override
  public Future<List<ServiceToken>> list(String accountId) {
    return translate(pool.preparedQuery("SELECT " + COLUMNS + " FROM mcp_service_tokens WHERE account_id = $1 ORDER BY created_at, id")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          List<ServiceToken> tokens = new ArrayList<>(rows.size());
          for (Row row : rows) tokens.add(decode(row));
          return tokens;
        }));
  }

  @Override
  public Future<ServiceToken> update(String accountId, String id, UnaryOperator<ServiceToken> change) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("SELECT " + COLUMNS + " FROM mcp_service_tokens WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .compose(rows -> {
          ServiceToken current;
          ServiceToken next;
          try {
            current = single(rows, accountId, id);
            next = change.apply(current);
          } catch (RuntimeException e) {
            return Future.failedFuture(rejected(e));
          }
          if (!next.accountId().equals(accountId) || !next.id().equals(id) || !next.clientId().equals(current.clientId())) {
            return Future.failedFuture(rejected(
                new IllegalArgumentException("an update may not change a service token's account, id or client id")));
          }
          return conn.preparedQuery("UPDATE mcp_service_tokens SET doc = $3 WHERE account_id = $1 AND id = $2")
              .execute(Tuple.of(accountId, id, document(next)))
              .compose(r -> feed.announceServiceToken(conn, next.clientId()))
              .map(next.withLastSeenAt(current.lastSeenAt()));
        })));
  }

  @Override
  public Future<ServiceToken> delete(String accountId, String id) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("DELETE FROM mcp_service_tokens WHERE account_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id))
        .compose(deleted -> feed.announceServiceToken(conn, deleted.clientId()).map(deleted))));
  }

  @Override
  public Future<Void> markSeen(String accountId, String id, Instant at) {
    return translate(pool.preparedQuery("UPDATE mcp_service_tokens SET last_seen_at = GREATEST(last_seen_at, $3) "
            + "WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id, at(at)))
        .mapEmpty());
  }

  @Override
  public void onChange(Consumer<String> listener) {
    feed.onServiceTokenChange(listener);
  }

  /** The stored form without {@code last_seen_at}: that is the column's, written only by {@link #markSeen}. */
  private static JsonObject document(ServiceToken token) {
    JsonObject doc = StoredServiceTokenJson.encode(token);
    doc.remove("last_seen_at");
    return doc;
  }

  private static ServiceToken single(RowSet<Row> rows, String accountId, String id) {
    if (rows.size() == 0) throw new ServiceTokenNotFoundException(accountId, id);
    return decode(rows.iterator().next());
  }

  private static ServiceToken decode(Row row) {
    OffsetDateTime seen = row.getOffsetDateTime(1);
    return StoredServiceTokenJson.decode(new JsonObject(row.getString(0))).withLastSeenAt(seen == null ? null : seen.toInstant());
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
