package dev.mcpgateway.admin;

import dev.mcpgateway.support.PgSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access policies API on PostgreSQL, each test in a schema of its own. */
class PolicyApiPostgresTest extends PolicyApiContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  String pgSchema() {
    return schema;
  }
}
