package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit contract against the real PostgreSQL of this machine, each test in a schema of its own. */
class PgAuditLogTest extends AuditLogContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }


  /**
   * A database migrated before portal entries existed (V1 to V3), holding a server entry: after
   * V5 the entry reads as it did, portal entries append beside it, and a row about nothing is refused.
   */
  @Test
  void rowsWrittenBeforePortalEntriesExistedStillReadAsServerEntries() {
    String old = Postgres.newSchema();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(Postgres.URL)).using(vertx).build();
    try {
      result(pool.query("CREATE SCHEMA " + old).execute());
      result(pool.query("CREATE TABLE " + old + ".schema_migrations (version int PRIMARY KEY, name text NOT NULL, "
          + "applied_at timestamptz NOT NULL DEFAULT now())").execute());
      for (String name : List.of("V1__create_mcp_servers.sql", "V2__create_audit_log.sql", "V3__create_oauth_user_connections.sql")) {
        String sql = result(vertx.fileSystem().readFile("db/migration/" + name)).toString();
        result(pool.withTransaction(conn -> conn.query("SET LOCAL search_path TO " + old + "; " + sql).execute()
            .compose(r -> conn.preparedQuery("INSERT INTO " + old + ".schema_migrations (version, name) VALUES ($1, $2)")
                .execute(Tuple.of(PgMigrations.version(name), name)))));
      }
      result(pool.query("INSERT INTO " + old + ".audit_log (account_id, server_id, action, actor, at, before, after) VALUES "
          + "('acme', 'old', 'create', 'bot', '2025-12-01T00:00:00Z', NULL, '{\"id\":\"old\"}')").execute());
      result(stores.close());
      stores = result(PgStores.open(vertx, Postgres.settings(old)));
      AuditEntry oldEntry = result(log().list("acme", new AuditQuery(1, 25, null))).items().get(0);
      assertEquals(new AuditEntry(oldEntry.id(), "acme", "old", AuditEntry.Action.CREATE, "bot", Instant.parse("2025-12-01T00:00:00Z"),
          null, new JsonObject().put("id", "old")), oldEntry);
      AuditEntry portal = result(log().append(portalAudit("acme", "p", AuditEntry.Action.CREATE, 1)));
      assertEquals(List.of(portal, oldEntry), result(log().list("acme", new AuditQuery(1, 25, null))).items());
      assertEquals(List.of(oldEntry), result(log().list("acme", new AuditQuery(1, 25, "old"))).items());
      assertEquals(List.of(portal), result(log().list("acme", new AuditQuery(1, 25, null, "p"))).items());
      Throwable refused = Await.failure(pool.query("INSERT INTO " + old + ".audit_log (account_id, action, actor, at) VALUES "
          + "('acme', 'create', 'bot', now())").execute());
      assertInstanceOf(io.vertx.pgclient.PgException.class, refused);
    } finally {
      result(pool.query("DROP SCHEMA IF EXISTS " + old + " CASCADE").execute());
      result(pool.close());
    }
  }
}
