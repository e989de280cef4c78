package dev.mcpgateway.proxy.session;

import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.security.SecretCipher;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * The gateway's {@code Mcp-Session-Id}: a {@link SessionToken} as compact JSON
 * ({@code {"a","s","h","u","v","c","t","iat"}}, plus {@code "k","i"} — the agent's capabilities and
 * identity — for a stateless upstream), sealed with AES-256-GCM under a key derived from the
 * gateway's secret for this purpose only, with associated data {@code mcp-session}. The result is
 * {@code v1.<base64url>}: visible ASCII as the specification requires, opaque to the agent, and
 * unforgeable — a tampered, truncated or foreign id simply does not open (and answers 404).
 */
public final class SessionCodec {
  private static final String CONTEXT = "mcp-session";
  private final SecretCipher cipher;

  public SessionCodec(SecretCipher gatewayCipher) {
    this.cipher = gatewayCipher.derive("mcp-session-id/v1");
  }

  public String encode(SessionToken token) {
    JsonObject json = new JsonObject()
        .put("a", token.accountId())
        .put("s", token.serverId())
        .put("h", token.hostname())
        .put("u", token.upstreamSessionId())
        .put("v", token.protocolVersion())
        .put("c", token.client())
        .put("t", switch (token.transport()) {
          case LEGACY_SSE -> "l";
          case STATELESS -> "s";
          case STREAMABLE_HTTP -> "h";
        })
        .put("iat", token.issuedAt().getEpochSecond());
    if (token.agentCapabilities() != null) json.put("k", token.agentCapabilities());
    if (token.agentInfo() != null) json.put("i", token.agentInfo());
    return cipher.seal(json.encode(), CONTEXT).ciphertext();
  }

  public Optional<SessionToken> decode(String sessionId) {
    if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 4096) return Optional.empty();
    try {
      JsonObject json = new JsonObject(cipher.open(new SealedSecret(sessionId), CONTEXT));
      McpSession.Transport transport = switch (json.getString("t")) {
        case "l" -> McpSession.Transport.LEGACY_SSE;
        case "s" -> McpSession.Transport.STATELESS;
        default -> McpSession.Transport.STREAMABLE_HTTP;
      };
      return Optional.of(new SessionToken(json.getString("a"), json.getString("s"), json.getString("h"), json.getString("u"),
          json.getString("v"), json.getString("c"), transport, Instant.ofEpochSecond(json.getLong("iat")),
          json.getJsonObject("k"), json.getJsonObject("i")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
