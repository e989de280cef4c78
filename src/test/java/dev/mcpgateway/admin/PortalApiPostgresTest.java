package dev.mcpgateway.admin;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.support.Postgres;
import org.junit.jupiter.api.AfterEach;

/** The portals API on PostgreSQL, each test in a schema of its own. */
class PortalApiPostgresTest extends PortalApiContract {
  private final String schema = Postgres.newSchema();

  @Override
  String pgSchema() {
    return schema;
  }

  @AfterEach
  void dropSchema() {
    io.vertx.core.Vertx cleanup = io.vertx.core.Vertx.vertx();
    result(Postgres.dropSchema(cleanup, schema));
    result(cleanup.close());
  }
}
