package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versioned schema migrations, applied at start in one transaction. A transaction-scoped advisory
 * lock makes replicas that start together apply each migration exactly once.
 */
final class PgMigrations {
  /** In order; a released migration is never edited, only followed by a new one. */
  static final List<String> ALL = List.of("V1__create_mcp_servers.sql", "V2__create_audit_log.sql",
      "V3__create_oauth_user_connections.sql", "V4__create_mcp_portals.sql", "V5__audit_portals.sql",
      "V6__portal_toggles.sql", "V7__session_revocations.sql", "V8__service_tokens.sql", "V9__access_policies.sql",
      "V10__sign_in_authorization_server.sql", "V11__audit_policies.sql", "V12__tool_call_counts.sql");
  private static final long LOCK_KEY = 0x6d63_7067_7731L; // "mcpgw1"

  private PgMigrations() {}

  /** Creates {@code schema} if needed and applies the missing migrations; answers how many ran. */
  static Future<Integer> apply(Vertx vertx, Pool pool, String schema) {
    // The schema is created under the lock too: CREATE SCHEMA IF NOT EXISTS races with itself.
    // NOTICEs off for this transaction: on every start but the first, "already exists, skipping"
    // would reach the log as a WARNING (the client logs backend notices at that level).
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
        .compose(r -> conn.query("SET LOCAL client_min_messages TO warning").execute())
        .compose(r -> conn.query("CREATE SCHEMA IF NOT EXISTS " + schema).execute())
        .compose(r -> conn.query("CREATE TABLE IF NOT EXISTS " + schema + ".schema_migrations ("
            + "version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(r -> conn.query("SELECT version FROM " + schema + ".schema_migrations").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row row : rows) applied.add(row.getInteger(0));
          Future<Integer> chain = Future.succeededFuture(0);
          for (String name : ALL) {
            // a migration's SQL names no schema: it lands in the one first on the search path
            int version = version(name);
            if (applied.contains(version)) continue;
            chain = chain.compose(count -> applyOne(vertx, conn, schema, version, name).map(count + 1));
          }
          return chain;
        }));
  }

  private static Future<Void> applyOne(Vertx vertx, SqlConnection conn, String schema, int version, String name) {
    return vertx.fileSystem().readFile("db/migration/" + name)
        .compose(sql -> conn.query("SET LOCAL search_path TO " + schema + "; " + sql).execute())
        .compose(r -> conn.preparedQuery("INSERT INTO " + schema + ".schema_migrations (version, name) VALUES ($1, $2)")
            .execute(Tuple.of(version, name)))
        .mapEmpty();
  }

  static int version(String name) {
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }
}
