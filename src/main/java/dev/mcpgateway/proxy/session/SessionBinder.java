package dev.mcpgateway.proxy.session;

import dev.mcpgateway.security.RevokedSessions;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.http.AgentAuthHandler;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.CapabilityCache;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;

/**
 * Binds a request to its session: opens the agent's session id and checks it belongs here. Any
 * doubt is a 404, which tells the agent to start a new session.
 */
public final class SessionBinder {
  private final SessionCodec sessions;
  private final CapabilityCache cache;
  private final LocalSessions local;
  private final RevokedSessions revoked;
  private final ProxySettings settings;
  private final Clock clock;

  public SessionBinder(SessionCodec sessions, CapabilityCache cache, LocalSessions local, RevokedSessions revoked, ProxySettings settings,
      Clock clock) {
    this.sessions = sessions;
    this.cache = cache;
    this.local = local;
    this.revoked = revoked;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Opens the agent's session id, or answers 404: tampered, foreign (another account, server or
   * client token), too old, ended with DELETE (on any replica), for a server that moved or is gone,
   * or a legacy session this replica does not hold. Answers null when it has replied itself.
   */
  public Future<BoundSession> bind(RoutingContext ctx, String sessionId) {
    Agent client = ctx.get(AgentAuthHandler.AGENT_KEY);
    String account = ctx.pathParam("account_id");
    String server = ctx.pathParam("server_id");
    Optional<SessionToken> opened = sessions.decode(sessionId).filter(t -> t.accountId().equals(account)
        && t.serverId().equals(server) && t.client().equals(client.name())
        && !t.issuedAt().plus(settings.sessionMaxAge()).isBefore(clock.instant()));
    // before the local entry: a revoked id must not come back to life as a session this replica holds
    if (opened.isEmpty() || revoked.isRevoked(sessionId)) return notFound(ctx);
    SessionToken token = opened.get();
    LocalSessions.Entry entry = token.transport() == McpSession.Transport.LEGACY_SSE
        ? local.get(sessionId) : local.touch(sessionId, token);
    if (entry == null) return notFound(ctx);
    if (entry.legacy != null && entry.legacy.isClosed()) {
      local.remove(sessionId); // the upstream stream is gone: the agent must start over
      return notFound(ctx);
    }
    return cache.get(account, server).map(capabilities -> {
      if (!capabilities.server().hostname().equals(token.hostname())) {
        notFound(ctx);
        return null;
      }
      Exchange.of(ctx).serverKnown(account, server);
      return new BoundSession(sessionId, token, capabilities, entry);
    }).recover(e -> {
      if (e instanceof ServerNotFoundException) return notFound(ctx);
      McpReplies.error(ctx.response(), 503, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable");
      return Future.succeededFuture(null);
    });
  }

  public static Future<BoundSession> notFound(RoutingContext ctx) {
    McpReplies.error(ctx.response(), 404, null, McpReplies.SESSION_NOT_FOUND, "session not found: initialize a new session");
    return Future.succeededFuture(null);
  }
}
