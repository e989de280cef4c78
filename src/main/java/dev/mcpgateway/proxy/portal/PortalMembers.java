package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.model.ServerStatus;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.sync.PortalView;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A portal's members as its agents see them now, from the capability cache (no upstream trip):
 * each member's server with the portal's {@code on_behalf} applied, and its {@link PortalView}.
 * Fail open: a member that is not synced yet, in error, deleted, or out of the client token's
 * reach is left out — with a metric, and a log line when its reason changes — never failing the
 * list. A member that acts on its users' behalf (per-user OAuth, the portal's {@code on_behalf}) is
 * out of a service token's reach ({@link Agent#mayReach}), silently: its tools are not listed and
 * calls to them are refused as unknown names. Views are computed once per (portal mapping, cache entry), not per message. A member the
 * agent switched off for itself ({@link PortalSwitches}) is out of what that agent sees, silently:
 * {@link #visible} and {@link #member} leave it out; {@link #load} is every member, for the
 * built-in tools that show the switches.
 */
public final class PortalMembers {
  private static final System.Logger LOG = System.getLogger(PortalMembers.class.getName());

  /** A member that is in: its mapping, its capabilities as the portal calls it, its view. */
  public record Member(PortalServer mapping, Capabilities capabilities, PortalView.Member view) {
    public String serverId() {
      return mapping.serverId();
    }
  }

  /** Why a member is left out (a metric label). */
  enum LeftOut { NOT_SYNCED, ERROR, MISSING, STORE }

  private record Memo(Capabilities source, PortalServer mapping, Member member) {}

  private final CapabilityCache cache;
  private final GatewayMetrics metrics;
  private final PortalSwitches switches;
  private final Cache<String, Memo> views = Caffeine.newBuilder().maximumSize(50_000).build();
  private final Cache<String, LeftOut> lastReason = Caffeine.newBuilder().maximumSize(50_000).build();

  public PortalMembers(CapabilityCache cache, GatewayMetrics metrics, PortalSwitches switches) {
    this.cache = cache;
    this.metrics = metrics;
    this.switches = switches;
  }

  /** The members {@code client} may see, in the portal's order, switched on or not. */
  public Future<List<Member>> load(Portal portal, Agent client) {
    return load(portal, client, Set.of(), true);
  }

  /**
   * Every member that is in, in the portal's order, as a client token without server restrictions
   * and switches sees them — quietly: no agent asked, so a member left out is neither counted nor
   * logged here (for {@link PortalContext}).
   */
  public Future<List<Member>> all(Portal portal) {
    return load(portal, null, Set.of(), false);
  }

  /** The members the agent sees: those {@code client} may see that {@code holder} has not switched off, in the portal's order. */
  public Future<List<Member>> visible(Portal portal, Agent client, ToggleHolder holder) {
    return switches.off(portal, holder).compose(off -> load(portal, client, off, true));
  }

  /** {@code client} null: no restriction; {@code report}: count and log members left out (an agent's answer). */
  private Future<List<Member>> load(Portal portal, Agent client, Set<String> off, boolean report) {
    List<Future<Member>> loads = new ArrayList<>();
    for (PortalServer mapping : portal.servers()) {
      if (client != null && !client.mayUseServer(mapping.serverId())) continue; // the token's scope, not a failure
      if (off.contains(mapping.serverId())) continue; // the agent's own choice, not a failure
      loads.add(cache.get(portal.accountId(), mapping.serverId())
          .map(capabilities -> !reaches(client, mapping, capabilities) ? null
              : report ? usable(portal, mapping, capabilities) : usableQuietly(portal, mapping, capabilities))
          .otherwise(e -> report ? leftOut(portal, mapping, e instanceof ServerNotFoundException ? LeftOut.MISSING : LeftOut.STORE) : null));
    }
    return Future.join(loads).map(all -> {
      List<Member> members = new ArrayList<>(loads.size());
      for (Future<Member> load : loads) {
        if (load.result() != null) members.add(load.result());
      }
      return members;
    });
  }

  /** A member the client may use, by id: whether it is one of the portal's and within the client token's scope. */
  public static boolean reachable(Portal portal, Agent client, String serverId) {
    return portal.member(serverId) != null && client.mayUseServer(serverId);
  }

  /** One member by id, if the agent sees it: the client may, the holder has not switched it off, and it is in. */
  public Future<Member> member(Portal portal, Agent client, ToggleHolder holder, String serverId) {
    if (!reachable(portal, client, serverId)) return Future.succeededFuture(null);
    PortalServer mapping = portal.member(serverId);
    return switches.off(portal, holder).compose(off -> off.contains(serverId) ? Future.succeededFuture(null) : cache.get(portal.accountId(), serverId)
        .map(capabilities -> reaches(client, mapping, capabilities) ? usable(portal, mapping, capabilities) : null)
        .otherwise(e -> leftOut(portal, mapping, e instanceof ServerNotFoundException ? LeftOut.MISSING : LeftOut.STORE)));
  }

  /** Whether {@code client} (null: anyone) may be served by the member as the portal calls it: not a service token on an on-behalf member. */
  private static boolean reaches(Agent client, PortalServer mapping, Capabilities capabilities) {
    return client == null || client.mayReach(asMember(capabilities.server(), mapping));
  }

  private Member usable(Portal portal, PortalServer mapping, Capabilities capabilities) {
    McpServer server = capabilities.server();
    if (server.lastSuccessfulSync() == null) return leftOut(portal, mapping, LeftOut.NOT_SYNCED);
    if (server.status() == ServerStatus.ERROR) return leftOut(portal, mapping, LeftOut.ERROR);
    lastReason.invalidate(key(portal, mapping));
    return view(portal, mapping, capabilities);
  }

  /** {@link #usable} without the metric and the log line: null when left out. */
  private Member usableQuietly(Portal portal, PortalServer mapping, Capabilities capabilities) {
    McpServer server = capabilities.server();
    if (server.lastSuccessfulSync() == null || server.status() == ServerStatus.ERROR) return null;
    return view(portal, mapping, capabilities);
  }

  /** The member's view, memoised per (portal mapping, cache entry). */
  private Member view(Portal portal, PortalServer mapping, Capabilities capabilities) {
    McpServer server = capabilities.server();
    String key = key(portal, mapping);
    Memo memo = views.getIfPresent(key);
    if (memo != null && memo.source == capabilities && Objects.equals(memo.mapping, mapping)) return memo.member;
    McpServer asMember = asMember(server, mapping);
    Capabilities memberCapabilities = asMember == server ? capabilities : new Capabilities(asMember, capabilities.exposedTools(),
        capabilities.exposedPrompts(), capabilities.toolNames(), capabilities.promptNames());
    Member member = new Member(mapping, memberCapabilities, PortalView.member(server, mapping));
    views.put(key, new Memo(capabilities, mapping, member));
    return member;
  }

  /** The server as the portal calls it: the portal decides whose credential calls carry, the user's own (on_behalf) or the server's. */
  static McpServer asMember(McpServer server, PortalServer mapping) {
    return server.oauthOnBehalf() == mapping.onBehalf() ? server : server.toBuilder().oauthOnBehalf(mapping.onBehalf()).build();
  }

  private Member leftOut(Portal portal, PortalServer mapping, LeftOut reason) {
    String key = key(portal, mapping);
    metrics.portalMemberLeftOut(portal.accountId(), portal.id(), mapping.serverId(), reason.name().toLowerCase(java.util.Locale.ROOT));
    if (lastReason.asMap().put(key, reason) != reason) {
      LOG.log(System.Logger.Level.WARNING, "portal " + portal.accountId() + "/" + portal.id() + " leaves out server " + mapping.serverId()
          + ": " + switch (reason) {
            case NOT_SYNCED -> "it has not synced yet";
            case ERROR -> "its last sync failed";
            case MISSING -> "it does not exist";
            case STORE -> "the store is unavailable";
          });
    }
    return null;
  }

  private static String key(Portal portal, PortalServer mapping) {
    return portal.accountId() + "/" + portal.id() + "/" + mapping.serverId();
  }
}
