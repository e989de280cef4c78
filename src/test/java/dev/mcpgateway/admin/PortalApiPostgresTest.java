package dev.mcpgateway.admin;


import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The portals API on PostgreSQL, each test in a schema of its own. */
class PortalApiPostgresTest extends PortalApiContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  String pgSchema() {
    return schema;
  }

}
