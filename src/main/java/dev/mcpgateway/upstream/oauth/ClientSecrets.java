package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.OAuthConnection;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;

/**
 * A server's OAuth client as the admin configured it ({@code auth_credentials}) and the secret the
 * gateway authenticates to the token endpoint with: the admin's (manual mode) or the one dynamic
 * registration gave. Both are sealed at rest; this is the one place that seals and opens them.
 */
final class ClientSecrets {
  private final SecretCipher cipher;

  ClientSecrets(SecretCipher cipher) {
    this.cipher = cipher;
  }

  /** The admin's client configuration; {@link OAuthClientConfig#none()} when there is none. */
  OAuthClientConfig config(McpServer server) {
    if (server.credentials() == null) return OAuthClientConfig.none();
    return OAuthClientConfig.parse(cipher.open(server.credentials(), SealedContexts.credentials(server.accountId(), server.id())));
  }

  /** The client secret for the token endpoint, or null for a public client. */
  String secret(McpServer server, OAuthConnection connection) {
    if ("manual".equals(connection.authMode())) return config(server).clientSecret();
    return connection.registeredClientSecret() == null ? null
        : cipher.open(connection.registeredClientSecret(), SealedContexts.oauthClientSecret(server.accountId(), server.id()));
  }

  /** Seals a secret dynamic registration gave, bound to {@code server}. */
  SealedSecret sealRegistered(McpServer server, String secret) {
    return cipher.seal(secret, SealedContexts.oauthClientSecret(server.accountId(), server.id()));
  }
}
