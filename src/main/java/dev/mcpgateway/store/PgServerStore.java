package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * PostgreSQL store for production and for several gateway replicas: the database is the only
 * shared state. Updates are read-modify-write under {@code SELECT ... FOR UPDATE}, so concurrent
 * updates of one server, even from different replicas, are serialised.
 */
public final class PgServerStore implements ServerStore {
  private static final System.Logger LOG = System.getLogger(PgServerStore.class.getName());
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String UNIQUE_VIOLATION = "23505";
  private static final long RECONNECT_DELAY_MS = 1000;
  private static final String MATCHES =
      "($2::text IS NULL OR strpos(lower(id), $2) > 0 OR strpos(lower(name), $2) > 0 OR strpos(lower(hostname), $2) > 0)";

  private final Pool pool;
  private final PgSubscriber subscriber;
  private final String channel;
  private final List<Consumer<ServerKey>> listeners = new CopyOnWriteArrayList<>();
  private final PgAuditLog audit;
  private final PgUserConnections users;

  private PgServerStore(Pool pool, PgSubscriber subscriber, String channel) {
    this.pool = pool;
    this.audit = new PgAuditLog(pool);
    this.users = new PgUserConnections(pool);
    this.subscriber = subscriber;
    this.channel = channel;
  }

  /** Opens the pool; {@code schema} is created if missing, put on the search path and migrated. */
  public static Future<PgServerStore> open(Vertx vertx, StoreSettings.Postgres settings) {
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
    // One channel per schema: replicas sharing tables share change notifications, nobody else does.
    String channel = ("mcpgw_" + schema).substring(0, Math.min(63, 6 + schema.length()));
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(connect)
            .setProperties(Map.of("search_path", schema, "application_name", "mcp-gateway-listen")))
        .reconnectPolicy(attempt -> RECONNECT_DELAY_MS);
    return PgMigrations.apply(vertx, pool, schema)
        .onSuccess(n -> { if (n > 0) LOG.log(System.Logger.Level.INFO, "applied " + n + " schema migration(s) to " + schema); })
        .map(n -> new PgServerStore(pool, subscriber, channel))
        .compose(store -> store.listen().map(store))
        .recover(e -> subscriber.close().eventually(pool::close).transform(ignored ->
            Future.failedFuture(new StoreUnavailableException("cannot open PostgreSQL store: " + e.getMessage(), e))));
  }

  /**
   * Subscribes to the change channel. After a reconnection (database restart) notifications may
   * have been missed, so listeners hear {@link ServerKey#EVERYTHING}.
   */
  private Future<Void> listen() {
    boolean[] subscribedBefore = {false};
    subscriber.channel(channel)
        .subscribeHandler(v -> {
          if (subscribedBefore[0]) emit(ServerKey.EVERYTHING);
          subscribedBefore[0] = true;
        })
        .handler(payload -> {
          int slash = payload.indexOf('/');
          if (slash > 0) emit(new ServerKey(payload.substring(0, slash), payload.substring(slash + 1)));
        });
    return subscriber.connect();
  }

  private void emit(ServerKey key) {
    listeners.forEach(l -> l.accept(key));
  }

  @Override
  public void onChange(Consumer<ServerKey> listener) {
    listeners.add(listener);
  }

  /** NOTIFY is transactional: replicas hear of a change only once it is committed. */
  private Future<Void> notifyChange(SqlConnection conn, String accountId, String id) {
    return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, accountId + "/" + id)).mapEmpty();
  }

  @Override
  public Future<List<SyncState>> syncStates() {
    return translate(pool.query("SELECT account_id, id, doc->>'status', doc->>'last_synced', doc->>'last_successful_sync', "
            + "doc->>'created_at' FROM mcp_servers").execute()
        .map(rows -> {
          List<SyncState> states = new ArrayList<>(rows.size());
          for (Row row : rows) {
            states.add(new SyncState(new ServerKey(row.getString(0), row.getString(1)),
                ServerStatus.fromWire(row.getString(2)).orElse(ServerStatus.WAITING),
                instant(row.getString(3)), instant(row.getString(4)), instant(row.getString(5))));
          }
          return states;
        }));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  @Override
  public Future<McpServer> create(McpServer server) {
    return translate(pool.withTransaction(conn -> conn.preparedQuery(
            "INSERT INTO mcp_servers (account_id, id, name, hostname, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(server.accountId(), server.id(), server.name(), server.hostname(), StoredServerJson.encode(server)))
        .compose(rows -> {
          if (rows.rowCount() == 0) return Future.failedFuture(new DuplicateServerException(server.accountId(), server.id()));
          return notifyChange(conn, server.accountId(), server.id()).map(server);
        })));
  }

  @Override
  public Future<McpServer> get(String accountId, String id) {
    return translate(pool.preparedQuery("SELECT doc::text FROM mcp_servers WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id)));
  }

  @Override
  public Future<McpServer> update(String accountId, String id, UnaryOperator<McpServer> change) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("SELECT doc::text FROM mcp_servers WHERE account_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(accountId, id))
        .compose(rows -> {
          McpServer next;
          try {
            next = change.apply(single(rows, accountId, id));
          } catch (RuntimeException e) {
            return Future.failedFuture(new UpdateRejected(e));
          }
          if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
            return Future.failedFuture(new UpdateRejected(
                new IllegalArgumentException("an update may not change a server's account or id")));
          }
          return conn.preparedQuery(
                  "UPDATE mcp_servers SET name = $3, hostname = $4, doc = $5, updated_at = now() WHERE account_id = $1 AND id = $2")
              .execute(Tuple.of(accountId, id, next.name(), next.hostname(), StoredServerJson.encode(next)))
              .compose(r -> notifyChange(conn, accountId, id))
              .map(next);
        })));
  }

  @Override
  public Future<McpServer> delete(String accountId, String id) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("DELETE FROM mcp_servers WHERE account_id = $1 AND id = $2 RETURNING doc::text")
        .execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, accountId, id))
        .compose(deleted -> notifyChange(conn, accountId, id).map(deleted))));
  }

  @Override
  public Future<ServerPage> list(String accountId, ServerQuery query) {
    Tuple filter = Tuple.of(accountId, query.search());
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM mcp_servers WHERE account_id = $1 AND " + MATCHES)
        .execute(filter)
        .map(rows -> rows.iterator().next().getLong(0));
    Future<List<McpServer>> items = pool.preparedQuery("SELECT doc::text FROM mcp_servers WHERE account_id = $1 AND "
            + MATCHES + " ORDER BY id LIMIT $3 OFFSET $4")
        .execute(Tuple.of(accountId, query.search(), query.perPage(), query.offset()))
        .map(PgServerStore::decodeAll);
    return translate(Future.all(total, items).map(all -> new ServerPage(items.result(), total.result())));
  }

  @Override
  public Future<dev.mcpgateway.model.UserConnection> userConnection(String accountId, String serverId, String subject) {
    return translate(users.get(accountId, serverId, subject));
  }

  @Override
  public Future<dev.mcpgateway.model.UserConnection> updateUserConnection(String accountId, String serverId, String subject,
      UnaryOperator<dev.mcpgateway.model.UserConnection> change) {
    return translate(users.update(accountId, serverId, subject, change, UpdateRejected::new));
  }

  @Override
  public Future<List<dev.mcpgateway.model.UserConnection>> deleteUserConnections(String accountId, String serverId) {
    return translate(users.deleteAll(accountId, serverId));
  }

  @Override
  public Future<AuditEntry> appendAudit(AuditEntry entry) {
    return translate(audit.append(entry));
  }

  @Override
  public Future<AuditPage> listAudit(String accountId, AuditQuery query) {
    return translate(audit.list(accountId, query));
  }

  @Override
  public Future<Void> ping() {
    return translate(pool.query("SELECT 1").execute().mapEmpty());
  }

  @Override
  public Future<Void> close() {
    return subscriber.close().eventually(pool::close);
  }

  private static McpServer single(RowSet<Row> rows, String accountId, String id) {
    if (rows.size() == 0) throw new ServerNotFoundException(accountId, id);
    return decode(rows.iterator().next());
  }

  private static List<McpServer> decodeAll(RowSet<Row> rows) {
    List<McpServer> servers = new ArrayList<>(rows.size());
    for (Row row : rows) servers.add(decode(row));
    return servers;
  }

  private static McpServer decode(Row row) {
    return StoredServerJson.decode(new JsonObject(row.getString(0)));
  }

  /** Domain failures pass through; a rejected update answers its own cause; the rest means the database is unavailable. */
  private static <T> Future<T> translate(Future<T> future) {
    return future.recover(e -> {
      if (e instanceof UpdateRejected rejected) return Future.failedFuture(rejected.getCause());
      if (e instanceof DuplicateServerException || e instanceof ServerNotFoundException) return Future.failedFuture(e);
      if (e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) return Future.failedFuture(e);
      LOG.log(System.Logger.Level.WARNING, "PostgreSQL store failure: " + e);
      return Future.failedFuture(new StoreUnavailableException("database unavailable", e));
    });
  }

  /** Carries an exception thrown by an update function through the transaction, which rolls back. */
  private static final class UpdateRejected extends RuntimeException {
    UpdateRejected(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
