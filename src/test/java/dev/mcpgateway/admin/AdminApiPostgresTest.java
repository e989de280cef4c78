package dev.mcpgateway.admin;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminApiPostgresTest extends AdminApiContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  String pgSchema() {
    return schema;
  }


  @Override
  String storedBytes() {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(Postgres.URL)).using(vertx).build();
    try {
      StringBuilder all = new StringBuilder();
      for (Row row : result(pool.query("SELECT account_id, id, name, hostname, doc::text FROM " + schema + ".mcp_servers").execute())) {
        for (int i = 0; i < row.size(); i++) all.append(row.getValue(i)).append('\n');
      }
      for (Row row : result(pool.query("SELECT account_id, server_id, actor, before::text, after::text FROM " + schema
          + ".audit_log").execute())) {
        for (int i = 0; i < row.size(); i++) all.append(row.getValue(i)).append('\n');
      }
      return all.toString();
    } finally {
      result(pool.close());
    }
  }

  @Override
  void breakAcmeAuditTrail() {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(Postgres.URL)).using(vertx).build();
    try {
      result(pool.query("DROP TABLE " + schema + ".audit_log").execute());
    } finally {
      result(pool.close());
    }
  }
}
