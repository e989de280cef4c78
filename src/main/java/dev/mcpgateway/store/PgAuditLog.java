package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.translate;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL store's audit trail: table {@code audit_log} (migration V2; V5 adds
 * {@code portal_id} and lets {@code server_id} be null for entries about a portal; V8 adds
 * {@code service_token_id} and the actions {@code rotate} and {@code refresh}; V11 adds
 * {@code policy_id}). Ids come from an
 * identity column, so they increase across every account and replica; an account's trail is
 * ordered by them. Failures are answered as {@link PgFailures} says.
 */
final class PgAuditLog implements AuditLog {
  private static final String COLUMNS = "id, account_id, server_id, portal_id, service_token_id, policy_id, action, actor, at, before::text, after::text";
  private static final String MATCHES = "account_id = $1 AND ($2::text IS NULL OR server_id = $2) AND ($3::text IS NULL OR portal_id = $3) "
      + "AND ($4::text IS NULL OR service_token_id = $4) AND ($5::text IS NULL OR policy_id = $5) AND ($6::text IS NULL OR actor = $6)";

  private final Pool pool;

  PgAuditLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<AuditEntry> append(AuditEntry entry) {
    return translate(pool.preparedQuery("INSERT INTO audit_log (account_id, server_id, portal_id, service_token_id, policy_id, action, actor, "
            + "at, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
        .execute(Tuple.from(java.util.Arrays.asList(entry.accountId(), entry.serverId(), entry.portalId(), entry.serviceTokenId(), entry.policyId(),
            entry.action().wire(),
            entry.actor(), OffsetDateTime.ofInstant(entry.at(), ZoneOffset.UTC), entry.before(), entry.after())))
        .map(rows -> entry.withId(rows.iterator().next().getLong(0))));
  }

  @Override
  public Future<AuditPage> list(String accountId, AuditQuery query) {
    Tuple filter = Tuple.of(accountId, query.serverId(), query.portalId(), query.serviceTokenId(), query.policyId(), query.actor());
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM audit_log WHERE " + MATCHES)
        .execute(filter)
        .map(rows -> rows.iterator().next().getLong(0));
    Future<List<AuditEntry>> items = pool.preparedQuery("SELECT " + COLUMNS + " FROM audit_log WHERE " + MATCHES
            + " ORDER BY id DESC LIMIT $7 OFFSET $8")
        .execute(Tuple.of(accountId, query.serverId(), query.portalId(), query.serviceTokenId(), query.policyId(), query.actor(),
            query.perPage(), query.offset()))
        .map(rows -> {
          List<AuditEntry> entries = new ArrayList<>(rows.size());
          for (Row row : rows) entries.add(decode(row));
          return entries;
        });
    return translate(Future.all(total, items).map(all -> new AuditPage(items.result(), total.result())));
  }

  private static AuditEntry decode(Row row) {
    return new AuditEntry(
        row.getLong(0),
        row.getString(1),
        row.getString(2),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        AuditEntry.Action.fromWire(row.getString(6)).orElseThrow(),
        row.getString(7),
        row.getOffsetDateTime(8).toInstant(),
        json(row.getString(9)),
        json(row.getString(10)));
  }

  private static JsonObject json(String text) {
    return text == null ? null : new JsonObject(text);
  }
}
