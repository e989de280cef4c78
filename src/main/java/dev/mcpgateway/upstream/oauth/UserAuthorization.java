package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.AuthenticationStatus;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.model.UserConnection;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.UserConnections;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * A user's own connection to an on-behalf server ({@code oauth_on_behalf}). An agent whose user has
 * no working token is sent a gateway link ({@link #authorizationUrl}) carrying a sealed ticket
 * ({@link TicketCodec}); the user opens it ({@link #begin}), which spends the ticket, binds the
 * authorization to that browser and sends it to the authorization server with the server's
 * registration ({@link ClientRegistration#current}); the callback ({@link #complete}) consumes the
 * user's pending authorization, must come back to the same browser, and stores the user's tokens
 * sealed for that user only.
 */
final class UserAuthorization {
  private final ServerStore store;
  private final UserConnections users;
  private final ClientRegistration registration;
  private final ClientSecrets secrets;
  private final AuthorizationCodeGrant grant;
  private final StateCodec states;
  private final TicketCodec tickets;
  private final SecretCipher cipher;
  private final OAuthSettings settings;
  private final Clock clock;

  UserAuthorization(ServerStore store, UserConnections users, ClientRegistration registration, ClientSecrets secrets, AuthorizationCodeGrant grant,
      StateCodec states, TicketCodec tickets, SecretCipher cipher, OAuthSettings settings, Clock clock) {
    this.store = store;
    this.users = users;
    this.registration = registration;
    this.secrets = secrets;
    this.grant = grant;
    this.states = states;
    this.tickets = tickets;
    this.cipher = cipher;
    this.settings = settings;
    this.clock = clock;
  }

  /** The gateway URL where {@code subject} (a client token's name) authorizes: valid once, for the authorization TTL. */
  String authorizationUrl(McpServer server, String subject) {
    String ticket = tickets.issue(server.accountId(), server.id(), subject);
    String base = settings.publicBaseUrl().endsWith("/") ? settings.publicBaseUrl().substring(0, settings.publicBaseUrl().length() - 1)
        : settings.publicBaseUrl();
    return base + "/oauth/user/" + server.accountId() + "/" + server.id() + "?ticket=" + OAuthHttp.encode(ticket);
  }

  /**
   * The link where {@code subject} connects {@code server} (as the caller calls it: a portal's
   * {@code on_behalf} applied), or null when no user flow applies — not an on-behalf {@code oauth}
   * server, or one whose tokens the gateway gets itself ({@code client_credentials}) — or the user's
   * connection works (connected; a stale or missing one needs the link).
   */
  Future<String> linkIfNeeded(McpServer server, String subject) {
    if (server.authType() != AuthType.OAUTH || !server.oauthOnBehalf()) return Future.succeededFuture();
    try {
      if (secrets.config(server).clientCredentials()) return Future.succeededFuture();
    } catch (RuntimeException unreadable) { // credentials this gateway's key cannot open: no flow of a user's can help
      return Future.succeededFuture();
    }
    return users.get(server.accountId(), server.id(), subject).map(user ->
        user != null && user.tokens() != null && user.status() == AuthenticationStatus.CONNECTED ? null : authorizationUrl(server, subject));
  }

  /**
   * A user opened their authorization link: checks the ticket (sealed, for this server, unexpired,
   * not used before), then starts the user's authorization bound to {@code browserBinding} (a
   * random value the browser now holds as a cookie; the callback must bring it back); answers where
   * to send the browser.
   */
  Future<String> begin(String accountId, String serverId, String ticket, String browserBinding) {
    TicketCodec.Ticket opened;
    try {
      opened = tickets.open(ticket, accountId, serverId);
    } catch (OAuthException refused) {
      return Future.failedFuture(refused);
    }
    String subject = opened.subject();
    return store.get(accountId, serverId).compose(server -> {
      // not server.oauthOnBehalf(): a portal may call the server on its users' behalf when the server's own endpoint does not;
      // the sealed ticket is the gateway's own word that this user needs a connection
      if (server.authType() != AuthType.OAUTH) {
        return Future.failedFuture(OAuthException.notApplicable("this server does not use OAuth"));
      }
      return registration.current(server).compose(registered -> {
        OAuthConnection connection = registered.connection();
        String verifier = Pkce.verifier();
        String nonce = Pkce.random(16);
        OAuthConnection.Pending pending = new OAuthConnection.Pending(nonce,
            cipher.seal(verifier, SealedContexts.oauthUserVerifier(accountId, serverId, subject)), subject,
            clock.instant().plus(settings.authorizationTtl()), registered.requireIss(), TokenHash.sha256Hex(browserBinding));
        return users.update(accountId, serverId, subject, current -> {
              UserConnection base = current == null ? UserConnection.empty(accountId, serverId, subject) : current;
              if (base.ticketsUsedUntil() != null && !opened.issuedAt().isAfter(base.ticketsUsedUntil())) {
                throw OAuthException.invalidCallback("this authorization link was used already; ask the agent for a new one");
              }
              return base.withPending(pending).withTicketUsed(opened.issuedAt());
            })
            .map(saved -> AuthorizationCodeGrant.authorizationUrl(connection,
                states.encode(AuthorizationState.user(accountId, serverId, nonce, connection.clientId(), subject)),
                Pkce.challenge(verifier)));
      });
    });
  }

  /**
   * The callback of a user's authorization ({@code state} decoded already); {@code browserBinding}:
   * the cookie the browser brought. Answers the server, now connected for that user.
   */
  Future<McpServer> complete(AuthorizationState state, String code, String iss, String error, String browserBinding) {
    String account = state.accountId();
    String id = state.serverId();
    String subject = state.subject();
    OAuthConnection.Pending[] consumed = new OAuthConnection.Pending[1];
    // consume the pending authorization first: whatever follows, this state never works again
    return users.update(account, id, subject, current -> {
      OAuthConnection.Pending pending = current == null ? null : current.pending();
      if (pending == null || !pending.nonce().equals(state.nonce())) {
        throw OAuthException.invalidCallback("this authorization was already completed, replaced by a newer one, or never started");
      }
      consumed[0] = pending;
      return current.withPending(null);
    }).compose(user -> store.get(account, id).compose(server -> {
      OAuthConnection.Pending pending = consumed[0];
      OAuthConnection connection = server.oauth();
      if (connection == null || !connection.clientId().equals(state.clientId())) {
        return Future.failedFuture(OAuthException.invalidCallback("the server changed meanwhile; start again"));
      }
      // the browser that started the authorization must be the one that finishes it (RFC 9700 §4.7.1); a shared callback
      // on another host cannot see this gateway's cookie
      boolean sameBrowser = browserBinding != null && pending.browserBinding() != null
          && TokenHash.sha256Hex(browserBinding).equals(pending.browserBinding());
      if (!sameBrowser && !server.sharedOauthCallbackEnabled()) {
        return Future.failedFuture(OAuthException.invalidCallback("this authorization was started in another browser"));
      }
      grant.check(pending, connection, code, iss, error);
      String verifier = cipher.open(pending.verifier(), SealedContexts.oauthUserVerifier(account, id, subject));
      return grant.redeem(connection, secrets.secret(server, connection), code, verifier)
          // the row exists since the user started; if it is gone, the server was deleted or moved meanwhile
          .compose(received -> users.update(account, id, subject, current -> current == null ? null
              : current.withTokens(cipher.seal(received.toJson(), SealedContexts.oauthUserTokens(account, id, subject)),
                  received.expiresAt(), AuthenticationStatus.CONNECTED, null)))
          .compose(saved -> saved == null ? Future.failedFuture(OAuthException.invalidCallback("the server changed meanwhile; start again"))
              : Future.succeededFuture(server));
    }));
  }
}
