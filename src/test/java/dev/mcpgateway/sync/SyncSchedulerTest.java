package dev.mcpgateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ServerStatus;
import dev.mcpgateway.store.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyncSchedulerTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  final SyncScheduler scheduler = new SyncScheduler(null, null, null, null,
      new SyncScheduler.Settings(Duration.ofHours(2), Duration.ofSeconds(30), Duration.ofMinutes(1), 0.0, 4));
  final SyncScheduler jittery = new SyncScheduler(null, null, null, null,
      new SyncScheduler.Settings(Duration.ofHours(2), Duration.ofSeconds(30), Duration.ofMinutes(1), 0.1, 4));

  /** Minutes before NOW; empty = never. */
  @ParameterizedTest(name = "{0}: synced {1} min ago, success {2} min ago, created {3} min ago → due={4}")
  @CsvSource({
      "waiting,   ,    , 1,   true",
      "ready,     119, 119, 500, false",
      "ready,     120, 120, 500, true",
      "ready,     300, 300, 500, true",
      // failed: backoff = the failing streak so far (synced − last success), between 30 s and 2 h
      "error,     0,   1,   500, false",
      "error,     1,   1,   500, true",
      "error,     10,  20,  500, true",
      "error,     9,   20,  500, false",
      "error,     119, 500, 500, false",
      "error,     120, 500, 500, true",
      "error,     1,   ,    2,   true",
      "error,     1,   ,    30,  false",
  })
  void dueness(String status, Long syncedAgo, Long successAgo, Long createdAgo, boolean due) {
    SyncState state = new SyncState(new ServerKey("acme", "s"), ServerStatus.fromWire(status).orElseThrow(),
        ago(syncedAgo), ago(successAgo), ago(createdAgo));
    assertEquals(due, scheduler.isDue(state, NOW));
  }

  @Test
  void jitterIsStablePerServerWithinItsBoundsAndSpreadsServers() {
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ServerKey key = new ServerKey("acme", "server-" + i);
      Duration jitter = jittery.jitter(key);
      assertEquals(jitter, jittery.jitter(key));
      assertTrue(jitter.abs().compareTo(Duration.ofMinutes(12)) <= 0, jitter.toString());
      seen.add(jitter);
    }
    assertTrue(seen.size() > 150, "servers created together must not all resync together");
  }

  private static Instant ago(Long minutes) {
    return minutes == null ? null : NOW.minus(Duration.ofMinutes(minutes));
  }
}
