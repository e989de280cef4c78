package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.AuthenticationStatus;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.store.ServerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How the gateway becomes a client of a server's authorization server, and the only path that does
 * it: discovery (RFC 9728, RFC 8414) → the authorization server must offer an authorization
 * endpoint and PKCE with S256 → the admin's pre-registered client, the registration already made
 * with this issuer, or dynamic client registration (RFC 7591) → stored on the server. What the
 * server already holds (tokens, a pending authorization) is joined to the new registration by the
 * caller's {@link Adoption}, inside the same atomic update.
 */
final class ClientRegistration {
  /** The registration to authorize with, and whether the authorization server promises {@code iss} in callbacks (RFC 9207). */
  record Registered(OAuthConnection connection, boolean requireIss) {}

  /** Joins a fresh registration to the connection the server holds now ({@code previous}, maybe null); answers what to store. */
  @FunctionalInterface
  interface Adoption {
    OAuthConnection adopt(OAuthConnection previous, OAuthConnection registered, AuthorizationServer server);
  }

  /** Keeps the server's tokens and pending authorization, whatever client they came from: the per-user flow's choice. */
  static final Adoption KEEP_HELD = (previous, registered, server) -> previous == null ? registered
      : registered.withTokens(previous.tokens(), previous.expiresAt(), previous.status(), previous.error()).withPending(previous.pending());

  private final ServerStore store;
  private final OAuthDiscovery discovery;
  private final OAuthHttp http;
  private final ClientSecrets secrets;
  private final OAuthSettings settings;

  ClientRegistration(ServerStore store, OAuthDiscovery discovery, OAuthHttp http, ClientSecrets secrets, OAuthSettings settings) {
    this.store = store;
    this.discovery = discovery;
    this.http = http;
    this.secrets = secrets;
    this.settings = settings;
  }

  /**
   * The server's stored registration when it is complete and made for today's redirect URI (only
   * the authorization server's metadata is fetched again, for {@code iss}); else a new one, stored
   * keeping what the server holds ({@link #KEEP_HELD}).
   */
  Future<Registered> current(McpServer server) {
    OAuthConnection known = server.oauth();
    if (known != null && known.clientId() != null && known.authorizationEndpoint() != null
        && settings.redirectUri(server).equals(known.redirectUri())) {
      return discovery.authorizationServer(known.issuer()).map(as -> new Registered(known, as.issParameterSupported()));
    }
    return register(server, KEEP_HELD);
  }

  /** Discovers, checks, registers and stores, joining what the server holds by {@code adoption}. */
  Future<Registered> register(McpServer server, Adoption adoption) {
    OAuthClientConfig client = secrets.config(server);
    String redirectUri = settings.redirectUri(server);
    return discovery.discover(server.hostname()).compose(found -> {
      AuthorizationServer as = found.server();
      if (as.authorizationEndpoint() == null) {
        return Future.failedFuture(new OAuthException("the authorization server has no authorization endpoint", false));
      }
      if (!as.supportsS256()) {
        return Future.failedFuture(new OAuthException("the authorization server does not support PKCE with S256, which MCP requires", false));
      }
      String scope = client.scope() != null ? client.scope() : found.scope();
      return registration(server, found, client, redirectUri, scope)
          .compose(registered -> store.update(server.accountId(), server.id(), current -> {
            if (!current.hostname().equals(server.hostname()) || current.authType() != AuthType.OAUTH) {
              throw new OAuthException("the server changed while connecting; start again", true);
            }
            return current.toBuilder().oauth(adoption.adopt(current.oauth(), registered, as)).build();
          }).map(saved -> new Registered(registered, as.issParameterSupported())));
    });
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
    if (previous != null && "dcr".equals(previous.authMode()) && AuthorizationServer.sameIssuer(as.issuer(), previous.issuer())
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
          secret == null ? null : secrets.sealRegistered(server, secret)));
    });
  }

  private static OAuthConnection connection(OAuthDiscovery.Discovered found, String scope, String mode, String clientId, String method,
      String redirectUri, SealedSecret secret) {
    AuthorizationServer as = found.server();
    return new OAuthConnection(as.issuer(), as.authorizationEndpoint(), as.tokenEndpoint(), as.revocationEndpoint(), found.resource(),
        scope, mode, clientId, method, redirectUri, secret, null, null, AuthenticationStatus.REQUIRED, null, null);
  }
}
