package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.security.RevokedSessions;
import dev.mcpgateway.proxy.session.SessionCodec;
import dev.mcpgateway.proxy.session.SessionToken;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Session-era agents' sessions with a portal. The portal answers {@code initialize} itself (its
 * members are reached per request, each in its own era), so a session is only what the agent
 * declared: the id is the servers' sealed {@link SessionToken} with the server id
 * {@code portal:<id>} — which no server id can be (ids have no {@code :}), so a server's session
 * id never opens a portal's, nor the reverse — the portal's hostname, the agreed version, the
 * client token's name, and the agent's capabilities and identity. Any replica with the gateway's
 * secret serves any session. A session ended with DELETE is refused on every replica until it
 * would have expired anyway ({@link RevokedSessions}, shared with the servers' sessions: a portal's
 * ids and a server's never open each other, so one set holds both).
 */
public final class PortalSessions {
  static final String SERVER_PREFIX = "portal:";
  private final SessionCodec codec;
  private final Clock clock;
  private final Duration maxAge;
  private final RevokedSessions revoked;

  public PortalSessions(SessionCodec codec, Clock clock, Duration maxAge, RevokedSessions revoked) {
    this.codec = codec;
    this.clock = clock;
    this.maxAge = maxAge;
    this.revoked = revoked;
  }

  public String open(Portal portal, Agent client, String version, JsonObject capabilities, JsonObject clientInfo) {
    return codec.encode(new SessionToken(portal.accountId(), SERVER_PREFIX + portal.id(), portal.hostname(), null, version, client.name(),
        McpSession.Transport.STATELESS, clock.instant(), capabilities, clientInfo));
  }

  /** The session {@code sessionId} names, if it is this portal's, this client's, not too old and not ended. */
  public Optional<SessionToken> bind(Portal portal, Agent client, String sessionId) {
    if (sessionId == null || revoked.isRevoked(sessionId)) return Optional.empty();
    return codec.decode(sessionId).filter(t -> t.accountId().equals(portal.accountId()) && t.serverId().equals(SERVER_PREFIX + portal.id())
        && t.client().equals(client.name()) && !t.issuedAt().plus(maxAge).isBefore(clock.instant()));
  }

  /** Whose switches the session's requests read and write: the session's own, lapsing with it. */
  ToggleHolder holder(String sessionId, SessionToken token) {
    return ToggleHolder.session(sessionId, token.issuedAt().plus(maxAge));
  }

  /** Ends the session on every replica; fails as the store does, and then nothing changed. */
  public Future<Void> end(String sessionId, SessionToken token) {
    return revoked.revoke(sessionId, token.issuedAt());
  }
}
