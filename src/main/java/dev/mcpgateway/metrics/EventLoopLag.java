package dev.mcpgateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late an event-loop timer fires: a timer asks to run every {@code periodMs}; the delay past
 * that is the time callbacks waited for the loop. A loop that blocks shows here before users notice.
 */
public final class EventLoopLag {
  private final AtomicLong lagNanos = new AtomicLong();
  private final long periodMs;
  private long timerId;
  private long expected;

  private EventLoopLag(long periodMs) {
    this.periodMs = periodMs;
  }

  public static EventLoopLag start(Vertx vertx, GatewayMetrics metrics, long periodMs) {
    EventLoopLag probe = new EventLoopLag(periodMs);
    Gauge.builder("mcp_gateway_event_loop_lag_seconds", probe.lagNanos, n -> n.get() / 1e9)
        .description("how late a periodic event-loop timer last fired").register(metrics.registry());
    probe.expected = System.nanoTime() + periodMs * 1_000_000;
    probe.timerId = vertx.setPeriodic(periodMs, t -> {
      long now = System.nanoTime();
      probe.lagNanos.set(Math.max(0, now - probe.expected));
      probe.expected = now + probe.periodMs * 1_000_000;
    });
    return probe;
  }

  public void stop(Vertx vertx) {
    vertx.cancelTimer(timerId);
  }
}
