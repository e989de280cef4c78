package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.TokenHash;
import java.time.Instant;

/**
 * Whose switches a request reads and writes ({@link PortalSwitches}): a toggle never affects
 * another agent. A 2025 session agent switches for its session only — {@code s:} + the SHA-256 of
 * the session id (the id itself is a bearer credential and is never stored), lapsing when the
 * session id stops opening ({@code proxy.session_max_age_ms} after it was issued). A 2026-07-28
 * agent has no session: its switches are its client token's — {@code t:} + the token's name, never
 * lapsing. Cloudflare keeps them per portal authorization grant; this gateway has no agent sign-in
 * yet, and once it has, the grant replaces the token name.
 *
 * @param id the store's holder
 * @param expiresAt when the switches lapse; null: never
 */
public record ToggleHolder(String id, Instant expiresAt) {
  static final String SESSION_PREFIX = "s:";
  static final String TOKEN_PREFIX = "t:";

  static ToggleHolder session(String sessionId, Instant expiresAt) {
    return new ToggleHolder(SESSION_PREFIX + TokenHash.sha256Hex(sessionId), expiresAt);
  }

  static ToggleHolder token(Agent client) {
    return new ToggleHolder(TOKEN_PREFIX + client.name(), null);
  }

  /** How an agent is told whose switches changed. */
  String scope() {
    return id.startsWith(SESSION_PREFIX) ? "this session" : "this client";
  }
}
