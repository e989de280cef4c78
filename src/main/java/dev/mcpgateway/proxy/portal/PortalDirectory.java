package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.concurrency.Contexts;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.store.PortalNotFoundException;
import dev.mcpgateway.store.PortalStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Portals as the MCP endpoint finds them, by id or by the {@code Host} an agent connected to,
 * without a store round trip per message: cached, and forgotten on every change the store
 * announces (from any replica, with PostgreSQL). Hostname entries are all dropped on any change:
 * portal writes are rare, and a hostname may have moved between portals.
 */
public final class PortalDirectory {
  private static final long MAX_ENTRIES = 10_000;
  private final Vertx vertx;
  private final AsyncLoadingCache<PortalKey, Optional<Portal>> byKey;
  private final AsyncLoadingCache<String, Optional<Portal>> byHost;

  public PortalDirectory(Vertx vertx, PortalStore store) {
    this.vertx = vertx;
    Executor onVertx = Contexts.executor(vertx.getOrCreateContext());
    this.byKey = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).executor(onVertx)
        .buildAsync((key, executor) -> store.get(key.accountId(), key.id()).map(Optional::of)
            .recover(e -> e instanceof PortalNotFoundException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e))
            .toCompletionStage().toCompletableFuture());
    this.byHost = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).executor(onVertx)
        .buildAsync((host, executor) -> store.byHostname(host).toCompletionStage().toCompletableFuture());
    store.onChange(key -> {
      if (key.equals(PortalKey.EVERYTHING)) byKey.synchronous().invalidateAll();
      else byKey.synchronous().invalidate(key);
      byHost.synchronous().invalidateAll();
    });
  }

  public Future<Optional<Portal>> get(String accountId, String id) {
    return Future.fromCompletionStage(byKey.get(new PortalKey(accountId, id)), vertx.getOrCreateContext());
  }

  /** The portal at {@code host} (a {@code Host} header: any port is dropped, case ignored). */
  public Future<Optional<Portal>> atHost(String host) {
    if (host == null || host.isEmpty()) return Future.succeededFuture(Optional.empty());
    String bare = host.startsWith("[") ? host : host.replaceFirst(":\\d*$", "");
    return Future.fromCompletionStage(byHost.get(bare.toLowerCase(Locale.ROOT)), vertx.getOrCreateContext());
  }
}
