package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server contract against the real PostgreSQL of this machine, each test in a schema of its
 * own; and what is particular to it: migrations, and changes heard across replicas (LISTEN/NOTIFY).
 */
class PgServerStoreTest extends ServerStoreContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }


  @Test
  void migrationsAreVersionedAndAppliedOnce() {
    reopen();
    stores = result(open().compose(second -> stores.close().map(second)));
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(Postgres.URL)).using(vertx).build();
    long applied = result(pool.query("SELECT count(*) FROM " + schema + ".schema_migrations").execute())
        .iterator().next().getLong(0);
    result(pool.close());
    assertEquals(PgMigrations.ALL.size(), applied);
  }

  @Test
  void replicasStartingTogetherMigrateOnce() {
    String fresh = Postgres.newSchema();
    try {
      var opened = Future.all(
          PgStores.open(vertx, Postgres.settings(fresh)),
          PgStores.open(vertx, Postgres.settings(fresh)),
          PgStores.open(vertx, Postgres.settings(fresh)));
      result(opened);
      for (int i = 0; i < 3; i++) result(((Stores) opened.result().resultAt(i)).close());
    } finally {
      result(Postgres.dropSchema(vertx, fresh));
    }
  }

  @Test
  void aChangeOnOneReplicaReachesTheOtherWithinASecond() throws Exception {
    Stores other = result(open());
    try {
      java.util.concurrent.BlockingQueue<dev.mcpgateway.model.ServerKey> heard = new java.util.concurrent.LinkedBlockingQueue<>();
      other.servers().onChange(heard::add);
      result(store().create(server("acme", "shared")));
      assertEquals(new dev.mcpgateway.model.ServerKey("acme", "shared"), heard.poll(1, java.util.concurrent.TimeUnit.SECONDS));
      result(store().update("acme", "shared", s -> s.toBuilder().name("new").build()));
      assertEquals(new dev.mcpgateway.model.ServerKey("acme", "shared"), heard.poll(1, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      result(other.close());
    }
  }

  @Test
  void aDifferentSchemaHearsNothing() throws Exception {
    String elsewhere = Postgres.newSchema();
    Stores stranger = result(PgStores.open(vertx, Postgres.settings(elsewhere)));
    try {
      java.util.concurrent.BlockingQueue<dev.mcpgateway.model.ServerKey> heard = new java.util.concurrent.LinkedBlockingQueue<>();
      stranger.servers().onChange(heard::add);
      result(store().create(server("acme", "private")));
      assertEquals(null, heard.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS));
    } finally {
      result(stranger.close());
      result(Postgres.dropSchema(vertx, elsewhere));
    }
  }
}
