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
  private final OAuthDiscovery discovery;
  private final OAuthHttp http;
  private final TokenEndpoint tokens;
  private final OAuthSettings settings;
  private final Clock clock;

  public OAuthConnector(ServerStore store, SecretCipher cipher, OAuthHttp http, OAuthSettings settings, Clock clock) {
    this.store = store;
    this.cipher = cipher;
    this.stateCipher = cipher.derive("oauth-state");
    this.discovery = new OAuthDiscovery(http);
    this.http = http;
    this.tokens = new TokenEndpoint(http, clock);
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
        }).map(saved -> authorizationUrl(as, registered, scope, state(server, nonce), Pkce.challenge(verifier)));
      });
    });
  }

  /** The callback: {@code error} from the authorization server, or {@code code} and maybe {@code iss}. Answers the connected server. */
  public Future<McpServer> complete(String state, String code, String iss, String error) {
    JsonObject named;
    try {
      named = new JsonObject(stateCipher.open(new dev.mcpgateway.model.SealedSecret(state), SealedContexts.OAUTH_STATE));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(OAuthException.invalidCallback("the state parameter is not one this gateway issued"));
    }
    String account = named.getString("a");
    String id = named.getString("s");
    String nonce = named.getString("n");
    OAuthConnection[] consumed = new OAuthConnection[1];
    // consume the pending authorization first: whatever follows, this state never works again
    return store.update(account, id, current -> {
      OAuthConnection connection = current.oauth();
      OAuthConnection.Pending pending = connection == null ? null : connection.pending();
      if (pending == null || !pending.nonce().equals(nonce)) {
        throw OAuthException.invalidCallback("this authorization was already completed, replaced by a newer one, or never started");
      }
      consumed[0] = connection;
      return current.toBuilder().oauth(connection.withPending(null)).build();
    }).compose(server -> {
      OAuthConnection connection = consumed[0];
      OAuthConnection.Pending pending = connection.pending();
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
    if (connection == null || connection.tokens() == null || connection.revocationEndpoint() == null) return Future.succeededFuture(0);
    TokenEndpoint.Tokens held;
    String secret;
    try {
      held = TokenEndpoint.Tokens.fromJson(cipher.open(connection.tokens(),
          SealedContexts.oauthTokens(forgotten.accountId(), forgotten.id())), connection.expiresAt());
      secret = clientSecret(forgotten, connection);
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

  private String authorizationUrl(AuthorizationServer as, OAuthConnection registered, String scope, String state, String challenge) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", registered.clientId());
    query.put("redirect_uri", registered.redirectUri());
    query.put("code_challenge", challenge);
    query.put("code_challenge_method", "S256");
    query.put("state", state);
    query.put("resource", registered.resource());
    if (scope != null) query.put("scope", scope);
    StringBuilder url = new StringBuilder(as.authorizationEndpoint()).append(as.authorizationEndpoint().contains("?") ? '&' : '?');
    query.forEach((k, v) -> url.append(OAuthHttp.encode(k)).append('=').append(OAuthHttp.encode(v)).append('&'));
    url.setLength(url.length() - 1);
    return url.toString();
  }

  private String state(McpServer server, String nonce) {
    return stateCipher.seal(new JsonObject().put("a", server.accountId()).put("s", server.id()).put("n", nonce).encode(),
        SealedContexts.OAUTH_STATE).ciphertext();
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
