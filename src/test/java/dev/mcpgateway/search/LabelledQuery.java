package dev.mcpgateway.search;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code search/queries.jsonl}: a natural-language query, the tools that answer it (any one
 * counts) and the catalogue it runs against.
 */
record LabelledQuery(String query, List<String> expected, String catalogue) {
  /** The set the search was tuned on. */
  static List<LabelledQuery> load() {
    return load("/search/queries.jsonl");
  }

  /** The held-out set: written after the tuning, by someone who did not run the search; never tuned on. */
  static List<LabelledQuery> heldOut() {
    return load("/search/queries-heldout.jsonl");
  }

  static List<LabelledQuery> load(String resource) {
    List<LabelledQuery> queries = new ArrayList<>();
    for (String line : Catalogues.resource(resource).split("\n")) {
      if (line.isBlank()) continue;
      JsonObject o = new JsonObject(line);
      List<String> expected = new ArrayList<>();
      o.getJsonArray("expected").forEach(e -> expected.add((String) e));
      queries.add(new LabelledQuery(o.getString("query"), List.copyOf(expected), o.getString("catalogue")));
    }
    return List.copyOf(queries);
  }

  /** The 1-based rank of the first expected tool among {@code names}, or 0 when none is there. */
  int rankIn(List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (expected.contains(names.get(i))) return i + 1;
    }
    return 0;
  }
}
