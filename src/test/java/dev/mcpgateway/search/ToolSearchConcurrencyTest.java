package dev.mcpgateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One index, searched from many threads at once, answers each query as it does alone. */
class ToolSearchConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 5;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void parallelSearchesAnswerAsSerialOnes() throws Exception {
    ToolSearch index = ToolSearch.index(CatalogueGenerator.generate());
    List<LabelledQuery> queries = LabelledQuery.load();
    List<List<ToolSearch.Hit>> expected = new ArrayList<>();
    for (LabelledQuery q : queries) expected.add(index.search(q.query(), 10));

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t * 17;
        results.add(pool.submit(() -> {
          start.await();
          int checked = 0;
          for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < queries.size(); i++) {
              int k = (i + offset) % queries.size();
              List<ToolSearch.Hit> got = index.search(queries.get(k).query(), 10);
              if (!got.equals(expected.get(k))) throw new AssertionError(queries.get(k).query() + ": " + got + " vs " + expected.get(k));
              checked++;
            }
          }
          return checked;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) total += f.get(100, TimeUnit.SECONDS);
      assertEquals(THREADS * ROUNDS * queries.size(), total);
    } finally {
      pool.shutdownNow();
    }
  }
}
