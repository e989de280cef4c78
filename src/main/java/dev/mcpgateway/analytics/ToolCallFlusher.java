package dev.mcpgateway.analytics;

import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.store.ToolCallCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Moves this replica's counts from the {@link ToolCallCounter} into the store every
 * {@code analytics.flush_ms}, and purges what is older than {@code analytics.retention_days} (at
 * most once an hour). A flush adds (the store sums replicas), one batch per account and UTC day so
 * that each batch is all or nothing; a batch the store refuses (an outage) goes back into the
 * counter with everything after it and is retried by the next flush, so calls never wait for the
 * store and an outage loses no counts (within {@code max_pending}). One flush at a time; a last one
 * at {@link #stop()}.
 *
 * <p>A batch whose commit succeeded but whose answer was lost (the connection dropped at that very
 * moment) is retried and counted twice: the one way counts can drift, as with any at-least-once
 * delivery.
 */
public final class ToolCallFlusher {
  private static final System.Logger LOG = System.getLogger(ToolCallFlusher.class.getName());
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final ToolCallCounter counter;
  private final ToolCallCounts store;
  private final Clock clock;
  private final AnalyticsSettings settings;
  private final Consumer<String> outcomes;
  private long timer = -1;
  private Future<Void> running = Future.succeededFuture();
  private Instant nextPurge = Instant.MIN;
  private boolean failing;

  /** {@code outcomes} hears each flush's outcome ({@code ok}, {@code failed}) for the metrics. */
  public ToolCallFlusher(Vertx vertx, ToolCallCounter counter, ToolCallCounts store, Clock clock, AnalyticsSettings settings,
      Consumer<String> outcomes) {
    this.vertx = vertx;
    this.counter = counter;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.outcomes = outcomes;
  }

  public synchronized void start() {
    long every = settings.flushInterval().toMillis();
    timer = vertx.setPeriodic(every, every, id -> flush());
  }

  /** Flushes now, after any flush under way; succeeds once this flush's counts are stored (fails if they were put back). */
  public synchronized Future<Void> flush() {
    running = running.transform(ignored -> flushOnce());
    return running;
  }

  /** Stops the timer and flushes once more (at a graceful stop, after the last call has ended). */
  public Future<Void> stop() {
    synchronized (this) {
      if (timer >= 0) vertx.cancelTimer(timer);
      timer = -1;
    }
    return flush().recover(e -> {
      LOG.log(System.Logger.Level.WARNING, "tool-call counts not stored at stop (" + counter.size() + " keys lost): " + e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> flushOnce() {
    Map<ToolCallKey, Long> drained = counter.drain();
    Map<String, Map<ToolCallKey, Long>> batches = new TreeMap<>();
    drained.forEach((key, count) -> batches.computeIfAbsent(key.accountId() + "/" + LocalDate.ofInstant(key.bucket(), ZoneOffset.UTC),
        b -> new java.util.HashMap<>()).put(key, count));
    return addAll(new ArrayList<>(batches.values()).iterator())
        .compose(v -> purgeIfDue())
        .onSuccess(v -> {
          if (!drained.isEmpty()) outcomes.accept("ok");
          if (failing) LOG.log(System.Logger.Level.INFO, "tool-call counts are reaching the store again");
          failing = false;
        })
        .onFailure(e -> {
          outcomes.accept("failed");
          // once per outage: every few seconds would flood the log
          if (!failing) LOG.log(System.Logger.Level.WARNING, "tool-call counts kept in memory, the store refused them: " + e.getMessage());
          failing = true;
        });
  }

  private Future<Void> addAll(Iterator<Map<ToolCallKey, Long>> batches) {
    if (!batches.hasNext()) return Future.succeededFuture();
    Map<ToolCallKey, Long> batch = batches.next();
    return store.add(batch).transform(added -> {
      if (added.succeeded()) return addAll(batches);
      counter.putBack(batch);
      batches.forEachRemaining(counter::putBack);
      return Future.failedFuture(added.cause());
    });
  }

  private Future<Void> purgeIfDue() {
    Instant now = clock.instant();
    if (now.isBefore(nextPurge)) return Future.succeededFuture();
    return store.purgeBefore(cutoff(now, settings.retentionDays())).map(removed -> {
      nextPurge = now.plus(PURGE_EVERY);
      if (removed > 0) LOG.log(System.Logger.Level.DEBUG, "purged " + removed + " tool-call counts past retention");
      return null;
    });
  }

  /**
   * The start of the oldest UTC day kept: {@code retentionDays} whole days before today's, so a
   * {@code days} window of any offset (up to a day off UTC) still finds all of its retention.
   */
  static Instant cutoff(Instant now, int retentionDays) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(retentionDays).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
