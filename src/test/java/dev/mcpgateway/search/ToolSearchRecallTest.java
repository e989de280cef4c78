package dev.mcpgateway.search;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Guards the search's quality against regressions: recall@5 on the labelled queries
 * ({@code search/queries.jsonl}) must not fall below floors set just under what was measured when the
 * tuning was chosen. Measured (and reported by {@code bench/search.sh}): everything 26/27 = 0.963,
 * peers 14/14 = 1.000, generated 104/105 = 0.990, overall 144/146 = 0.986. One more miss in any
 * catalogue fails this test: a change that costs recall has to say so, here and in SEARCH.md.
 */
class ToolSearchRecallTest {
  private static final Map<String, Double> FLOORS = Map.of(
      Catalogues.EVERYTHING, 0.96,
      Catalogues.PEERS, 1.0,
      Catalogues.GENERATED, 0.98,
      Recall.OVERALL, 0.98);

  @Test
  void recallAt5StaysAboveItsFloors() {
    Map<String, List<JsonObject>> catalogues = Catalogues.all();
    List<LabelledQuery> queries = LabelledQuery.load();
    assertTrue(queries.size() >= 100, "at least 100 labelled queries, not " + queries.size());
    for (LabelledQuery q : queries) {
      Set<String> names = new HashSet<>();
      List<JsonObject> catalogue = catalogues.get(q.catalogue());
      assertTrue(catalogue != null, "unknown catalogue in " + q);
      catalogue.forEach(t -> names.add(t.getString("name")));
      assertTrue(!q.expected().isEmpty() && names.containsAll(q.expected()), "expects a tool its catalogue lacks: " + q);
    }

    Recall.Report report = Recall.measure(queries, SearchBenchmark.indexes(catalogues, SearchTuning.DEFAULT));
    StringBuilder table = new StringBuilder();
    report.scores().forEach((name, s) -> table.append(String.format(Locale.ROOT,
        "%-10s queries %3d  recall@1 %.3f  recall@5 %.3f  recall@10 %.3f  MRR %.3f%n", name, s.queries(), s.at1(), s.at5(), s.at10(), s.mrr())));
    report.misses().stream().filter(m -> m.rank() == 0 || m.rank() > 5)
        .forEach(m -> table.append("missed at 5: ").append(m.query().query()).append(" -> ").append(m.top()).append('\n'));
    System.out.print(table);
    FLOORS.forEach((name, floor) -> assertTrue(report.scores().get(name).at5() >= floor,
        () -> name + " recall@5 " + report.scores().get(name).at5() + " fell below " + floor + "\n" + table));
  }
}
