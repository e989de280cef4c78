package dev.mcpgateway.store;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.model.ServerKey;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;

/**
 * The embedded store's server → portals index: which portals of an account have a server as a
 * member. {@link FilePortalStore} changes it, on the writer, once a portal write is durable;
 * {@link FileServerStore#delete} asks it on the writer too, so "is this server in use?" and the
 * delete are one atomic step. It lives apart from both stores so that neither needs the other to
 * be built first.
 */
final class PortalMembership {
  private final Map<ServerKey, NavigableSet<String>> portalsByServer = new ConcurrentHashMap<>();

  /** The ids of the account's portals that have {@code serverId} as a member, ordered by id. */
  List<String> portalsUsing(String accountId, String serverId) {
    NavigableSet<String> portals = portalsByServer.get(new ServerKey(accountId, serverId));
    return portals == null ? List.of() : List.copyOf(portals);
  }

  /**
   * Moves the index from {@code before} to {@code after} (either may be null: a create, a delete).
   * The new memberships are added before the old ones are removed, so a concurrent reader never
   * misses a server that stays a member. Called on the writer only.
   */
  void replace(Portal before, Portal after) {
    Set<String> kept = after == null ? Set.of() : serverIds(after);
    for (String serverId : kept) {
      portalsByServer.computeIfAbsent(new ServerKey(after.accountId(), serverId), k -> new ConcurrentSkipListSet<>()).add(after.id());
    }
    if (before == null) return;
    for (String serverId : serverIds(before)) {
      if (kept.contains(serverId)) continue;
      portalsByServer.computeIfPresent(new ServerKey(before.accountId(), serverId), (k, portals) -> {
        portals.remove(before.id());
        return portals.isEmpty() ? null : portals;
      });
    }
  }

  private static Set<String> serverIds(Portal portal) {
    return portal.servers().stream().map(PortalServer::serverId).collect(Collectors.toSet());
  }
}
