package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.concurrency.Contexts;
import dev.mcpgateway.model.AuthenticationStatus;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.UserConnections;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access token for an {@code oauth} server's upstream requests. Refreshes ahead of expiry
 * ({@link OAuthSettings#refreshAhead()}) and on demand after a 401; concurrent refreshes of one
 * server's token share one request (a refresh token is single-use where the server rotates them).
 * A refused refresh marks the connection {@code stale} and fails with {@code retryable: false}, so
 * nothing loops on it; an unreachable authorization server leaves the connection as it is. For the
 * {@code client_credentials} grant the gateway gets (and renews) its own tokens.
 */
public final class OAuthTokens {
  private final ServerStore store;
  private final UserConnections users;
  private final SecretCipher cipher;
  private final OAuthConnector connector;
  private final ClientSecrets secrets;
  private final OAuthDiscovery discovery;
  private final TokenEndpoint endpoint;
  private final OAuthSettings settings;
  private final Clock clock;
  private final Map<String, Future<String>> renewals = new ConcurrentHashMap<>();
  /** When each connection was last renewed by force: an upstream that keeps answering 401 does not make every request refresh. */
  private final Map<String, Instant> lastForced = new ConcurrentHashMap<>();
  private static final java.time.Duration FORCED_RENEWAL_SPACING = java.time.Duration.ofSeconds(10);

  public OAuthTokens(ServerStore store, UserConnections users, SecretCipher cipher, OAuthConnector connector, OAuthHttp http, OAuthSettings settings, Clock clock,
      java.util.function.BiConsumer<String, String> tokenOutcomes) {
    this.store = store;
    this.users = users;
    this.cipher = cipher;
    this.connector = connector;
    this.secrets = new ClientSecrets(cipher);
    this.discovery = new OAuthDiscovery(http);
    this.endpoint = new TokenEndpoint(http, clock, tokenOutcomes);
    this.settings = settings;
    this.clock = clock;
  }

  /** A usable access token for {@code server} (a snapshot; the store has the latest). */
  public Future<String> accessToken(McpServer server) {
    OAuthConnection connection = server.oauth();
    if (connection != null && connection.tokens() != null && connection.status() == AuthenticationStatus.CONNECTED && fresh(connection)) {
      try {
        return Future.succeededFuture(open(server, connection).accessToken());
      } catch (RuntimeException unreadable) {
        return Future.failedFuture(new OAuthException("the stored OAuth tokens cannot be opened with this gateway's secret key", false));
      }
    }
    return renew(server, false);
  }

  /**
   * The access token of {@code subject} (a client token's name) for an on-behalf server: only that
   * user's own connection is ever used. Without one (or with a stale one) the failure carries the
   * gateway URL where the user authorizes.
   */
  public Future<String> accessTokenFor(McpServer server, String subject) {
    return users.get(server.accountId(), server.id(), subject).compose(user -> {
      if (user != null && user.tokens() != null && user.status() == AuthenticationStatus.CONNECTED && fresh(user.expiresAt())) {
        return Future.succeededFuture(openUser(user).accessToken());
      }
      return renewUser(server, subject, false);
    });
  }

  /** After the upstream refused a user's token (401): one forced renewal of that user's token. */
  public Future<String> renewAfterRejection(McpServer server, String subject) {
    return renewUser(server, subject, true);
  }

  private Future<String> renewUser(McpServer server, String subject, boolean asked) {
    String key = "user:" + server.accountId() + "/" + server.id() + "/" + subject;
    boolean force = asked && spacedEnough(key);
    return shared(key, () -> users.get(server.accountId(), server.id(), subject)
        .compose(user -> renewUserLatest(server, subject, user, force)));
  }

  private Future<String> renewUserLatest(McpServer server, String subject, dev.mcpgateway.model.UserConnection user, boolean force) {
    String url = connector.userAuthorizationUrl(server, subject);
    if (user == null || user.tokens() == null) return Future.failedFuture(OAuthException.userMustAuthorize("you have not connected this server yet", url));
    if (user.status() == AuthenticationStatus.STALE) return Future.failedFuture(OAuthException.userMustAuthorize("your connection to this server is stale", url));
    TokenEndpoint.Tokens current = openUser(user);
    if (!force && fresh(user.expiresAt())) return Future.succeededFuture(current.accessToken());
    OAuthConnection connection = server.oauth();
    if (current.refreshToken() == null || connection == null) {
      return markUserStale(server, subject, "the access token expired and there is no refresh token", url);
    }
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", "refresh_token");
    grant.put("refresh_token", current.refreshToken());
    return endpoint.request(connection, secrets.secret(server, connection), grant)
        .recover(failure -> failure instanceof OAuthException e && !e.retryable()
            ? markUserStale(server, subject, e.getMessage(), url).map(v -> (TokenEndpoint.Tokens) null)
            : Future.failedFuture(failure))
        .compose(received -> {
          TokenEndpoint.Tokens kept = received.refreshToken() != null ? received
              : new TokenEndpoint.Tokens(received.accessToken(), current.refreshToken(), received.expiresAt());
          // a row removed meanwhile (server deleted or moved) stays removed: the tokens are dropped
          return users.update(server.accountId(), server.id(), subject, latest -> latest == null ? null
                  : latest.withTokens(cipher.seal(kept.toJson(), SealedContexts.oauthUserTokens(server.accountId(), server.id(), subject)),
                      kept.expiresAt(), AuthenticationStatus.CONNECTED, null))
              .compose(saved -> saved == null ? Future.<String>failedFuture(new OAuthException("the server changed while your token was renewed", true))
                  : Future.succeededFuture(kept.accessToken()));
        });
  }

  private <T> Future<T> markUserStale(McpServer server, String subject, String why, String url) {
    return users.update(server.accountId(), server.id(), subject, latest -> latest == null ? null
            : latest.withTokens(latest.tokens(), latest.expiresAt(), AuthenticationStatus.STALE, why))
        .transform(done -> Future.failedFuture(OAuthException.userMustAuthorize("your connection to this server is stale", url)));
  }

  private TokenEndpoint.Tokens openUser(dev.mcpgateway.model.UserConnection user) {
    return TokenEndpoint.Tokens.fromJson(cipher.open(user.tokens(),
        SealedContexts.oauthUserTokens(user.accountId(), user.serverId(), user.subject())), user.expiresAt());
  }

  /** After the upstream refused the token (401): one forced renewal, shared by everyone who saw the 401. */
  public Future<String> renewAfterRejection(McpServer server) {
    return renew(server, true);
  }

  private Future<String> renew(McpServer snapshot, boolean asked) {
    String key = snapshot.accountId() + "/" + snapshot.id();
    boolean force = asked && spacedEnough(key);
    return shared(key, () -> store.get(snapshot.accountId(), snapshot.id()).compose(latest -> renewLatest(latest, force)));
  }

  /** One renewal per connection at a time: later callers join the running one (a refresh token may be single-use). */
  private Future<String> shared(String key, java.util.function.Supplier<Future<String>> renewal) {
    Future<String> running = renewals.get(key);
    if (running != null) return Contexts.joined(running); // each joiner goes on where it was
    io.vertx.core.Promise<String> promise = io.vertx.core.Promise.promise();
    Future<String> mine = promise.future();
    running = renewals.putIfAbsent(key, mine);
    if (running != null) return Contexts.joined(running);
    mine.onComplete(done -> renewals.remove(key, mine));
    renewal.get().onComplete(promise);
    return Contexts.joined(mine);
  }

  private boolean spacedEnough(String key) {
    Instant now = clock.instant();
    Instant last = lastForced.get(key);
    if (last != null && last.plus(FORCED_RENEWAL_SPACING).isAfter(now)) return false;
    lastForced.put(key, now);
    if (lastForced.size() > 100_000) lastForced.clear(); // bounded: losing the spacing memory only allows a refresh
    return true;
  }

  private Future<String> renewLatest(McpServer server, boolean force) {
    OAuthConnection connection = server.oauth();
    OAuthClientConfig client = secrets.config(server);
    if (client.clientCredentials()) return clientCredentials(server, client, connection, force);
    if (connection == null || connection.tokens() == null) {
      return Future.failedFuture(notConnected(server, "no OAuth connection yet"));
    }
    if (connection.status() == AuthenticationStatus.STALE) return Future.failedFuture(notConnected(server, "the OAuth connection is stale"));
    TokenEndpoint.Tokens current = open(server, connection);
    // another replica (or an earlier caller) may have renewed already
    if (!force && fresh(connection)) return Future.succeededFuture(current.accessToken());
    if (current.refreshToken() == null) {
      return markStale(server, connection.tokens(), "the access token expired and the authorization server gave no refresh token");
    }
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", "refresh_token");
    grant.put("refresh_token", current.refreshToken());
    return endpoint.request(connection, secrets.secret(server, connection), grant)
        .compose(received -> {
          TokenEndpoint.Tokens kept = received.refreshToken() != null ? received
              : new TokenEndpoint.Tokens(received.accessToken(), current.refreshToken(), received.expiresAt());
          return save(server, connection, kept).map(kept.accessToken());
        }, failure -> failure instanceof OAuthException e && !e.retryable()
            ? refused(server, connection.tokens(), e.getMessage())
            : Future.failedFuture(failure));
  }

  /**
   * A refresh was refused. If the stored tokens changed meanwhile (another replica refreshed with
   * the same refresh token first), the stored ones are the answer; else the connection is stale.
   */
  private Future<String> refused(McpServer server, dev.mcpgateway.model.SealedSecret used, String why) {
    return store.get(server.accountId(), server.id()).compose(latest -> {
      OAuthConnection now = latest.oauth();
      if (now != null && now.tokens() != null && !now.tokens().equals(used) && now.status() == AuthenticationStatus.CONNECTED) {
        return Future.succeededFuture(open(latest, now).accessToken());
      }
      return markStale(server, used, why);
    });
  }

  private Future<String> clientCredentials(McpServer server, OAuthClientConfig client, OAuthConnection connection, boolean force) {
    if (!force && connection != null && connection.tokens() != null && fresh(connection)) {
      return Future.succeededFuture(open(server, connection).accessToken());
    }
    if (connection != null && connection.status() == AuthenticationStatus.STALE) {
      // refused before: no token request per agent call; new auth_credentials start a new connection
      return Future.failedFuture(new OAuthException("the authorization server refused the client credentials: correct auth_credentials", false));
    }
    Future<OAuthConnection> known = connection != null && connection.tokenEndpoint() != null ? Future.succeededFuture(connection)
        : discovery.discover(server.hostname()).map(found -> {
          AuthorizationServer as = found.server();
          if (!as.supportsGrant(OAuthClientConfig.CLIENT_CREDENTIALS) && !as.grantTypes().isEmpty()) {
            throw new OAuthException("the authorization server does not offer the client_credentials grant", false);
          }
          return new OAuthConnection(as.issuer(), as.authorizationEndpoint(), as.tokenEndpoint(), as.revocationEndpoint(),
              found.resource(), client.scope() != null ? client.scope() : found.scope(), "manual", client.clientId(),
              as.secretAuthMethod(), null, null, null, null, AuthenticationStatus.REQUIRED, null, null);
        });
    return known.compose(target -> {
      Map<String, String> grant = new LinkedHashMap<>();
      grant.put("grant_type", OAuthClientConfig.CLIENT_CREDENTIALS);
      if (target.scope() != null) grant.put("scope", target.scope());
      return endpoint.request(target, client.clientSecret(), grant)
          .compose(received -> save(server, target, received).map(received.accessToken()),
              failure -> failure instanceof OAuthException e && !e.retryable()
                  ? markStale(server, target, null, e.getMessage())
                  : Future.failedFuture(failure));
    });
  }

  /**
   * Stores new tokens, unless the server changed while they were being fetched (moved, another auth
   * type, another client: its connection was forgotten and revoked): tokens never attach to a
   * server other than the one they were asked for.
   */
  private Future<McpServer> save(McpServer server, OAuthConnection connection, TokenEndpoint.Tokens tokens) {
    return store.update(server.accountId(), server.id(), current -> {
      OAuthConnection base = current.oauth() != null && connection.clientId().equals(current.oauth().clientId()) ? current.oauth()
          : current.oauth() == null && connection.redirectUri() == null ? connection // client_credentials: its first tokens
          : null;
      if (base == null || !sameUpstream(server, current)) throw new OAuthException("the server changed while its token was renewed", true);
      return current.toBuilder().oauth(base.withTokens(cipher.seal(tokens.toJson(), SealedContexts.oauthTokens(server.accountId(), server.id())),
          tokens.expiresAt(), AuthenticationStatus.CONNECTED, null)).build();
    });
  }

  private <T> Future<T> markStale(McpServer server, dev.mcpgateway.model.SealedSecret used, String why) {
    return markStale(server, server.oauth(), used, why);
  }

  /** Marks the connection stale only if it still holds the tokens that were refused ({@code used}; null: any). */
  private <T> Future<T> markStale(McpServer server, OAuthConnection fallback, dev.mcpgateway.model.SealedSecret used, String why) {
    return store.update(server.accountId(), server.id(), current -> {
      if (!sameUpstream(server, current)) return current;
      OAuthConnection connection = current.oauth() != null ? current.oauth()
          : fallback != null && fallback.redirectUri() == null ? fallback : null; // a client_credentials target may not be stored yet
      if (connection == null || (used != null && !used.equals(connection.tokens()))) return current;
      return current.toBuilder().oauth(connection.withTokens(connection.tokens(), connection.expiresAt(), AuthenticationStatus.STALE,
          why)).build();
    }).transform(done -> Future.failedFuture(notConnected(server, "the OAuth connection is stale (" + why + ")")));
  }

  private static boolean sameUpstream(McpServer asked, McpServer current) {
    return current.hostname().equals(asked.hostname()) && current.authType() == asked.authType();
  }

  private boolean fresh(OAuthConnection connection) {
    return fresh(connection.expiresAt());
  }

  private boolean fresh(Instant expiresAt) {
    return expiresAt == null || expiresAt.isAfter(clock.instant().plus(settings.refreshAhead()));
  }

  private TokenEndpoint.Tokens open(McpServer server, OAuthConnection connection) {
    return TokenEndpoint.Tokens.fromJson(cipher.open(connection.tokens(), SealedContexts.oauthTokens(server.accountId(), server.id())),
        connection.expiresAt());
  }

  private static OAuthException notConnected(McpServer server, String why) {
    return new OAuthException(why + ": an admin must authorize at /oauth/connect/" + server.accountId() + "/" + server.id(), false);
  }
}
