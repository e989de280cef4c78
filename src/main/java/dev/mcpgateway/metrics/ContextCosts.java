package dev.mcpgateway.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.store.PortalNotFoundException;
import dev.mcpgateway.store.PortalStore;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.sync.Capabilities;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What every server and portal costs an agent's context ({@link ContextCost}), counted once per
 * change and cached — never per request —, always on a worker (the encoding loads in ≈ 0.6 s on
 * first use; 1,000 tools take ≈ 35 ms). Shown by the management API ({@code context_tokens}),
 * exported as gauges and held against the {@link ContextBudget} each time a cost is known.
 *
 * <p>A server's cost is what its own endpoint answers ({@link Capabilities}: overrides applied,
 * held-back tools out), recounted when its version changes (a sync, an edit). A portal's comes from
 * the proxy (the same lists its endpoint builds, per mode). {@link #follow} keeps the gauges in step
 * with the stores, as {@link ServerGaugeUpdates} does: a server's change recounts it and, after a
 * short delay that coalesces a burst of member syncs, every portal it belongs to; a portal's change
 * recounts the portal; what is deleted loses its gauges.
 */
public final class ContextCosts {
  /** Changes to one portal within this long are one recount. */
  static final long COALESCE_MS = 250;
  private static final String SERVER_ADVICE = "disable the tools agents do not need (updated_tools with enabled: false) "
      + "or serve it through a portal with ?optimize_context=search_and_execute";

  /** What a server's lists depend on: when any of it differs, the cost is counted again. */
  private record Version(Instant lastSynced, Instant modifiedAt, boolean hold, Map<String, String> accepted, int tools, int prompts) {
    static Version of(McpServer s) {
      return new Version(s.lastSynced(), s.modifiedAt(), s.holdChangedTools(), s.acceptedToolHashes(), s.tools().size(), s.prompts().size());
    }
  }

  private record Counted(Version version, Future<ContextCost> cost) {}

  private final Vertx vertx;
  private final Function<Portal, Future<Map<String, ContextCost>>> portals;
  private final GatewayMetrics metrics;
  private final ContextBudget budget;
  private final Cache<ServerKey, Counted> servers = Caffeine.newBuilder().maximumSize(100_000).build();
  private final Set<ServerKey> knownServers = ConcurrentHashMap.newKeySet();
  private final Set<PortalKey> knownPortals = ConcurrentHashMap.newKeySet();
  private final Set<PortalKey> pending = ConcurrentHashMap.newKeySet();

  /** {@code portals}: a portal's cost by mode name, {@code full} first (the proxy's {@code McpEndpoint.portalContext}). */
  public ContextCosts(Vertx vertx, Function<Portal, Future<Map<String, ContextCost>>> portals, GatewayMetrics metrics, ContextBudget budget) {
    this.vertx = vertx;
    this.portals = portals;
    this.metrics = metrics;
    this.budget = budget;
  }

  /** What the server's own endpoint's {@code tools/list} and {@code prompts/list} cost an agent; null before its first successful sync. */
  public Future<ContextCost> server(McpServer server) {
    if (server.lastSuccessfulSync() == null) return Future.succeededFuture(null);
    ServerKey key = ServerKey.of(server);
    Version version = Version.of(server);
    Counted counted = servers.getIfPresent(key);
    if (counted == null || !counted.version.equals(version) || counted.cost.failed()) {
      counted = new Counted(version, vertx.executeBlocking(() -> {
        Capabilities exposed = Capabilities.of(server);
        return ContextCost.of(exposed.exposedTools(), exposed.exposedPrompts());
      }, false));
      servers.put(key, counted);
    }
    return counted.cost.onSuccess(cost -> {
      knownServers.add(key);
      metrics.serverContext(key, cost.tokens());
      budget.check(subject(key), cost.tokens(), SERVER_ADVICE);
    });
  }

  /** What the portal's lists cost an agent by mode name ({@code full}, {@code minimize_tools}, {@code search_and_execute}). */
  public Future<Map<String, ContextCost>> portal(Portal portal) {
    return portals.apply(portal).onSuccess(costs -> {
      PortalKey key = portal.key();
      knownPortals.add(key);
      Map<String, Long> tokens = new LinkedHashMap<>();
      costs.forEach((mode, cost) -> tokens.put(mode, cost.tokens()));
      metrics.portalContext(key, tokens);
      ContextCost full = costs.get("full");
      ContextCost searchAndExecute = costs.get("search_and_execute");
      if (full != null) {
        budget.check(subject(key), full.tokens(), searchAndExecute == null ? "agents can connect with ?optimize_context=search_and_execute"
            : "agents that connect with ?optimize_context=search_and_execute pay " + searchAndExecute.tokens());
      }
    });
  }

  /** Recounts on every change of the stores (with PostgreSQL, of any replica); see the class comment. */
  public void follow(ServerStore serverStore, PortalStore portalStore) {
    serverStore.onChange(key -> {
      if (key.equals(ServerKey.EVERYTHING)) {
        knownServers.forEach(k -> serverChanged(serverStore, portalStore, k));
        knownPortals.forEach(k -> schedule(portalStore, k));
      } else {
        serverChanged(serverStore, portalStore, key);
      }
    });
    portalStore.onChange(key -> {
      if (key.equals(PortalKey.EVERYTHING)) knownPortals.forEach(k -> schedule(portalStore, k));
      else schedule(portalStore, key);
    });
  }

  private void serverChanged(ServerStore serverStore, PortalStore portalStore, ServerKey key) {
    serverStore.get(key.accountId(), key.id())
        .onSuccess(server -> {
          server(server);
          portalStore.usingServer(key.accountId(), key.id())
              .onSuccess(ids -> ids.forEach(id -> schedule(portalStore, new PortalKey(key.accountId(), id))));
        })
        .onFailure(e -> {
          if (!(e instanceof ServerNotFoundException)) return;
          servers.invalidate(key);
          knownServers.remove(key);
          metrics.serverGone(key);
          budget.forget(subject(key));
        });
  }

  private void schedule(PortalStore portalStore, PortalKey key) {
    if (!pending.add(key)) return;
    vertx.setTimer(COALESCE_MS, t -> {
      pending.remove(key);
      portalStore.get(key.accountId(), key.id())
          .compose(this::portal)
          .onFailure(e -> {
            if (!(e instanceof PortalNotFoundException)) return;
            knownPortals.remove(key);
            metrics.portalGone(key);
            budget.forget(subject(key));
          });
    });
  }

  private static String subject(ServerKey key) {
    return "server " + key.accountId() + "/" + key.id();
  }

  private static String subject(PortalKey key) {
    return "portal " + key.accountId() + "/" + key.id();
  }
}
