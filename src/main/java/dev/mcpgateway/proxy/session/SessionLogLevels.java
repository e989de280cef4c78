package dev.mcpgateway.proxy.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Set;

/**
 * The log level each bridged session asked for with {@code logging/setLevel}. The stateless era
 * has no such method: the level travels on every request as {@code _meta}'s
 * {@code io.modelcontextprotocol/logLevel}, and a server sends no {@code notifications/message}
 * for a request without it — so the bridge keeps the session's level and puts it on each request.
 * Kept on this replica for the session's idle window (like the session's legacy streams: with
 * several replicas, a level follows the session where sticky routing sends it).
 */
final class SessionLogLevels {
  /** RFC 5424's levels, as MCP names them. */
  static final Set<String> LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private final Cache<String, String> levels;

  SessionLogLevels(Duration idle) {
    this.levels = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(idle).build();
  }

  void set(String sessionId, String level) {
    levels.put(sessionId, level);
  }

  /** The session's level, or null when it set none. */
  String of(String sessionId) {
    return levels.getIfPresent(sessionId);
  }
}
