package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.AuthenticationStatus;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.ServerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin connection: {@link #begin} discovers the upstream's authorization server, registers
 * the gateway (the admin's pre-registered client, else dynamic registration), stores a pending
 * authorization (PKCE verifier sealed, single-use state nonce, expiry, the admin's name) and
 * answers the authorization URL; {@link #complete} takes the callback, consumes the pending
 * authorization atomically (so a state works once, on any replica), checks {@code iss}, exchanges
 * the code and stores the tokens sealed.
 */
public final class OAuthConnector {
  private final ServerStore store;
  private final SecretCipher cipher;
  private final SecretCipher stateCipher;
  private final SecretCipher ticketCipher;
  private final OAuthDiscovery discovery;
  private final OAuthHttp http;
  private final TokenEndpoint tokens;
  private final OAuthSettings settings;
  private final Clock clock;

  public OAuthConnector(ServerStore store, SecretCipher cipher, OAuthHttp http, OAuthSettings settings, Clock clock,
      java.util.function.BiConsumer<String, String> tokenOutcomes) {
    this.store = store;
    this.cipher = cipher;
    this.stateCipher = cipher.derive("oauth-state");
    this.ticketCipher = cipher.derive("oauth-user-ticket");
    this.discovery = new OAuthDiscovery(http);
    this.http = http;
    this.tokens = new TokenEndpoint(http, clock, tokenOutcomes);
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts an authorization of {@code server} by {@code actor}; answers the URL to send the browser to. */
  public Future<String> begin(McpServer server, String actor) {
    if (server.authType() != AuthType.OAUTH) {
      return Future.failedFuture(OAuthException.notApplicable("this server's auth_type is not oauth: there is nothing to connect"));
    }
    OAuthClientConfig client = clientConfig(server);
    if (client.clientCredentials()) {
      return Future.failedFuture(OAuthException.notApplicable(
          "this server uses the client_credentials grant: the gateway gets its tokens itself, no authorization is needed"));
    }
    String redirectUri = settings.redirectUri(server);
    return discovery.discover(server.hostname()).compose(found -> {
      AuthorizationServer as = found.server();
      if (as.authorizationEndpoint() == null) return Future.failedFuture(new OAuthException("the authorization server has no authorization endpoint", false));
      if (!as.supportsS256()) {
        return Future.failedFuture(new OAuthException("the authorization server does not support PKCE with S256, which MCP requires", false));
      }
      String scope = client.scope() != null ? client.scope() : found.scope();
      return registration(server, found, client, redirectUri, scope).compose(registered -> {
        String verifier = Pkce.verifier();
        String nonce = Pkce.random(16);
        OAuthConnection.Pending pending = new OAuthConnection.Pending(nonce,
            cipher.seal(verifier, SealedContexts.oauthVerifier(server.accountId(), server.id())), actor,
            clock.instant().plus(settings.authorizationTtl()), as.issParameterSupported());
        return store.update(server.accountId(), server.id(), current -> {
          if (!current.hostname().equals(server.hostname()) || current.authType() != AuthType.OAUTH) {
            throw new OAuthException("the server changed while connecting; start again", true);
          }
          OAuthConnection previous = current.oauth();
          boolean sameClient = previous != null && registered.clientId().equals(previous.clientId())
              && registered.issuer().equals(previous.issuer());
          OAuthConnection next = sameClient // reconnecting: the working tokens stay until new ones arrive
              ? registered.withTokens(previous.tokens(), previous.expiresAt(), previous.status(), previous.error())
              : registered;
          return current.toBuilder().oauth(next.withPending(pending)).build();
        }).map(saved -> authorizationUrl(as.authorizationEndpoint(), registered, scope, state(server, nonce, null, registered.clientId()),
            Pkce.challenge(verifier)));
      });
    });
  }

  /**
   * The gateway URL a user of an on-behalf server opens to authorize: it carries a sealed ticket
   * naming the server and the user (the client token's name), valid for the authorization TTL.
   */
  public String userAuthorizationUrl(McpServer server, String subject) {
    String ticket = ticketCipher.seal(new JsonObject().put("a", server.accountId()).put("s", server.id()).put("u", subject)
        .put("iat", clock.instant().toEpochMilli()).put("exp", clock.instant().plus(settings.authorizationTtl()).getEpochSecond()).encode(),
        SealedContexts.OAUTH_TICKET).ciphertext();
    String base = settings.publicBaseUrl().endsWith("/") ? settings.publicBaseUrl().substring(0, settings.publicBaseUrl().length() - 1)
        : settings.publicBaseUrl();
    return base + "/oauth/user/" + server.accountId() + "/" + server.id() + "?ticket=" + OAuthHttp.encode(ticket);
  }

  /**
   * A user opened their authorization URL: checks the ticket (sealed, unexpired, not used before:
   * a link works once), then starts the user's authorization bound to {@code browserBinding} (a
   * random value the browser now holds as a cookie; the callback must bring it back); answers where
   * to send the browser.
   */
  public Future<String> beginFromTicket(String accountId, String serverId, String ticket, String browserBinding) {
    JsonObject named;
    try {
      named = new JsonObject(ticketCipher.open(new dev.mcpgateway.model.SealedSecret(ticket), SealedContexts.OAUTH_TICKET));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(OAuthException.invalidCallback("the authorization link is not one this gateway issued"));
    }
    if (!accountId.equals(named.getString("a")) || !serverId.equals(named.getString("s"))) {
      return Future.failedFuture(OAuthException.invalidCallback("the authorization link is for another server"));
    }
    if (named.getLong("exp", 0L) < clock.instant().getEpochSecond()) {
      return Future.failedFuture(OAuthException.invalidCallback("the authorization link expired; ask the agent for a new one"));
    }
    String subject = named.getString("u");
    java.time.Instant issuedAt = java.time.Instant.ofEpochMilli(named.getLong("iat", 0L));
    return store.get(accountId, serverId).compose(server -> {
      if (server.authType() != AuthType.OAUTH || !server.oauthOnBehalf()) {
        return Future.failedFuture(OAuthException.notApplicable("this server does not use per-user OAuth"));
      }
      return registered(server).compose(prepared -> {
        OAuthConnection connection = prepared.connection();
        String verifier = Pkce.verifier();
        String nonce = Pkce.random(16);
        OAuthConnection.Pending pending = new OAuthConnection.Pending(nonce,
            cipher.seal(verifier, SealedContexts.oauthUserVerifier(accountId, serverId, subject)), subject,
            clock.instant().plus(settings.authorizationTtl()), prepared.requireIss(), dev.mcpgateway.security.TokenHash.sha256Hex(browserBinding));
        return store.updateUserConnection(accountId, serverId, subject, current -> {
              dev.mcpgateway.model.UserConnection base = current == null ? dev.mcpgateway.model.UserConnection.empty(accountId, serverId, subject) : current;
              if (base.ticketsUsedUntil() != null && !issuedAt.isAfter(base.ticketsUsedUntil())) {
                throw OAuthException.invalidCallback("this authorization link was used already; ask the agent for a new one");
              }
              return base.withPending(pending).withTicketUsed(issuedAt);
            })
            .map(saved -> authorizationUrl(connection.authorizationEndpoint(), connection, connection.scope(),
                state(server, nonce, subject, connection.clientId()), Pkce.challenge(verifier)));
      });
    });
  }

  private record Prepared(OAuthConnection connection, boolean requireIss) {}

  /** The server's registration (made by an admin connect, or now: discovery and registration, stored on the server). */
  private Future<Prepared> registered(McpServer server) {
    OAuthConnection known = server.oauth();
    if (known != null && known.clientId() != null && known.authorizationEndpoint() != null
        && settings.redirectUri(server).equals(known.redirectUri())) {
      return discovery.authorizationServer(known.issuer()).map(as -> new Prepared(known, as.issParameterSupported()));
    }
    OAuthClientConfig client = clientConfig(server);
    String redirectUri = settings.redirectUri(server);
    return discovery.discover(server.hostname()).compose(found -> {
      AuthorizationServer as = found.server();
      if (as.authorizationEndpoint() == null || !as.supportsS256()) {
        return Future.failedFuture(new OAuthException("the authorization server does not support PKCE with S256, which MCP requires", false));
      }
      String scope = client.scope() != null ? client.scope() : found.scope();
      return registration(server, found, client, redirectUri, scope)
          .compose(registered -> store.update(server.accountId(), server.id(), current -> {
            if (!current.hostname().equals(server.hostname()) || current.authType() != AuthType.OAUTH) {
              throw new OAuthException("the server changed meanwhile; start again", true);
            }
            OAuthConnection previous = current.oauth();
            return current.toBuilder().oauth(previous == null ? registered
                : registered.withTokens(previous.tokens(), previous.expiresAt(), previous.status(), previous.error())
                    .withPending(previous.pending())).build();
          }).map(saved -> new Prepared(registered, as.issParameterSupported())));
    });
  }

  /**
   * The callback: {@code error} from the authorization server, or {@code code} and maybe {@code iss};
   * {@code browserBinding}: the cookie the browser brought (a user's authorization must come back to
   * the browser that started it). Answers the connected server.
   */
  public Future<McpServer> complete(String state, String code, String iss, String error, String browserBinding) {
    JsonObject named;
    try {
      named = new JsonObject(stateCipher.open(new dev.mcpgateway.model.SealedSecret(state), SealedContexts.OAUTH_STATE));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(OAuthException.invalidCallback("the state parameter is not one this gateway issued"));
    }
    String account = named.getString("a");
    String id = named.getString("s");
    String nonce = named.getString("n");
    String clientId = named.getString("c");
    if (named.getString("u") != null) {
      return completeForUser(account, id, named.getString("u"), nonce, clientId, code, iss, error, browserBinding);
    }
    OAuthConnection[] consumed = new OAuthConnection[1];
    // consume the pending authorization first: whatever follows, this state never works again
    return store.update(account, id, current -> {
      OAuthConnection connection = current.oauth();
      OAuthConnection.Pending pending = connection == null ? null : connection.pending();
      if (pending == null || !pending.nonce().equals(nonce)) {
        throw OAuthException.invalidCallback("this authorization was already completed, replaced by a newer one, or never started");
      }
      if (!connection.clientId().equals(clientId)) throw OAuthException.invalidCallback("the server's OAuth client changed meanwhile; start again");
      consumed[0] = connection;
      return current.toBuilder().oauth(connection.withPending(null)).build();
    }).compose(server -> {
      OAuthConnection connection = consumed[0];
      OAuthConnection.Pending pending = connection.pending();
      Future<Void> checked = checkCallback(pending, connection, code, iss, error);
      if (checked.failed()) return checked.map((McpServer) null);
      String verifier = cipher.open(pending.verifier(), SealedContexts.oauthVerifier(account, id));
      Map<String, String> grant = new LinkedHashMap<>();
      grant.put("grant_type", "authorization_code");
      grant.put("code", code);
      grant.put("redirect_uri", connection.redirectUri());
      grant.put("code_verifier", verifier);
      return tokens.request(connection, clientSecret(server, connection), grant)
          .compose(received -> store.update(account, id, current -> {
            OAuthConnection now = current.oauth();
            if (now == null || !now.clientId().equals(connection.clientId())) throw new OAuthException("the server changed while connecting; start again", true);
            return current.toBuilder().oauth(now.withTokens(
                cipher.seal(received.toJson(), SealedContexts.oauthTokens(account, id)), received.expiresAt(),
                AuthenticationStatus.CONNECTED, null)).build();
          }));
    });
  }

  /**
   * Revokes (RFC 7009) the tokens of a connection the gateway no longer uses: the server was
   * deleted, or its hostname or auth type changed. Best effort, after the change is stored: an
   * authorization server without a revocation endpoint, or one that fails, leaves tokens that
   * expire on their own (the gateway has already forgotten them). Answers how many were revoked.
   */
  public Future<Integer> revoke(McpServer forgotten) {
    OAuthConnection connection = forgotten.oauth();
    // users' own connections go with the server's, whatever the authorization server offers
    Future<java.util.List<dev.mcpgateway.model.UserConnection>> users = store.deleteUserConnections(forgotten.accountId(), forgotten.id());
    if (connection == null || connection.revocationEndpoint() == null) return users.map(list -> 0);
    String secret;
    try {
      secret = clientSecret(forgotten, connection);
    } catch (RuntimeException unreadable) {
      return users.map(list -> 0);
    }
    Future<Integer> admin = connection.tokens() == null ? Future.succeededFuture(0)
        : revokeSealed(connection, secret, connection.tokens(), SealedContexts.oauthTokens(forgotten.accountId(), forgotten.id()));
    return admin.compose(n -> users.compose(list -> {
      Future<Integer> total = Future.succeededFuture(n);
      for (dev.mcpgateway.model.UserConnection user : list) {
        if (user.tokens() == null) continue;
        total = total.compose(sum -> revokeSealed(connection, secret, user.tokens(),
            SealedContexts.oauthUserTokens(user.accountId(), user.serverId(), user.subject())).map(m -> sum + m));
      }
      return total;
    }));
  }

  private Future<Integer> revokeSealed(OAuthConnection connection, String secret, dev.mcpgateway.model.SealedSecret sealed, String context) {
    TokenEndpoint.Tokens held;
    try {
      held = TokenEndpoint.Tokens.fromJson(cipher.open(sealed, context), null);
    } catch (RuntimeException unreadable) {
      return Future.succeededFuture(0);
    }
    Future<Integer> refresh = held.refreshToken() == null ? Future.succeededFuture(0)
        : revokeOne(connection, secret, held.refreshToken(), "refresh_token");
    return refresh.compose(n -> revokeOne(connection, secret, held.accessToken(), "access_token").map(m -> n + m));
  }

  private Future<Integer> revokeOne(OAuthConnection connection, String secret, String token, String hint) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    form.put("token_type_hint", hint);
    boolean basic = "client_secret_basic".equals(connection.tokenEndpointAuthMethod()) && secret != null;
    if (!basic) {
      form.put("client_id", connection.clientId());
      if ("client_secret_post".equals(connection.tokenEndpointAuthMethod()) && secret != null) form.put("client_secret", secret);
    }
    return http.postForm(connection.revocationEndpoint(), form, basic ? connection.clientId() : null, basic ? secret : null)
        .map(answer -> answer.status() == 200 ? 1 : 0)
        .otherwise(0);
  }

  private Future<McpServer> completeForUser(String account, String id, String subject, String nonce, String clientId, String code,
      String iss, String error, String browserBinding) {
    OAuthConnection.Pending[] consumed = new OAuthConnection.Pending[1];
    return store.updateUserConnection(account, id, subject, current -> {
      OAuthConnection.Pending pending = current == null ? null : current.pending();
      if (pending == null || !pending.nonce().equals(nonce)) {
        throw OAuthException.invalidCallback("this authorization was already completed, replaced by a newer one, or never started");
      }
      consumed[0] = pending;
      return current.withPending(null);
    }).compose(user -> store.get(account, id).compose(server -> {
      OAuthConnection.Pending pending = consumed[0];
      OAuthConnection connection = server.oauth();
      if (connection == null || !server.oauthOnBehalf() || !connection.clientId().equals(clientId)) {
        return Future.failedFuture(OAuthException.invalidCallback("the server changed meanwhile; start again"));
      }
      // the browser that started the authorization must be the one that finishes it (RFC 9700 §4.7.1); a shared callback
      // on another host cannot see this gateway's cookie
      boolean sameBrowser = browserBinding != null && pending.browserBinding() != null
          && dev.mcpgateway.security.TokenHash.sha256Hex(browserBinding).equals(pending.browserBinding());
      if (!sameBrowser && !server.sharedOauthCallbackEnabled()) {
        return Future.failedFuture(OAuthException.invalidCallback("this authorization was started in another browser"));
      }
      Future<Void> checked = checkCallback(pending, connection, code, iss, error);
      if (checked.failed()) return checked.map((McpServer) null);
      Map<String, String> grant = new LinkedHashMap<>();
      grant.put("grant_type", "authorization_code");
      grant.put("code", code);
      grant.put("redirect_uri", connection.redirectUri());
      grant.put("code_verifier", cipher.open(pending.verifier(), SealedContexts.oauthUserVerifier(account, id, subject)));
      return tokens.request(connection, clientSecret(server, connection), grant)
          // the row exists since the user started; if it is gone, the server was deleted or moved meanwhile
          .compose(received -> store.updateUserConnection(account, id, subject, current -> current == null ? null
              : current.withTokens(cipher.seal(received.toJson(), SealedContexts.oauthUserTokens(account, id, subject)),
                  received.expiresAt(), AuthenticationStatus.CONNECTED, null)))
          .compose(saved -> saved == null ? Future.failedFuture(OAuthException.invalidCallback("the server changed meanwhile; start again"))
              : Future.succeededFuture(server));
    }));
  }

  /** What every callback must satisfy: in time, no error, a code, and the right issuer (RFC 9207). */
  private Future<Void> checkCallback(OAuthConnection.Pending pending, OAuthConnection connection, String code, String iss, String error) {
    if (pending.expiresAt().isBefore(clock.instant())) {
      return Future.failedFuture(OAuthException.invalidCallback("the authorization took too long and expired; start again"));
    }
    if (error != null) {
      String shown = error.matches("[a-z_]{1,64}") ? error : "error";
      return Future.failedFuture(OAuthException.invalidCallback("the authorization server answered " + shown));
    }
    if (code == null || code.isEmpty()) return Future.failedFuture(OAuthException.invalidCallback("the callback carries no code"));
    if (iss != null ? !sameIssuer(iss, connection.issuer()) : pending.requireIss()) {
      return Future.failedFuture(OAuthException.invalidCallback("the callback's iss does not name this authorization server (RFC 9207)"));
    }
    return Future.succeededFuture();
  }

  /** The registration to use: the admin's pre-registered client, the one already made with this issuer, or a new one (RFC 7591). */
  private Future<OAuthConnection> registration(McpServer server, OAuthDiscovery.Discovered found, OAuthClientConfig client,
      String redirectUri, String scope) {
    AuthorizationServer as = found.server();
    if (client.manual()) {
      String method = client.clientSecret() == null ? "none" : as.secretAuthMethod();
      return Future.succeededFuture(connection(found, scope, "manual", client.clientId(), method, redirectUri, null));
    }
    OAuthConnection previous = server.oauth();
    if (previous != null && "dcr".equals(previous.authMode()) && sameIssuer(as.issuer(), previous.issuer())
        && redirectUri.equals(previous.redirectUri())) {
      return Future.succeededFuture(connection(found, scope, "dcr", previous.clientId(), previous.tokenEndpointAuthMethod(), redirectUri,
          previous.registeredClientSecret()));
    }
    if (as.registrationEndpoint() == null) {
      return Future.failedFuture(new OAuthException("the authorization server offers no dynamic client registration: "
          + "register the gateway there and set client_id (and client_secret) in auth_credentials", false));
    }
    String wanted = as.tokenEndpointAuthMethods().contains("none") ? "none" : as.secretAuthMethod();
    JsonObject request = new JsonObject().put("client_name", "mcp-gateway").put("redirect_uris", new JsonArray().add(redirectUri))
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("response_types", new JsonArray().add("code")).put("token_endpoint_auth_method", wanted);
    if (scope != null) request.put("scope", scope);
    return http.postJson(as.registrationEndpoint(), request).compose(answer -> {
      JsonObject json = answer.json();
      if (answer.status() / 100 != 2 || json == null || !(json.getValue("client_id") instanceof String clientId)) {
        return Future.failedFuture(new OAuthException("dynamic client registration failed (HTTP " + answer.status() + ")", answer.status() >= 500));
      }
      String secret = json.getString("client_secret");
      String method = json.getString("token_endpoint_auth_method", secret == null ? "none" : wanted.equals("none") ? "client_secret_basic" : wanted);
      return Future.succeededFuture(connection(found, scope, "dcr", clientId, method, redirectUri,
          secret == null ? null : cipher.seal(secret, SealedContexts.oauthClientSecret(server.accountId(), server.id()))));
    });
  }

  private static OAuthConnection connection(OAuthDiscovery.Discovered found, String scope, String mode, String clientId, String method,
      String redirectUri, dev.mcpgateway.model.SealedSecret secret) {
    AuthorizationServer as = found.server();
    return new OAuthConnection(as.issuer(), as.authorizationEndpoint(), as.tokenEndpoint(), as.revocationEndpoint(), found.resource(),
        scope, mode, clientId, method, redirectUri, secret, null, null, AuthenticationStatus.REQUIRED, null, null);
  }

  private String authorizationUrl(String endpoint, OAuthConnection registered, String scope, String state, String challenge) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", registered.clientId());
    query.put("redirect_uri", registered.redirectUri());
    query.put("code_challenge", challenge);
    query.put("code_challenge_method", "S256");
    query.put("state", state);
    query.put("resource", registered.resource());
    if (scope != null) query.put("scope", scope);
    StringBuilder url = new StringBuilder(endpoint).append(endpoint.contains("?") ? '&' : '?');
    query.forEach((k, v) -> url.append(OAuthHttp.encode(k)).append('=').append(OAuthHttp.encode(v)).append('&'));
    url.setLength(url.length() - 1);
    return url.toString();
  }

  /**
   * The {@code state} parameter: sealed, naming the server, the pending authorization's nonce, the
   * client it was started with (a callback after the admin switched clients is refused) and, for a
   * user's authorization, the user.
   */
  private String state(McpServer server, String nonce, String subject, String clientId) {
    JsonObject named = new JsonObject().put("a", server.accountId()).put("s", server.id()).put("n", nonce).put("c", clientId);
    if (subject != null) named.put("u", subject);
    return stateCipher.seal(named.encode(), SealedContexts.OAUTH_STATE).ciphertext();
  }

  /** The client secret for the token endpoint: the admin's (manual mode) or the one registration gave. */
  String clientSecret(McpServer server, OAuthConnection connection) {
    if ("manual".equals(connection.authMode())) return clientConfig(server).clientSecret();
    return connection.registeredClientSecret() == null ? null
        : cipher.open(connection.registeredClientSecret(), SealedContexts.oauthClientSecret(server.accountId(), server.id()));
  }

  OAuthClientConfig clientConfig(McpServer server) {
    if (server.credentials() == null) return OAuthClientConfig.none();
    return OAuthClientConfig.parse(cipher.open(server.credentials(), SealedContexts.credentials(server.accountId(), server.id())));
  }

  static boolean sameIssuer(String a, String b) {
    return a != null && b != null && strip(a).equals(strip(b));
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
