package dev.mcpgateway.admin;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.StoredBytes;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service tokens API on PostgreSQL, each test in a schema of its own. */
class ServiceTokenApiPostgresTest extends ServiceTokenApiContract {
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
}
