package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tool-call counts contract against the real PostgreSQL, a schema per test; and what is particular
 * to it: replicas adding to the same keys at once, in opposite orders, sum without deadlocking.
 */
class PgToolCallCountsTest extends ToolCallCountsContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }

  @Test
  void twoReplicasAddingToTheSameKeysSumWithoutDeadlock() {
    Stores other = result(open());
    try {
      Map<ToolCallKey, Long> batch = new HashMap<>();
      for (int i = 0; i < 50; i++) batch.put(key("acme", Q1, "every", null, "tool-" + i), 1L);
      List<Future<Void>> adds = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        adds.add(counts().add(batch));
        adds.add(other.toolCalls().add(batch));
      }
      result(Future.all(adds));
      Map<ToolCallKey, Long> expected = new HashMap<>();
      batch.keySet().forEach(k -> expected.put(k, 20L));
      assertEquals(expected, all("acme"));
    } finally {
      result(other.close());
    }
  }
}
