package dev.mcpgateway.support;

import dev.mcpgateway.store.StoreSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.UUID;

/**
 * The real PostgreSQL of this machine ({@code PG_URL}, default postgres@127.0.0.1:5432/test). Each
 * test gets a schema of its own, dropped afterwards. There is no skip: when the database is
 * missing, the tests that need it fail (the test command starts it first).
 */
public final class Postgres {
  public static final String URL = System.getenv().getOrDefault("PG_URL", "postgresql://postgres@127.0.0.1:5432/test");

  private Postgres() {}

  public static String newSchema() {
    return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public static StoreSettings.Postgres settings(String schema) {
    return new StoreSettings.Postgres(URL, schema, 8, 5000);
  }

  public static Future<Void> dropSchema(Vertx vertx, String schema) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(PgConnectOptions.fromUri(URL))
        .using(vertx).build();
    return pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().mapEmpty().eventually(pool::close).mapEmpty();
  }

  /**
   * Ends the gateway's LISTEN connection on {@code channel} (a store's change feed; its last
   * statement names the channel, so only that schema's) as a database restart or a network cut
   * would; answers how many were ended.
   */
  public static int terminateListener(Vertx vertx, String channel) {
    return sql(vertx, pool -> pool.preparedQuery("SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity "
            + "WHERE application_name = 'mcp-gateway-listen' AND query LIKE '%' || $1 || '%'")
        .execute(io.vertx.sqlclient.Tuple.of(channel)).map(rows -> rows.iterator().next().getInteger(0)));
  }

  /** Runs {@code query} on a pool of its own (closed after), for tests that look at or write the tables directly. */
  public static <T> T sql(Vertx vertx, java.util.function.Function<Pool, Future<T>> query) {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(URL)).using(vertx).build();
    try {
      return Await.result(query.apply(pool));
    } finally {
      Await.result(pool.close());
    }
  }
}
