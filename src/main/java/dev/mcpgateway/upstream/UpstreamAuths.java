package dev.mcpgateway.upstream;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
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

  public UpstreamAuths(SecretCipher cipher) {
    this.cipher = cipher;
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
      // Until the OAuth connection flow exists, an OAuth server is reached without credentials and
      // its 401 is reported as the sync error.
      case OAUTH -> new UpstreamAuth.None();
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
