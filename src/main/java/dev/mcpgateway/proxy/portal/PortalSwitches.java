package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.concurrency.Contexts;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ToggleKey;
import dev.mcpgateway.store.PortalStore;
import dev.mcpgateway.store.PortalToggles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The members each agent switched off for itself on a portal, as the MCP path reads them: from a
 * per-replica cache over {@link PortalToggles}, never a store round trip per message. An entry is
 * forgotten when the store announces a change of it (from any replica, with PostgreSQL's change
 * feed), when its portal changes (a portal created again under its id starts with nothing off), or
 * after an hour unused. A switch made here is cached at once: the same replica never reads its own
 * write stale while the announcement travels.
 *
 * <p>Fail open: when the store cannot be read, an agent sees every member (logged when that starts
 * and ends) — switches are the agent's preference, not access control. Listeners
 * ({@link PortalChanges}) hear which portal's switches changed. Expired entries are purged hourly.
 */
public final class PortalSwitches {
  private static final System.Logger LOG = System.getLogger(PortalSwitches.class.getName());
  static final Duration UNUSED = Duration.ofHours(1);
  static final long PURGE_EVERY_MS = Duration.ofHours(1).toMillis();
  private static final long MAX_ENTRIES = 100_000;

  private final Vertx vertx;
  private final PortalToggles store;
  private final Clock clock;
  private final AsyncLoadingCache<ToggleKey, Set<String>> cache;
  private final List<Consumer<PortalKey>> listeners = new CopyOnWriteArrayList<>();
  private final long purgeTimer;
  private volatile boolean failing;

  public PortalSwitches(Vertx vertx, PortalToggles store, PortalStore portals, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterAccess(UNUSED).recordStats()
        .executor(Contexts.executor(vertx.getOrCreateContext()))
        .buildAsync((key, executor) -> store.off(key.accountId(), key.portalId(), key.holder(), clock.instant())
            .toCompletionStage().toCompletableFuture());
    store.onChange(key -> {
      if (key.equals(ToggleKey.EVERYTHING)) cache.synchronous().invalidateAll();
      else cache.synchronous().invalidate(key);
      tell(key.equals(ToggleKey.EVERYTHING) ? PortalKey.EVERYTHING : key.portal());
    });
    portals.onChange(key -> cache.synchronous().asMap().keySet()
        .removeIf(k -> key.equals(PortalKey.EVERYTHING) || k.portal().equals(key)));
    this.purgeTimer = vertx.setPeriodic(PURGE_EVERY_MS, id -> store.purgeExpired(clock.instant())
        .onSuccess(n -> { if (n > 0) LOG.log(System.Logger.Level.DEBUG, "purged the expired portal toggles of " + n + " holder(s)"); })
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot purge expired portal toggles: " + e.getMessage())));
  }

  /** Registers a listener told which portal's switches changed (the agent's lists may have). */
  public void onChange(Consumer<PortalKey> listener) {
    listeners.add(listener);
  }

  /** The members {@code holder} switched off on {@code portal}; none when the store cannot say. */
  public Future<Set<String>> off(Portal portal, ToggleHolder holder) {
    return Future.fromCompletionStage(cache.get(key(portal, holder)), vertx.getOrCreateContext())
        .map(off -> {
          if (failing) {
            failing = false;
            LOG.log(System.Logger.Level.INFO, "portal toggles are readable again");
          }
          return off;
        })
        .otherwise(e -> {
          if (!failing) {
            failing = true;
            LOG.log(System.Logger.Level.WARNING, "cannot read portal toggles, every member is shown: " + e.getMessage());
          }
          return Set.of();
        });
  }

  /** Switches {@code serverId} on or off for {@code holder}; answers what is off now. Fails as the store does. */
  public Future<Set<String>> turn(Portal portal, ToggleHolder holder, String serverId, boolean on) {
    ToggleKey key = key(portal, holder);
    return store.set(portal.accountId(), portal.id(), holder.id(), serverId, on, holder.expiresAt()).map(off -> {
      written(key, off);
      return off;
    });
  }

  /** Switches every member back on for {@code holder}. */
  public Future<Void> reset(Portal portal, ToggleHolder holder) {
    ToggleKey key = key(portal, holder);
    return store.reset(portal.accountId(), portal.id(), holder.id()).map(v -> {
      written(key, Set.of());
      return v;
    });
  }

  /** Cancels the purge (at shutdown). */
  public void stop() {
    vertx.cancelTimer(purgeTimer);
  }

  private void written(ToggleKey key, Set<String> off) {
    cache.put(key, CompletableFuture.completedFuture(off));
    tell(key.portal());
  }

  private void tell(PortalKey portal) {
    listeners.forEach(l -> l.accept(portal));
  }

  private static ToggleKey key(Portal portal, ToggleHolder holder) {
    return new ToggleKey(portal.accountId(), portal.id(), holder.id());
  }
}
