package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.UserConnection;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.UserConnections;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Revokes (RFC 7009) the tokens of a connection the gateway no longer uses: the server was deleted,
 * or its hostname or auth type changed. Best effort, after the change is stored: an authorization
 * server without a revocation endpoint, or one that fails, leaves tokens that expire on their own
 * (the gateway has already forgotten them). The users' own connections of an on-behalf server are
 * forgotten with it, whatever the authorization server offers.
 */
final class TokenRevocation {
  private final UserConnections users;
  private final ClientSecrets secrets;
  private final SecretCipher cipher;
  private final OAuthHttp http;

  TokenRevocation(UserConnections users, ClientSecrets secrets, SecretCipher cipher, OAuthHttp http) {
    this.users = users;
    this.secrets = secrets;
    this.cipher = cipher;
    this.http = http;
  }

  /** Forgets the users' connections of {@code forgotten} and revokes every token it held; answers how many were revoked. */
  Future<Integer> revoke(McpServer forgotten) {
    OAuthConnection connection = forgotten.oauth();
    Future<List<UserConnection>> forgottenUsers = users.deleteAll(forgotten.accountId(), forgotten.id());
    if (connection == null || connection.revocationEndpoint() == null) return forgottenUsers.map(list -> 0);
    String secret;
    try {
      secret = secrets.secret(forgotten, connection);
    } catch (RuntimeException unreadable) {
      return forgottenUsers.map(list -> 0);
    }
    Future<Integer> admin = connection.tokens() == null ? Future.succeededFuture(0)
        : revokeSealed(connection, secret, connection.tokens(), SealedContexts.oauthTokens(forgotten.accountId(), forgotten.id()));
    return admin.compose(n -> forgottenUsers.compose(list -> {
      Future<Integer> total = Future.succeededFuture(n);
      for (UserConnection user : list) {
        if (user.tokens() == null) continue;
        total = total.compose(sum -> revokeSealed(connection, secret, user.tokens(),
            SealedContexts.oauthUserTokens(user.accountId(), user.serverId(), user.subject())).map(m -> sum + m));
      }
      return total;
    }));
  }

  /** The refresh token first (revoking it may end the access token too), then the access token. */
  private Future<Integer> revokeSealed(OAuthConnection connection, String secret, SealedSecret sealed, String context) {
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
}
