package dev.mcpgateway.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.store.ToolCallQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The hot path's counter: exact under concurrent counting and draining, bounded, and what it leaves out. */
class ToolCallCounterTest {
  static final Instant AT = Instant.parse("2026-03-04T10:07:00Z");
  static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
  static final ToolCallKey ECHO = new ToolCallKey("acme", Instant.parse("2026-03-04T10:00:00Z"), "every", null, "echo");

  @Test
  void countsConcurrentCallsExactlyWhileFlushesDrain() throws Exception {
    ToolCallCounter counter = new ToolCallCounter(CLOCK, 1000);
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      callers.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 10_000; i++) counter.toolCall("acme", "every", null, "echo");
      }));
    }
    Map<ToolCallKey, Long> flushed = new ConcurrentHashMap<>();
    while (callers.stream().anyMatch(Thread::isAlive)) counter.drain().forEach((k, v) -> flushed.merge(k, v, Long::sum));
    for (Thread caller : callers) caller.join();
    counter.drain().forEach((k, v) -> flushed.merge(k, v, Long::sum));
    assertEquals(Map.of(ECHO, 40_000L), flushed, "nothing lost, nothing twice");
  }

  @Test
  void boundedByKeysWithCallsUnderHeldKeysStillCountedAndPutBackCountsReturn() {
    ToolCallCounter counter = new ToolCallCounter(CLOCK, 2);
    counter.toolCall("acme", "every", null, "echo");
    counter.toolCall("acme", "every", "team", "every_echo");
    counter.toolCall("acme", "every", null, "add");
    counter.toolCall("acme", "every", null, "echo");
    assertEquals(2, counter.size());
    assertEquals(1, counter.dropped());
    Map<ToolCallKey, Long> drained = counter.drain();
    assertEquals(2L, drained.get(ECHO));
    assertEquals(0, counter.size());
    counter.toolCall("acme", "every", null, "echo");
    counter.putBack(drained);
    ToolCallQuery all = new ToolCallQuery("acme", null, null, Instant.EPOCH, AT.plusSeconds(3600));
    Map<ToolCallKey, Long> expected = new HashMap<>(drained);
    expected.put(ECHO, 3L);
    assertEquals(expected, counter.pending(all));
    assertEquals(Map.of(), counter.pending(new ToolCallQuery("other", null, null, Instant.EPOCH, AT.plusSeconds(3600))));
    assertEquals(Map.of(ECHO, 3L), counter.pending(new ToolCallQuery("acme", null, null, Instant.EPOCH, AT.plusSeconds(3600)))
        .entrySet().stream().filter(e -> e.getKey().portalId() == null).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  @Test
  void aCallAttributedToNoAccountIsLeftOut() {
    ToolCallCounter counter = new ToolCallCounter(CLOCK, 10);
    counter.toolCall("unknown", "unknown", "team", "other");
    assertEquals(0, counter.size());
    counter.toolCall("acme", "unknown", "team", "other"); // Code Mode's refused call: its account is known
    assertEquals(1, counter.size());
  }
}
