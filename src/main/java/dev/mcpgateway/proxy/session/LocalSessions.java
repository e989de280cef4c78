package dev.mcpgateway.proxy.session;

import dev.mcpgateway.concurrency.Contexts;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mcpgateway.mcp.LegacySseSession;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * What this replica knows of the sessions it serves: when each was last used (so an idle session
 * ends, upstream too) and, for legacy-SSE upstreams, the open upstream stream itself — which is why
 * a legacy-upstream session lives on the replica that opened it, while a Streamable HTTP one can be
 * served by any replica from its session id alone.
 */
public final class LocalSessions {
  /** A session this replica has seen; {@code legacy} is non-null for a legacy-SSE upstream. */
  public static final class Entry {
    volatile SessionToken token;
    final LegacySseSession legacy;
    volatile io.vertx.core.http.HttpServerResponse agentStream;

    public Entry(SessionToken token, LegacySseSession legacy) {
      this.token = token;
      this.legacy = legacy;
    }
  }

  public static final long MAX_SESSIONS = 100_000;
  private final Cache<String, Entry> sessions;

  private volatile BiConsumer<String, Entry> onEviction = (id, entry) -> { };

  /** What to do with a session (its id and entry) that ended for idleness (or to make room): end it everywhere, upstream too. */
  public void whenEvicted(BiConsumer<String, Entry> action) {
    onEviction = action;
  }

  public LocalSessions(Vertx vertx, Duration idle) {
    Context context = vertx.getOrCreateContext();
    this.sessions = Caffeine.newBuilder()
        .expireAfterAccess(idle)
        // bounded: an initialize flood cannot exhaust memory; the oldest sessions end first
        .maximumSize(MAX_SESSIONS)
        .executor(Contexts.executor(context))
        .scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
        .removalListener((String id, Entry entry, RemovalCause cause) -> {
          if (id != null && entry != null && cause.wasEvicted()) onEviction.accept(id, entry);
        })
        .build();
  }

  /** Records use of a session (creating its entry on first sight) and answers the entry. */
  public Entry touch(String sessionId, SessionToken token) {
    return sessions.get(sessionId, id -> new Entry(token, null));
  }

  public void put(String sessionId, Entry entry) {
    sessions.put(sessionId, entry);
  }

  public Entry get(String sessionId) {
    return sessions.getIfPresent(sessionId);
  }

  /** Forgets a session ended by its agent (no expiry callback: the caller ends it upstream). */
  public Entry remove(String sessionId) {
    Entry entry = sessions.getIfPresent(sessionId);
    sessions.invalidate(sessionId);
    return entry;
  }

  /** Removes every session and runs {@code end} on each; completes when all have. */
  public io.vertx.core.Future<Void> drain(java.util.function.Function<Entry, io.vertx.core.Future<Void>> end) {
    java.util.List<io.vertx.core.Future<Void>> ended = new java.util.ArrayList<>();
    sessions.asMap().forEach((id, entry) -> ended.add(end.apply(entry).otherwiseEmpty()));
    sessions.invalidateAll();
    return io.vertx.core.Future.join(ended).mapEmpty();
  }

  public long size() {
    sessions.cleanUp();
    return sessions.estimatedSize();
  }
}
