package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.UserConnections;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * The entry to upstream OAuth for the routes and the admin API: wires the admin flow
 * ({@link AdminAuthorization}), the per-user flow ({@link UserAuthorization}) and
 * {@link TokenRevocation} over one {@link ClientRegistration}, and sends each callback to the flow
 * that started it. Both flows share one callback URL, so the sealed {@code state}
 * ({@link StateCodec}) is what tells them apart. See this package's README.
 */
public final class OAuthConnector {
  private final StateCodec states;
  private final AdminAuthorization admin;
  private final UserAuthorization users;
  private final TokenRevocation revocation;

  /** {@code tokenOutcomes} hears (grant, ok | refused | unreachable) of every token request: the metrics. */
  public OAuthConnector(ServerStore store, UserConnections userConnections, SecretCipher cipher, OAuthHttp http, OAuthSettings settings, Clock clock,
      BiConsumer<String, String> tokenOutcomes) {
    ClientSecrets secrets = new ClientSecrets(cipher);
    ClientRegistration registration = new ClientRegistration(store, new OAuthDiscovery(http), http, secrets, settings);
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new TokenEndpoint(http, clock, tokenOutcomes), clock);
    this.states = new StateCodec(cipher);
    this.admin = new AdminAuthorization(store, registration, secrets, grant, states, cipher, settings, clock);
    this.users = new UserAuthorization(store, userConnections, registration, secrets, grant, states,
        new TicketCodec(cipher, clock, settings.authorizationTtl()), cipher, settings, clock);
    this.revocation = new TokenRevocation(userConnections, secrets, cipher, http);
  }

  /** An admin starts connecting {@code server}; answers the URL to send the browser to. */
  public Future<String> begin(McpServer server, String actor) {
    return admin.begin(server, actor);
  }

  /** The gateway URL where a user of an on-behalf server authorizes (a sealed, single-use ticket naming server and user). */
  public String userAuthorizationUrl(McpServer server, String subject) {
    return users.authorizationUrl(server, subject);
  }

  /**
   * The link where {@code subject} connects {@code server} (its {@code oauth_on_behalf} as the caller
   * calls it), or null when the user has a working connection or no user flow applies.
   */
  public Future<String> userConnectLink(McpServer server, String subject) {
    return users.linkIfNeeded(server, subject);
  }

  /** A user opened their authorization link; answers where to send the browser. */
  public Future<String> beginFromTicket(String accountId, String serverId, String ticket, String browserBinding) {
    return users.begin(accountId, serverId, ticket, browserBinding);
  }

  /**
   * The callback: {@code error} from the authorization server, or {@code code} and maybe {@code iss};
   * {@code browserBinding}: the cookie the browser brought (a user's authorization must come back to
   * the browser that started it). Answers the connected server.
   */
  public Future<McpServer> complete(String state, String code, String iss, String error, String browserBinding) {
    return states.decode(state)
        .map(named -> named.forUser() ? users.complete(named, code, iss, error, browserBinding) : admin.complete(named, code, iss, error))
        .orElseGet(() -> Future.failedFuture(OAuthException.invalidCallback("the state parameter is not one this gateway issued")));
  }

  /** Revokes the tokens of a server the gateway forgot (deleted, or moved to another upstream); answers how many. */
  public Future<Integer> revoke(McpServer forgotten) {
    return revocation.revoke(forgotten);
  }
}
