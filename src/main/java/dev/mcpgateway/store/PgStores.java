package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opens the PostgreSQL stores (production, and several replicas: the database is the only shared
 * state): one pool for {@link PgServerStore}, {@link PgPortalStore}, {@link PgAuditLog},
 * {@link PgUserConnections}, {@link PgPortalToggles}, {@link PgSessionRevocations}, {@link PgServiceTokens}, {@link PgPolicyStore}, {@link PgSignInStore} and {@link PgToolCallCounts}; {@code schema} created if missing, put on
 * the search path and migrated ({@link PgMigrations}); the {@link PgChangeFeed} listening before the first request.
 */
final class PgStores {
  private static final System.Logger LOG = System.getLogger(PgStores.class.getName());
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private PgStores() {}

  static Future<Stores> open(Vertx vertx, StoreSettings.Postgres settings) {
    String schema = settings.schema() == null || settings.schema().isBlank() ? "public" : settings.schema();
    if (!SCHEMA.matcher(schema).matches()) {
      return Future.failedFuture(new IllegalArgumentException("invalid PostgreSQL schema name: " + schema));
    }
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(settings.url());
    } catch (RuntimeException e) {
      // the message of a URI parse error may echo the URI, password included
      return Future.failedFuture(new IllegalArgumentException("invalid PostgreSQL URL (expected postgresql://user@host:port/db)"));
    }
    connect.setProperties(Map.of("search_path", schema, "application_name", "mcp-gateway"));
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(settings.poolSize())
        .setConnectionTimeout(settings.connectTimeoutMs())
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setMaxWaitQueueSize(1024);
    Pool pool = PgBuilder.pool()
        .with(poolOptions)
        .with(new NetClientOptions().setConnectTimeout(settings.connectTimeoutMs()))
        .connectingTo(connect)
        .using(vertx)
        .build();
    PgChangeFeed feed = PgChangeFeed.create(vertx, connect, schema);
    return PgMigrations.apply(vertx, pool, schema)
        .onSuccess(n -> { if (n > 0) LOG.log(System.Logger.Level.INFO, "applied " + n + " schema migration(s) to " + schema); })
        .compose(n -> feed.start())
        .map(v -> new Stores(new PgServerStore(pool, feed), new PgPortalStore(pool, feed), new PgAuditLog(pool), new PgUserConnections(pool),
            new PgPortalToggles(pool, feed), new PgSessionRevocations(pool, feed), new PgServiceTokens(pool, feed), new PgPolicyStore(pool, feed),
            new PgSignInStore(pool), new PgToolCallCounts(pool), () -> feed.close().eventually(pool::close)))
        .recover(e -> feed.close().eventually(pool::close).transform(ignored ->
            Future.failedFuture(new StoreUnavailableException("cannot open PostgreSQL store: " + e.getMessage(), e))));
  }
}
