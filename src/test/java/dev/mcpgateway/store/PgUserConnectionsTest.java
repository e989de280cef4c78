package dev.mcpgateway.store;


import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user-connection contract against the real PostgreSQL of this machine, each test in a schema of its own. */
class PgUserConnectionsTest extends UserConnectionsContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }

}
