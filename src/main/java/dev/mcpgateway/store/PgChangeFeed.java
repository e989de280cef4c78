package dev.mcpgateway.store;

import dev.mcpgateway.model.ServerKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Server changes across replicas over LISTEN/NOTIFY. Every write announces {@code account/id} on
 * the schema's channel ({@code mcpgw_<schema>}) inside its own transaction, so replicas hear of a
 * change only once it is committed; each replica keeps one LISTEN connection ({@link PgSubscriber},
 * off the pool) and tells its listeners. When that connection is lost (database restart, network)
 * it reconnects every second; after a reconnection notifications may have been missed, so
 * listeners hear {@link ServerKey#EVERYTHING}.
 */
final class PgChangeFeed {
  private static final long RECONNECT_DELAY_MS = 1000;

  private final PgSubscriber subscriber;
  private final String channel;
  private final List<Consumer<ServerKey>> listeners = new CopyOnWriteArrayList<>();
  private boolean subscribedBefore;

  private PgChangeFeed(PgSubscriber subscriber, String channel) {
    this.subscriber = subscriber;
    this.channel = channel;
  }

  /** The feed of {@code schema} (not connected yet: {@link #start}). {@code connect} is the pool's; only properties differ. */
  static PgChangeFeed create(Vertx vertx, PgConnectOptions connect, String schema) {
    // One channel per schema: replicas sharing tables share change notifications, nobody else does.
    String channel = ("mcpgw_" + schema).substring(0, Math.min(63, 6 + schema.length()));
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(connect)
            .setProperties(Map.of("search_path", schema, "application_name", "mcp-gateway-listen")))
        .reconnectPolicy(attempt -> RECONNECT_DELAY_MS);
    return new PgChangeFeed(subscriber, channel);
  }

  /** Subscribes to the channel; succeeds once the first LISTEN is in place. */
  Future<Void> start() {
    subscriber.channel(channel)
        .subscribeHandler(v -> {
          if (subscribedBefore) emit(ServerKey.EVERYTHING);
          subscribedBefore = true;
        })
        .handler(payload -> {
          int slash = payload.indexOf('/');
          if (slash > 0) emit(new ServerKey(payload.substring(0, slash), payload.substring(slash + 1)));
        });
    return subscriber.connect();
  }

  /** Announces a change of server {@code accountId/id} within {@code conn}'s transaction (NOTIFY is transactional). */
  Future<Void> announce(SqlConnection conn, String accountId, String id) {
    return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, accountId + "/" + id)).mapEmpty();
  }

  void onChange(Consumer<ServerKey> listener) {
    listeners.add(listener);
  }

  Future<Void> close() {
    return subscriber.close();
  }

  private void emit(ServerKey key) {
    listeners.forEach(l -> l.accept(key));
  }
}
