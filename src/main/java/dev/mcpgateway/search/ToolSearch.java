package dev.mcpgateway.search;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Ranked search over a fixed set of MCP tool definitions: an immutable in-memory Apache Lucene index,
 * BM25 over the tool's name, titles, description and input-schema properties (in that order of weight),
 * for the portal's search tool ({@code portal_query_tools}). See this package's README.
 *
 * <p>The query is natural language from an agent and is never parsed as Lucene syntax ({@link ToolQuery}):
 * {@code *}, {@code :}, quotes or {@code AND} are just characters. A query word equal to a tool's whole
 * name ranks that tool first. Only the first {@value ToolQuery#MAX_CHARS} characters and
 * {@value ToolQuery#MAX_TERMS} distinct terms of a query count. A query with no searchable term (empty,
 * blank, only stop words or punctuation) finds nothing.
 *
 * <p>Order: score descending, then name ascending ({@link String#compareTo}): the same tools give the
 * same order whatever their input order and however often the index is rebuilt.
 *
 * <p>{@link #index} is blocking (it builds the index: some 75 ms for 1,000 tools on 2 cores, see
 * {@code bench/results/search/SEARCH.md}): callers run it off the event loop. {@link #search} is fast
 * (a fraction of a millisecond at 1,000 tools), thread-safe, and never throws on any input.
 */
public final class ToolSearch {
  /** Results per search: at least 1, at most this. */
  public static final int MAX_LIMIT = 50;

  /** One result: the tool's name, its score (higher is better) and its full definition (a copy). */
  public record Hit(String name, float score, JsonObject tool) {}

  /** The tools in name order: doc id i is tools.get(i). */
  private final List<JsonObject> tools;
  private final IndexSearcher searcher;
  private final ToolQuery queries;

  private ToolSearch(List<JsonObject> tools, IndexSearcher searcher, ToolQuery queries) {
    this.tools = tools;
    this.searcher = searcher;
    this.queries = queries;
  }

  /**
   * Indexes {@code tools} (MCP tool definitions; copied, so later changes to them do not show).
   * Entries that are null or have no string {@code name} are skipped; fields of the wrong type are
   * ignored. Blocking.
   */
  public static ToolSearch index(List<JsonObject> tools) {
    return index(tools, SearchTuning.DEFAULT);
  }

  static ToolSearch index(List<JsonObject> tools, SearchTuning tuning) {
    Objects.requireNonNull(tools, "tools");
    List<Entry> entries = new ArrayList<>();
    for (JsonObject tool : tools) {
      if (tool == null) continue;
      ToolText text = ToolText.of(tool);
      if (text != null) entries.add(new Entry(text, tool.copy()));
    }
    // Stable: tools of the same name keep their input order.
    entries.sort(Comparator.comparing(e -> e.text.name()));
    ToolAnalyzer analyzer = new ToolAnalyzer(tuning.stemmer(), tuning.abbreviations(), tuning.catenate());
    ByteBuffersDirectory directory = new ByteBuffersDirectory();
    try {
      // One writer thread and a merge policy that merges only neighbouring segments: doc ids follow the
      // order of addition, i.e. name order, so Lucene's tie-break (the lower doc id) is the name.
      IndexWriterConfig config = new IndexWriterConfig(analyzer)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
          .setMergePolicy(new LogByteSizeMergePolicy());
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int ord = 0; ord < entries.size(); ord++) writer.addDocument(ToolFields.document(entries.get(ord).text, ord));
        writer.forceMerge(1);
      }
      DirectoryReader reader = DirectoryReader.open(directory);
      checkNameOrder(reader, entries.size());
      IndexSearcher searcher = new IndexSearcher(reader);
      // Nothing worth caching on an index this small, and the cache's bookkeeping is shared by all searches.
      searcher.setQueryCache(null);
      return new ToolSearch(entries.stream().map(e -> e.tool).toList(), searcher, new ToolQuery(analyzer, tuning));
    } catch (IOException e) {
      throw new UncheckedIOException("indexing tools in memory", e);
    }
  }

  /** How many tools are indexed. */
  public int size() {
    return tools.size();
  }

  /**
   * The best tools for {@code query}, at most {@code limit} (clamped to 1–{@value #MAX_LIMIT}), best
   * first. Empty for a null query or one with no searchable term. Never throws on any input.
   */
  public List<Hit> search(String query, int limit) {
    if (query == null || tools.isEmpty()) return List.of();
    Query q = queries.build(query);
    if (q == null) return List.of();
    int n = Math.max(1, Math.min(MAX_LIMIT, limit));
    try {
      TopDocs top = searcher.search(q, n);
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc doc : top.scoreDocs) {
        JsonObject tool = tools.get(doc.doc);
        hits.add(new Hit(tool.getString("name"), doc.score, tool.copy()));
      }
      return hits;
    } catch (IOException e) {
      // An in-memory index does no I/O: a broken invariant, not bad input.
      throw new UncheckedIOException("searching the in-memory tool index", e);
    }
  }

  /** Fails unless doc i holds the i-th tool in name order (the tie-break relies on it). */
  private static void checkNameOrder(DirectoryReader reader, int count) throws IOException {
    if (reader.maxDoc() != count || reader.leaves().size() > 1) {
      throw new IllegalStateException("expected one segment of " + count + " tools, got " + reader.leaves().size() + " of " + reader.maxDoc());
    }
    if (count == 0) return;
    NumericDocValues ords = reader.leaves().get(0).reader().getNumericDocValues(ToolFields.ORD);
    for (int doc = 0; doc < count; doc++) {
      if (ords == null || !ords.advanceExact(doc) || ords.longValue() != doc) {
        throw new IllegalStateException("tool index out of name order at doc " + doc);
      }
    }
  }

  private record Entry(ToolText text, JsonObject tool) {}
}
