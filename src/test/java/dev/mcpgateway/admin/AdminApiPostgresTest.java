package dev.mcpgateway.admin;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import dev.mcpgateway.support.StoredBytes;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
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
    return StoredBytes.postgres(vertx, schema);
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
