package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mcpgateway.model.ToolCallKey;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link ToolCallCounts} passes, run against the embedded store and
 * PostgreSQL: adds sum (also concurrent ones, as replicas' flushes are), reads select by account,
 * time, server and portal, acknowledged counts survive reopening, the purge removes what is before
 * its cutoff only, and closed storage fails as unavailable.
 */
abstract class ToolCallCountsContract extends StoresFixture {
  static final Instant DAY = Instant.parse("2026-03-04T00:00:00Z");
  static final Instant Q1 = DAY.plusSeconds(15 * 60);
  static final Instant Q2 = DAY.plusSeconds(23 * 3600 + 45 * 60);
  static final Instant NEXT_DAY = DAY.plusSeconds(24 * 3600);

  ToolCallCounts counts() {
    return stores.toolCalls();
  }

  static ToolCallKey key(String account, Instant bucket, String server, String portal, String tool) {
    return new ToolCallKey(account, bucket, server, portal, tool);
  }

  Map<ToolCallKey, Long> all(String account) {
    return result(counts().read(new ToolCallQuery(account, null, null, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))));
  }

  @Test
  void addsSumUnderTheirKeys() {
    ToolCallKey echo = key("acme", Q1, "every", null, "echo");
    ToolCallKey viaPortal = key("acme", Q1, "every", "team", "every_echo");
    result(counts().add(Map.of(echo, 2L, viaPortal, 1L)));
    result(counts().add(Map.of(echo, 3L)));
    assertEquals(Map.of(echo, 5L, viaPortal, 1L), all("acme"));
    assertEquals(Map.of(), all("other"), "accounts are isolated");
    result(counts().add(Map.of()));
    assertEquals(Map.of(echo, 5L, viaPortal, 1L), all("acme"), "an empty batch changes nothing");
  }

  @Test
  void readsSelectByTimeServerAndPortal() {
    ToolCallKey a = key("acme", DAY, "every", null, "echo");
    ToolCallKey b = key("acme", Q2, "every", "team", "every_add");
    ToolCallKey c = key("acme", NEXT_DAY, "other", "team", "other_echo");
    result(counts().add(Map.of(a, 1L, b, 2L)));
    result(counts().add(Map.of(c, 4L)));
    assertEquals(Map.of(a, 1L, b, 2L), result(counts().read(new ToolCallQuery("acme", null, null, DAY, NEXT_DAY))),
        "start inclusive, end exclusive");
    assertEquals(Map.of(b, 2L), result(counts().read(new ToolCallQuery("acme", null, null, Q1, NEXT_DAY))));
    assertEquals(Map.of(a, 1L, b, 2L), result(counts().read(new ToolCallQuery("acme", "every", null, DAY, NEXT_DAY.plusSeconds(900)))));
    assertEquals(Map.of(b, 2L, c, 4L), result(counts().read(new ToolCallQuery("acme", null, "team", DAY, NEXT_DAY.plusSeconds(900)))));
    assertEquals(Map.of(c, 4L), result(counts().read(new ToolCallQuery("acme", "other", "team", DAY, NEXT_DAY.plusSeconds(900)))));
    assertEquals(Map.of(), result(counts().read(new ToolCallQuery("acme", null, null, NEXT_DAY, NEXT_DAY))), "an empty range");
  }

  @Test
  void aBatchAcrossDaysAndAccountsIsStoredWhole() {
    ToolCallKey a = key("acme", Q2, "every", null, "echo");
    ToolCallKey b = key("acme", NEXT_DAY, "every", null, "echo");
    ToolCallKey c = key("globex", Q1, "srv", null, "t");
    result(counts().add(Map.of(a, 1L, b, 2L, c, 3L)));
    assertEquals(Map.of(a, 1L, b, 2L), all("acme"));
    assertEquals(Map.of(c, 3L), all("globex"));
  }

  @Test
  void concurrentAddsLoseNothing() {
    ToolCallKey echo = key("acme", Q1, "every", null, "echo");
    ToolCallKey add = key("acme", Q1, "every", null, "add");
    List<Future<Void>> adds = new ArrayList<>();
    for (int i = 0; i < 20; i++) adds.add(counts().add(Map.of(echo, 1L, add, 2L)));
    result(Future.all(adds));
    assertEquals(Map.of(echo, 20L, add, 40L), all("acme"));
  }

  @Test
  void acknowledgedCountsSurviveReopening() {
    ToolCallKey echo = key("acme", Q1, "every", "team", "every_echo");
    result(counts().add(Map.of(echo, 7L)));
    reopen();
    assertEquals(Map.of(echo, 7L), all("acme"));
    result(counts().add(Map.of(echo, 1L)));
    assertEquals(Map.of(echo, 8L), all("acme"));
  }

  @Test
  void thePurgeRemovesWhatIsBeforeItsCutoffOnly() {
    ToolCallKey old = key("acme", DAY, "every", null, "echo");
    ToolCallKey later = key("acme", Q1, "every", null, "echo");
    ToolCallKey next = key("globex", NEXT_DAY, "srv", null, "t");
    result(counts().add(Map.of(old, 1L, later, 2L)));
    result(counts().add(Map.of(next, 3L)));
    assertEquals(0, result(counts().purgeBefore(DAY)));
    assertEquals(1, result(counts().purgeBefore(Q1)));
    assertEquals(Map.of(later, 2L), all("acme"));
    assertEquals(1, result(counts().purgeBefore(NEXT_DAY)));
    assertEquals(Map.of(), all("acme"));
    assertEquals(Map.of(next, 3L), all("globex"));
    reopen();
    assertEquals(Map.of(), all("acme"), "purged for good");
    assertEquals(Map.of(next, 3L), all("globex"));
  }

  @Test
  void nonPositiveCountsAreRefused() {
    assertInstanceOf(IllegalArgumentException.class, failure(counts().add(Map.of(key("acme", Q1, "every", null, "echo"), 0L))));
    assertEquals(Map.of(), all("acme"));
  }

  @Test
  void closedStorageFailsAsUnavailable() {
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(counts().add(Map.of(key("acme", Q1, "every", null, "echo"), 1L))));
    stores = result(open());
  }
}
