package dev.mcpgateway.sync;

import dev.mcpgateway.concurrency.Contexts;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.store.ServerStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Capabilities by (account, server), so that list calls need no upstream round trip and no store
 * read. Caffeine, bounded, with statistics; loaded asynchronously from the store on a miss;
 * invalidated by every store change — with PostgreSQL, by changes made on any replica. Caffeine's
 * own work runs on a Vert.x context (an explicit executor), never on a thread pool of its own.
 */
public final class CapabilityCache {
  private final Vertx vertx;
  private final AsyncLoadingCache<ServerKey, Capabilities> cache;

  public CapabilityCache(Vertx vertx, ServerStore store, long maximumSize) {
    this.vertx = vertx;
    Context context = vertx.getOrCreateContext();
    Executor onVertx = Contexts.executor(context);
    this.cache = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .executor(onVertx)
        .recordStats()
        // an unknown server loads as "no entry" (null), so Caffeine neither caches nor logs it
        .buildAsync((key, executor) -> store.get(key.accountId(), key.id())
            .map(Capabilities::of)
            .recover(e -> e instanceof ServerNotFoundException ? Future.succeededFuture(null) : Future.failedFuture(e))
            .toCompletionStage()
            .toCompletableFuture());
    store.onChange(this::invalidate);
  }

  public Future<Capabilities> get(String accountId, String id) {
    return Future.fromCompletionStage(cache.get(new ServerKey(accountId, id)), vertx.getOrCreateContext())
        .compose(found -> found == null ? Future.failedFuture(new ServerNotFoundException(accountId, id)) : Future.succeededFuture(found));
  }

  /** Whether the entry is loaded now (for tests and metrics: a hit needs no store read). */
  public boolean contains(String accountId, String id) {
    return cache.getIfPresent(new ServerKey(accountId, id)) != null;
  }

  public void invalidate(ServerKey key) {
    if (key.equals(ServerKey.EVERYTHING)) cache.synchronous().invalidateAll();
    else cache.synchronous().invalidate(key);
  }

  /** Caffeine's own meters (size, hits, misses, evictions, load time) under {@code cache="capabilities"}. */
  public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, cache, "capabilities");
  }

  public CacheStats stats() {
    return cache.synchronous().stats();
  }

  public long size() {
    return cache.synchronous().estimatedSize();
  }
}
