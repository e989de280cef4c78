package dev.mcpgateway.upstream;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.upstream.oauth.OAuthTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses the {@link UpstreamAuth} for a server from its auth type and sealed credentials: a raw
 * bearer token becomes {@code Authorization: Bearer <token>}, a JSON {@code {"headers": {...}}}
 * becomes exactly those headers (both shapes were validated when the admin stored them).
 */
public final class UpstreamAuths {
  private final SecretCipher cipher;
  private final OAuthTokens oauth;

  public UpstreamAuths(SecretCipher cipher, OAuthTokens oauth) {
    this.cipher = cipher;
    this.oauth = oauth;
  }

  /**
   * After an upstream answered 401: renews the server's OAuth token once (shared with every
   * concurrent caller) and answers whether a retry may succeed. Other auth types: false.
   */
  public Future<Boolean> renewAfterRejection(McpServer server) {
    if (server.authType() != dev.mcpgateway.model.AuthType.OAUTH || oauth == null) return Future.succeededFuture(false);
    return oauth.renewAfterRejection(server).map(token -> true);
  }

  /**
   * What goes on requests an agent makes through the proxy: for an on-behalf server the agent's own
   * user token ({@code subject}: the agent's name), else the server's credentials; for a service
   * token on an on-behalf server, nothing usable.
   */
  public UpstreamAuth forAgent(McpServer server, String subject) {
    if (subject.startsWith(Agent.SERVICE_TOKEN_PREFIX) && server.needsUserGrant()) {
      // the proxy keeps service tokens away from such servers (Agent.mayReach); this is the last line
      return new UpstreamAuth.Unusable("a service token cannot use a server that acts on behalf of its users");
    }
    if (server.authType() == dev.mcpgateway.model.AuthType.OAUTH && server.oauthOnBehalf() && oauth != null) {
      return new UpstreamAuth.OAuth(() -> oauth.accessTokenFor(server, subject));
    }
    return forServer(server);
  }

  /** After an upstream refused an agent's token (401): renews the token that request carried. */
  public Future<Boolean> renewAfterRejection(McpServer server, String subject) {
    if (server.authType() == dev.mcpgateway.model.AuthType.OAUTH && server.oauthOnBehalf() && oauth != null) {
      return oauth.renewAfterRejection(server, subject).map(token -> true);
    }
    return renewAfterRejection(server);
  }

  /** Never throws: credentials that cannot be opened give an auth whose every request fails. */
  public UpstreamAuth forServer(McpServer server) {
    try {
      return build(server);
    } catch (RuntimeException e) {
      return new UpstreamAuth.Unusable("the stored credentials cannot be opened with this gateway's secret key");
    }
  }

  private UpstreamAuth build(McpServer server) {
    return switch (server.authType()) {
      case UNAUTHENTICATED -> new UpstreamAuth.None();
      case OAUTH -> oauth == null ? new UpstreamAuth.None() : new UpstreamAuth.OAuth(() -> oauth.accessToken(server));
      case BEARER -> bearer(server);
    };
  }

  private UpstreamAuth bearer(McpServer server) {
    if (server.credentials() == null) return new UpstreamAuth.None();
    String plaintext = cipher.open(server.credentials(), SealedContexts.credentials(server.accountId(), server.id()));
    if (!plaintext.stripLeading().startsWith("{")) return new UpstreamAuth.StaticHeaders(Map.of("Authorization", "Bearer " + plaintext));
    JsonObject headers = new JsonObject(plaintext).getJsonObject("headers");
    Map<String, String> values = new LinkedHashMap<>();
    headers.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
    return new UpstreamAuth.StaticHeaders(values);
  }
}
