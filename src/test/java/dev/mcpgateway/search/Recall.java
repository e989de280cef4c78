package dev.mcpgateway.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval quality of a {@link ToolSearch} configuration over the labelled queries. recall@k is the
 * share of queries with an expected tool in the top k (each query's {@code expected} lists the
 * acceptable answers, so this is also its hit rate); MRR is the mean of 1/rank of the first expected
 * tool (0 when it is not in the top {@value #DEPTH}).
 */
final class Recall {
  static final int DEPTH = 10;
  static final String OVERALL = "overall";

  record Score(int queries, double at1, double at5, double at10, double mrr) {}

  record Miss(LabelledQuery query, int rank, List<String> top) {}

  record Report(Map<String, Score> scores, List<Miss> misses) {}

  private Recall() {}

  /** Runs every query against the index of its catalogue; scores per catalogue and {@link #OVERALL}. */
  static Report measure(List<LabelledQuery> queries, Map<String, ToolSearch> indexes) {
    Map<String, List<Integer>> ranks = new LinkedHashMap<>();
    List<Miss> misses = new ArrayList<>();
    for (LabelledQuery q : queries) {
      ToolSearch index = indexes.get(q.catalogue());
      if (index == null) throw new IllegalArgumentException("no catalogue " + q.catalogue() + " for " + q);
      List<String> top = index.search(q.query(), DEPTH).stream().map(ToolSearch.Hit::name).toList();
      int rank = q.rankIn(top);
      ranks.computeIfAbsent(q.catalogue(), c -> new ArrayList<>()).add(rank);
      ranks.computeIfAbsent(OVERALL, c -> new ArrayList<>()).add(rank);
      if (rank != 1) misses.add(new Miss(q, rank, top.subList(0, Math.min(5, top.size()))));
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    for (String catalogue : Catalogues.NAMES) if (ranks.containsKey(catalogue)) scores.put(catalogue, score(ranks.get(catalogue)));
    scores.put(OVERALL, score(ranks.getOrDefault(OVERALL, List.of())));
    return new Report(scores, misses);
  }

  private static Score score(List<Integer> ranks) {
    int n = ranks.size();
    double at1 = 0, at5 = 0, at10 = 0, rr = 0;
    for (int r : ranks) {
      if (r == 0) continue;
      if (r <= 1) at1++;
      if (r <= 5) at5++;
      if (r <= 10) at10++;
      rr += 1.0 / r;
    }
    return n == 0 ? new Score(0, 0, 0, 0, 0) : new Score(n, at1 / n, at5 / n, at10 / n, rr / n);
  }
}
