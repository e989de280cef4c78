package dev.mcpgateway.store;

import dev.mcpgateway.model.PortalKey;
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
 * Server and portal changes across replicas over LISTEN/NOTIFY. Every write announces itself on
 * the schema's channel ({@code mcpgw_<schema>}) inside its own transaction, so replicas hear of a
 * change only once it is committed; each replica keeps one LISTEN connection ({@link PgSubscriber},
 * off the pool) and tells its listeners. When that connection is lost (database restart, network)
 * it reconnects every second; after a reconnection notifications may have been missed, so
 * listeners hear {@link ServerKey#EVERYTHING} and {@link PortalKey#EVERYTHING}.
 *
 * <p>Payloads: a server is {@code account/id} (as before portals existed, so replicas of either
 * release understand each other's server changes); a portal is {@code p:account/id}. Account ids
 * cannot contain {@code :}, so no server payload starts with the portal prefix.
 */
final class PgChangeFeed {
  private static final long RECONNECT_DELAY_MS = 1000;
  private static final String PORTAL_PREFIX = "p:";

  private final PgSubscriber subscriber;
  private final String channel;
  private final List<Consumer<ServerKey>> serverListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<PortalKey>> portalListeners = new CopyOnWriteArrayList<>();
  private boolean subscribedBefore;

  private PgChangeFeed(PgSubscriber subscriber, String channel) {
    this.subscriber = subscriber;
    this.channel = channel;
  }

  /** The feed of {@code schema} (not connected yet: {@link #start}). {@code connect} is the pool's; only properties differ. */
  static PgChangeFeed create(Vertx vertx, PgConnectOptions connect, String schema) {
    // One channel per schema: replicas sharing tables share change notifications, nobody else does.
    String channel = channel(schema);
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(connect)
            .setProperties(Map.of("search_path", schema, "application_name", "mcp-gateway-listen")))
        .reconnectPolicy(attempt -> RECONNECT_DELAY_MS);
    return new PgChangeFeed(subscriber, channel);
  }

  static String channel(String schema) {
    return ("mcpgw_" + schema).substring(0, Math.min(63, 6 + schema.length()));
  }

  /** Subscribes to the channel; succeeds once the first LISTEN is in place. */
  Future<Void> start() {
    subscriber.channel(channel)
        .subscribeHandler(v -> {
          if (subscribedBefore) {
            serverListeners.forEach(l -> l.accept(ServerKey.EVERYTHING));
            portalListeners.forEach(l -> l.accept(PortalKey.EVERYTHING));
          }
          subscribedBefore = true;
        })
        .handler(this::heard);
    return subscriber.connect();
  }

  private void heard(String payload) {
    boolean portal = payload.startsWith(PORTAL_PREFIX);
    String key = portal ? payload.substring(PORTAL_PREFIX.length()) : payload;
    int slash = key.indexOf('/');
    if (slash <= 0) return;
    String accountId = key.substring(0, slash);
    String id = key.substring(slash + 1);
    if (portal) {
      PortalKey changed = new PortalKey(accountId, id);
      portalListeners.forEach(l -> l.accept(changed));
    } else {
      ServerKey changed = new ServerKey(accountId, id);
      serverListeners.forEach(l -> l.accept(changed));
    }
  }

  /** Announces a change of server {@code accountId/id} within {@code conn}'s transaction (NOTIFY is transactional). */
  Future<Void> announceServer(SqlConnection conn, String accountId, String id) {
    return notify(conn, accountId + "/" + id);
  }

  /** Announces a change of portal {@code accountId/id} within {@code conn}'s transaction. */
  Future<Void> announcePortal(SqlConnection conn, String accountId, String id) {
    return notify(conn, PORTAL_PREFIX + accountId + "/" + id);
  }

  private Future<Void> notify(SqlConnection conn, String payload) {
    return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)).mapEmpty();
  }

  void onServerChange(Consumer<ServerKey> listener) {
    serverListeners.add(listener);
  }

  void onPortalChange(Consumer<PortalKey> listener) {
    portalListeners.add(listener);
  }

  Future<Void> close() {
    return subscriber.close();
  }
}
