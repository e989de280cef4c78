package dev.mcpgateway.analytics;

import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.ToolCallSink;
import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.store.ToolCallCounts;
import dev.mcpgateway.store.ToolCallQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Tool-call analytics as the rest of the gateway sees it: counting starts with {@link #start} (the
 * metrics' tool calls go to a {@link ToolCallCounter}, a {@link ToolCallFlusher} stores them),
 * {@link #counts} answers the stored counts plus this replica's unflushed ones (so its own calls show
 * at once; another replica's show after its next flush), {@link #stop} flushes a last time.
 */
public final class ToolCallAnalytics {
  private final GatewayMetrics metrics;
  private final ToolCallCounts store;
  private final ToolCallCounter counter;
  private final ToolCallFlusher flusher;
  private final AnalyticsSettings settings;

  private ToolCallAnalytics(GatewayMetrics metrics, ToolCallCounts store, ToolCallCounter counter, ToolCallFlusher flusher,
      AnalyticsSettings settings) {
    this.metrics = metrics;
    this.store = store;
    this.counter = counter;
    this.flusher = flusher;
    this.settings = settings;
  }

  /** Counts every tool call {@code metrics} meters from now on, and flushes them into {@code store} periodically. */
  public static ToolCallAnalytics start(Vertx vertx, ToolCallCounts store, Clock clock, AnalyticsSettings settings, GatewayMetrics metrics) {
    ToolCallCounter counter = new ToolCallCounter(clock, settings.maxPending());
    ToolCallFlusher flusher = new ToolCallFlusher(vertx, counter, store, clock, settings, outcome ->
        Counter.builder("mcp_gateway_analytics_flushes").description("flushes of tool-call counts into the store, by outcome (ok, failed)")
            .tags("outcome", outcome).register(metrics.registry()).increment());
    Gauge.builder("mcp_gateway_analytics_pending_keys", counter, ToolCallCounter::size)
        .description("tool-call count keys this replica holds unflushed (grows while the store is down)").register(metrics.registry());
    FunctionCounter.builder("mcp_gateway_analytics_dropped", counter, ToolCallCounter::dropped)
        .description("tool calls left out of analytics because analytics.max_pending keys were held unflushed").register(metrics.registry());
    metrics.countToolCallsIn(counter);
    flusher.start();
    return new ToolCallAnalytics(metrics, store, counter, flusher, settings);
  }

  /** The counts {@code query} selects: stored, plus this replica's not yet flushed. */
  public Future<Map<ToolCallKey, Long>> counts(ToolCallQuery query) {
    return store.read(query).map(stored -> {
      Map<ToolCallKey, Long> all = new HashMap<>(stored);
      counter.pending(query).forEach((key, count) -> all.merge(key, count, Long::sum));
      return all;
    });
  }

  public int retentionDays() {
    return settings.retentionDays();
  }

  /** Flushes now (tests and the stop). */
  public Future<Void> flush() {
    return flusher.flush();
  }

  /** Stops counting and flushes what is left; never fails (what cannot be stored is logged as lost). */
  public Future<Void> stop() {
    metrics.countToolCallsIn(ToolCallSink.NONE);
    return flusher.stop();
  }
}
