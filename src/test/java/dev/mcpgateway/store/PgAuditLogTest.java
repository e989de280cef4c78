package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

/** The audit contract against the real PostgreSQL of this machine, each test in a schema of its own. */
class PgAuditLogTest extends AuditLogContract {
  private final String schema = Postgres.newSchema();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }

  @AfterEach
  void dropSchema() {
    Vertx cleanup = Vertx.vertx();
    result(Postgres.dropSchema(cleanup, schema));
    result(cleanup.close());
  }
}
