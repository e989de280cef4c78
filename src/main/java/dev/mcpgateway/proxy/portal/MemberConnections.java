package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.oauth.OAuthConnector;
import io.vertx.core.Future;

/**
 * A portal member as its switches show it to one user: the server (from the capability cache; null
 * when it is gone or the store cannot say), and, for an on-behalf OAuth member the user has no
 * working connection to, the link where the user connects it — the same per-user authorization
 * link an agent gets in a {@code -32042} URL elicitation ({@link OAuthConnector#userConnectLink}),
 * so the switches page and a tool call start the one flow there is.
 */
final class MemberConnections {
  /** One member: its mapping, its server as the portal calls it (or null), and the link to connect it (or null). */
  record State(PortalServer mapping, McpServer server, String connectUrl) {}

  private final CapabilityCache cache;
  private final OAuthConnector oauth;

  MemberConnections(CapabilityCache cache, OAuthConnector oauth) {
    this.cache = cache;
    this.oauth = oauth;
  }

  /** {@code mapping}'s member as {@code subject} (a client token's name) finds it now; never fails. */
  Future<State> state(Portal portal, PortalServer mapping, String subject) {
    return cache.get(portal.accountId(), mapping.serverId())
        .compose(capabilities -> {
          McpServer server = PortalMembers.asMember(capabilities.server(), mapping);
          if (oauth == null) return Future.succeededFuture(new State(mapping, server, null));
          // the user's connection unreadable: the member is shown without a link (a call still asks for one)
          return oauth.userConnectLink(server, subject).otherwiseEmpty().map(url -> new State(mapping, server, url));
        })
        .otherwise(e -> new State(mapping, null, null));
  }
}
