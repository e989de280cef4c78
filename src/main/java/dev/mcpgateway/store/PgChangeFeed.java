package dev.mcpgateway.store;

import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ToggleKey;
import dev.mcpgateway.security.ServiceTokenSecrets;
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
 * Server, portal, portal-toggle and service-token changes and session revocations across replicas over LISTEN/NOTIFY. Every write announces itself on
 * the schema's channel ({@code mcpgw_<schema>}) inside its own transaction, so replicas hear of a
 * change only once it is committed; each replica keeps one LISTEN connection ({@link PgSubscriber},
 * off the pool) and tells its listeners. When that connection is lost (database restart, network)
 * it reconnects every second; after a reconnection notifications may have been missed, so
 * listeners hear {@link ServerKey#EVERYTHING}, {@link PortalKey#EVERYTHING},
 * {@link ToggleKey#EVERYTHING}, {@link SessionRevocations#EVERYTHING} and {@link ServiceTokenStore#EVERYTHING}.
 *
 * <p>Payloads: a server is {@code account/id} (as before portals existed, so replicas of either
 * release understand each other's server changes); a portal is {@code p:account/id}; one holder's
 * toggles on a portal are {@code t:account/portal/holder} (the holder is the rest, whatever it
 * holds); a revoked session is {@code r:<session key>}; a service token is {@code s:<client id>}; an
 * account's access policies are {@code a:<account>}. Account ids cannot contain {@code :}, so no
 * server payload starts with a prefix; a replica of an earlier release reads a {@code t:} payload as
 * a server change of an account named {@code t:...} that does not exist, which costs it nothing, and
 * drops {@code r:}, {@code s:} and {@code a:} payloads (no {@code /}).
 */
final class PgChangeFeed {
  private static final long RECONNECT_DELAY_MS = 1000;
  private static final String PORTAL_PREFIX = "p:";
  private static final String TOGGLE_PREFIX = "t:";
  private static final String REVOCATION_PREFIX = "r:";
  private static final String SERVICE_TOKEN_PREFIX = "s:";
  private static final String POLICY_PREFIX = "a:";

  private final PgSubscriber subscriber;
  private final String channel;
  private final List<Consumer<ServerKey>> serverListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<PortalKey>> portalListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ToggleKey>> toggleListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> serviceTokenListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> policyListeners = new CopyOnWriteArrayList<>();
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
            toggleListeners.forEach(l -> l.accept(ToggleKey.EVERYTHING));
            revocationListeners.forEach(l -> l.accept(SessionRevocations.EVERYTHING));
            serviceTokenListeners.forEach(l -> l.accept(ServiceTokenStore.EVERYTHING));
            policyListeners.forEach(l -> l.accept(PolicyStore.EVERY_ACCOUNT));
          }
          subscribedBefore = true;
        })
        .handler(this::heard);
    return subscriber.connect();
  }

  private void heard(String payload) {
    if (payload.startsWith(POLICY_PREFIX)) {
      String account = payload.substring(POLICY_PREFIX.length());
      if (!account.isEmpty() && !account.contains("/")) policyListeners.forEach(l -> l.accept(account));
      return;
    }
    if (payload.startsWith(SERVICE_TOKEN_PREFIX)) {
      String clientId = payload.substring(SERVICE_TOKEN_PREFIX.length());
      if (ServiceTokenSecrets.CLIENT_ID.matcher(clientId).matches()) serviceTokenListeners.forEach(l -> l.accept(clientId));
      return;
    }
    if (payload.startsWith(REVOCATION_PREFIX)) {
      String key = payload.substring(REVOCATION_PREFIX.length());
      if (SessionRevocations.isKey(key)) revocationListeners.forEach(l -> l.accept(key));
      return;
    }
    if (payload.startsWith(TOGGLE_PREFIX)) {
      String[] parts = payload.substring(TOGGLE_PREFIX.length()).split("/", 3);
      if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty()) return;
      ToggleKey changed = new ToggleKey(parts[0], parts[1], parts[2]);
      toggleListeners.forEach(l -> l.accept(changed));
      return;
    }
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

  /** Announces a change of {@code key}'s toggles within {@code conn}'s transaction. */
  Future<Void> announceToggles(SqlConnection conn, ToggleKey key) {
    return notify(conn, TOGGLE_PREFIX + key.accountId() + "/" + key.portalId() + "/" + key.holder());
  }

  /** Announces the revocation of {@code sessionKey} within {@code conn}'s transaction. */
  Future<Void> announceRevocation(SqlConnection conn, String sessionKey) {
    return notify(conn, REVOCATION_PREFIX + sessionKey);
  }

  /** Announces a change of an account's access policies within {@code conn}'s transaction. */
  Future<Void> announcePolicies(SqlConnection conn, String accountId) {
    return notify(conn, POLICY_PREFIX + accountId);
  }

  /** Announces a change of the service token with {@code clientId} within {@code conn}'s transaction. */
  Future<Void> announceServiceToken(SqlConnection conn, String clientId) {
    return notify(conn, SERVICE_TOKEN_PREFIX + clientId);
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

  void onToggleChange(Consumer<ToggleKey> listener) {
    toggleListeners.add(listener);
  }

  void onPolicyChange(Consumer<String> listener) {
    policyListeners.add(listener);
  }

  void onRevocation(Consumer<String> listener) {
    revocationListeners.add(listener);
  }

  void onServiceTokenChange(Consumer<String> listener) {
    serviceTokenListeners.add(listener);
  }

  Future<Void> close() {
    return subscriber.close();
  }
}
