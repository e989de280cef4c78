package dev.mcpgateway.support;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves the blocked-thread guard is live: a deliberately blocked event loop is noticed. */
class NoBlockedThreadsTest {

  @Test
  void aBlockedEventLoopIsReported() {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      result(vertx.<Void>executeBlocking(() -> null)); // warm up
      NoBlockedThreads.drain();
      vertx.runOnContext(v -> spin(400));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      List<String> seen = List.of();
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        seen = NoBlockedThreads.drain();
        if (seen.isEmpty()) spinOffLoop();
      }
      assertFalse(seen.isEmpty(), "the blocked-thread checker's warning was not captured");
      assertTrue(seen.stream().anyMatch(m -> m.contains("blocked")), seen.toString());
    } finally {
      result(vertx.close());
      NoBlockedThreads.drain();
    }
  }

  /** Busy work on the event loop: the very thing production code must never do. */
  private static void spin(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) Thread.onSpinWait();
  }

  private static void spinOffLoop() {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    while (System.nanoTime() < end) Thread.onSpinWait();
  }
}
