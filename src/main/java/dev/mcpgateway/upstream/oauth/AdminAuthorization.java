package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.AuthenticationStatus;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.ServerStore;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * The admin connection of an {@code oauth} server: the tokens the gateway uses for sync and, unless
 * the server is on-behalf, for every agent. {@link #begin} registers the gateway
 * ({@link ClientRegistration}) and stores a pending authorization (PKCE verifier sealed, single-use
 * state nonce, expiry, the admin's name) in the same update, then answers the authorization URL;
 * {@link #complete} consumes the pending authorization atomically (so a state works once, on any
 * replica), checks the callback, redeems the code and stores the tokens sealed.
 */
final class AdminAuthorization {
  private final ServerStore store;
  private final ClientRegistration registration;
  private final ClientSecrets secrets;
  private final AuthorizationCodeGrant grant;
  private final StateCodec states;
  private final SecretCipher cipher;
  private final OAuthSettings settings;
  private final Clock clock;

  AdminAuthorization(ServerStore store, ClientRegistration registration, ClientSecrets secrets, AuthorizationCodeGrant grant,
      StateCodec states, SecretCipher cipher, OAuthSettings settings, Clock clock) {
    this.store = store;
    this.registration = registration;
    this.secrets = secrets;
    this.grant = grant;
    this.states = states;
    this.cipher = cipher;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts an authorization of {@code server} by {@code actor}; answers the URL to send the browser to. */
  Future<String> begin(McpServer server, String actor) {
    if (server.authType() != AuthType.OAUTH) {
      return Future.failedFuture(OAuthException.notApplicable("this server's auth_type is not oauth: there is nothing to connect"));
    }
    if (secrets.config(server).clientCredentials()) {
      return Future.failedFuture(OAuthException.notApplicable(
          "this server uses the client_credentials grant: the gateway gets its tokens itself, no authorization is needed"));
    }
    String verifier = Pkce.verifier();
    String nonce = Pkce.random(16);
    return registration.register(server, (previous, registered, as) -> {
      OAuthConnection.Pending pending = new OAuthConnection.Pending(nonce,
          cipher.seal(verifier, SealedContexts.oauthVerifier(server.accountId(), server.id())), actor,
          clock.instant().plus(settings.authorizationTtl()), as.issParameterSupported());
      boolean sameClient = previous != null && registered.clientId().equals(previous.clientId())
          && registered.issuer().equals(previous.issuer());
      OAuthConnection next = sameClient // reconnecting: the working tokens stay until new ones arrive
          ? registered.withTokens(previous.tokens(), previous.expiresAt(), previous.status(), previous.error())
          : registered;
      return next.withPending(pending);
    }).map(registered -> AuthorizationCodeGrant.authorizationUrl(registered.connection(),
        states.encode(AuthorizationState.admin(server.accountId(), server.id(), nonce, registered.connection().clientId())),
        Pkce.challenge(verifier)));
  }

  /** The callback of an admin's authorization ({@code state} decoded already); answers the connected server. */
  Future<McpServer> complete(AuthorizationState state, String code, String iss, String error) {
    String account = state.accountId();
    String id = state.serverId();
    OAuthConnection[] consumed = new OAuthConnection[1];
    // consume the pending authorization first: whatever follows, this state never works again
    return store.update(account, id, current -> {
      OAuthConnection connection = current.oauth();
      OAuthConnection.Pending pending = connection == null ? null : connection.pending();
      if (pending == null || !pending.nonce().equals(state.nonce())) {
        throw OAuthException.invalidCallback("this authorization was already completed, replaced by a newer one, or never started");
      }
      if (!connection.clientId().equals(state.clientId())) {
        throw OAuthException.invalidCallback("the server's OAuth client changed meanwhile; start again");
      }
      consumed[0] = connection;
      return current.toBuilder().oauth(connection.withPending(null)).build();
    }).compose(server -> {
      OAuthConnection connection = consumed[0];
      OAuthConnection.Pending pending = connection.pending();
      grant.check(pending, connection, code, iss, error);
      String verifier = cipher.open(pending.verifier(), SealedContexts.oauthVerifier(account, id));
      return grant.redeem(connection, secrets.secret(server, connection), code, verifier)
          .compose(received -> store.update(account, id, current -> {
            OAuthConnection now = current.oauth();
            if (now == null || !now.clientId().equals(connection.clientId())) {
              throw new OAuthException("the server changed while connecting; start again", true);
            }
            return current.toBuilder().oauth(now.withTokens(
                cipher.seal(received.toJson(), SealedContexts.oauthTokens(account, id)), received.expiresAt(),
                AuthenticationStatus.CONNECTED, null)).build();
          }));
    });
  }
}
