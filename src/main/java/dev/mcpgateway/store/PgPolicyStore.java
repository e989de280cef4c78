package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.rejected;
import static dev.mcpgateway.store.PgFailures.translate;

import dev.mcpgateway.policy.AccessPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store's access policies: table {@code mcp_access_policies} (migration V9), one
 * JSON document per policy. Updates are read-modify-write under {@code SELECT ... FOR UPDATE}; every
 * write announces the account on the {@link PgChangeFeed} ({@code a:} payloads) in its own
 * transaction, so every replica's policy cache hears of it once it is committed.
 */
final class PgPolicyStore implements PolicyStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final PgChangeFeed feed;

  PgPolicyStore(Pool pool, PgChangeFeed feed) {
    this.pool = pool;
    this.feed = feed;
  }

  @Override
  public Future<AccessPolicy> create(AccessPolicy policy) {
    return translate(pool.withTransaction(conn -> conn.preparedQuery(
            "INSERT INTO mcp_access_policies (account_id, id, created_at, doc) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(policy.accountId(), policy.id(), policy.createdAt().atOffset(ZoneOffset.UTC), policy.toJson()))
        .compose(r -> feed.announcePolicies(conn, policy.accountId()))
        .map(policy))
        .recover(e -> PgFailures.violates(e, UNIQUE_VIOLATION, "mcp_access_policies_pkey")
            ? Future.failedFuture(new DuplicatePolicyException(policy.accountId(), policy.id())) : Future.failedFuture(e)));
  }

  @Override
  public Future<AccessPolicy> get(String accountId, String id) {
    return translate(pool.preparedQuery("SELECT doc::text FROM mcp_access_policies WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id)));
  }

  @Override
  public Future<AccessPolicy> update(String accountId, String id, UnaryOperator<AccessPolicy> change) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("SELECT doc::text FROM mcp_access_policies WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .compose(rows -> {
          AccessPolicy next;
          try {
            next = change.apply(single(rows, accountId, id));
          } catch (RuntimeException e) {
            return Future.failedFuture(rejected(e));
          }
          if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
            return Future.failedFuture(rejected(new IllegalArgumentException("an update may not change a policy's account or id")));
          }
          return conn.preparedQuery("UPDATE mcp_access_policies SET doc = $3 WHERE account_id = $1 AND id = $2")
              .execute(Tuple.of(accountId, id, next.toJson()))
              .compose(r -> feed.announcePolicies(conn, accountId))
              .map(next);
        })));
  }

  @Override
  public Future<AccessPolicy> delete(String accountId, String id) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("DELETE FROM mcp_access_policies WHERE account_id = $1 AND id = $2 RETURNING doc::text")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id))
        .compose(deleted -> feed.announcePolicies(conn, accountId).map(deleted))));
  }

  @Override
  public Future<List<AccessPolicy>> list(String accountId) {
    return translate(pool.preparedQuery("SELECT doc::text FROM mcp_access_policies WHERE account_id = $1 ORDER BY created_at, id")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          List<AccessPolicy> policies = new ArrayList<>(rows.size());
          for (Row row : rows) policies.add(decode(row));
          return List.copyOf(policies);
        }));
  }

  @Override
  public void onChange(Consumer<String> listener) {
    feed.onPolicyChange(listener);
  }

  private static AccessPolicy single(RowSet<Row> rows, String accountId, String id) {
    if (rows.size() == 0) throw new PolicyNotFoundException(accountId, id);
    return decode(rows.iterator().next());
  }

  private static AccessPolicy decode(Row row) {
    return AccessPolicy.fromJson(new JsonObject(row.getString(0)));
  }
}
