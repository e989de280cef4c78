package dev.mcpgateway.sync;

import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ServerStatus;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.SyncState;
import dev.mcpgateway.concurrency.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Keeps servers fresh without anyone asking: a periodic sweep syncs every server that is due —
 * never synced, or last synced longer ago than the interval (plus a per-server jitter, so servers
 * created together do not resync together), or failed and past its backoff. The backoff grows with
 * the failing streak (the time since the last success), from {@code retryBase} up to the interval.
 * At most {@code concurrency} syncs run at once.
 */
public final class SyncScheduler {
  private static final System.Logger LOG = System.getLogger(SyncScheduler.class.getName());

  /** Settings; {@code jitter} is the fraction of the interval spread across servers (0.1 = ±10 %). */
  public record Settings(Duration interval, Duration retryBase, Duration sweepEvery, double jitter, int concurrency) {}

  private final Vertx vertx;
  private final ServerStore store;
  private final CapabilitySync sync;
  private final Clock clock;
  private final Settings settings;
  /** Where sweeps run, whoever asks for one: its state (the flag, the queue of due servers) is this context's alone. */
  private Context context;
  private long timerId = -1;
  private boolean sweeping;

  public SyncScheduler(Vertx vertx, ServerStore store, CapabilitySync sync, Clock clock, Settings settings) {
    this.vertx = vertx;
    this.store = store;
    this.sync = sync;
    this.clock = clock;
    this.settings = settings;
  }

  public void start() {
    timerId = vertx.setPeriodic(settings.sweepEvery().toMillis(), settings.sweepEvery().toMillis(), t -> sweep());
  }

  public void stop() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
  }

  /** One sweep, on the scheduler's context; overlapping sweeps are skipped. Answers how many servers were synced. */
  public Future<Integer> sweep() {
    return Contexts.on(context(), this::sweepHere);
  }

  /** The first caller's context, or (off Vert.x) a new one: fixed from then on. */
  private synchronized Context context() {
    if (context == null) context = vertx.getOrCreateContext();
    return context;
  }

  private Future<Integer> sweepHere() {
    if (sweeping) return Future.succeededFuture(0);
    sweeping = true;
    Instant now = clock.instant();
    return store.syncStates()
        .compose(states -> runAll(new ArrayDeque<>(states.stream().filter(s -> isDue(s, now)).map(SyncState::key).toList())))
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "sync sweep failed: " + e.getMessage()))
        .onComplete(r -> sweeping = false);
  }

  private Future<Integer> runAll(Deque<ServerKey> due) {
    int total = due.size();
    List<Future<Void>> workers = new java.util.ArrayList<>();
    for (int i = 0; i < Math.min(settings.concurrency(), total); i++) workers.add(worker(due));
    return Future.join(workers).map(total);
  }

  private Future<Void> worker(Deque<ServerKey> due) {
    ServerKey key = due.poll();
    if (key == null) return Future.succeededFuture();
    return sync.sync(key.accountId(), key.id()).<Void>mapEmpty().otherwiseEmpty().compose(v -> worker(due));
  }

  boolean isDue(SyncState state, Instant now) {
    if (state.lastSynced() == null) return true;
    if (state.status() == ServerStatus.ERROR) {
      Instant since = state.lastSuccessfulSync() != null ? state.lastSuccessfulSync() : state.createdAt();
      Duration streak = since == null ? Duration.ZERO : Duration.between(since, state.lastSynced());
      Duration backoff = clamp(streak, settings.retryBase(), settings.interval());
      return !now.isBefore(state.lastSynced().plus(backoff));
    }
    return !now.isBefore(state.lastSynced().plus(settings.interval()).plus(jitter(state.key())));
  }

  /** A stable offset in [-jitter, +jitter] × interval for this server. */
  Duration jitter(ServerKey key) {
    long spread = (long) (settings.interval().toMillis() * settings.jitter());
    if (spread <= 0) return Duration.ZERO;
    long h = Integer.toUnsignedLong((key.accountId() + "/" + key.id()).hashCode());
    return Duration.ofMillis(h % (2 * spread + 1) - spread);
  }

  private static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }
}
