package dev.mcpgateway.logging;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One structured line per MCP message and per admin request, on the {@code mcp_gateway.access}
 * logger: time, kind, account, portal (for a portal's messages), server, method or operation, exposed tool name, status, outcome,
 * duration and a hash of the session id — never a token, a credential or the session id itself.
 */
public final class AccessLog {
  public static final String LOGGER_NAME = "mcp_gateway.access";
  private static final Logger LOG = Logger.getLogger(LOGGER_NAME);

  private AccessLog() {}

  /** {@code portal}: the portal the message came through, null on a server's own endpoint. */
  /** {@code agent}: who called — a client token's name, {@code user:<sub>}, {@code service-token:<id>}; null before authentication. */
  public static void mcp(String account, String portal, String server, String method, String tool, int status, String outcome,
      long durationNanos, String sessionId, String agent) {
    if (!LOG.isLoggable(Level.INFO)) return;
    JsonObject line = new JsonObject().put("kind", "mcp").put("account", account);
    if (agent != null) line.put("agent", agent);
    if (portal != null) line.put("portal", portal);
    line.put("server", server).put("method", method)
        .put("status", status).put("outcome", outcome).put("duration_ms", durationNanos / 1_000_000.0);
    if (tool != null) line.put("tool", tool);
    if (sessionId != null) line.put("session", sessionHash(sessionId));
    LOG.info(line.encode());
  }

  public static void admin(String account, String operation, String method, int status, long durationNanos, String actor) {
    if (!LOG.isLoggable(Level.INFO)) return;
    JsonObject line = new JsonObject().put("kind", "admin").put("account", account).put("operation", operation)
        .put("method", method).put("status", status).put("duration_ms", durationNanos / 1_000_000.0);
    if (actor != null) line.put("actor", actor);
    LOG.info(line.encode());
  }

  /** Enough to follow one session through the log, useless to anyone who would replay it. */
  static String sessionHash(String sessionId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
