package dev.mcpgateway.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns an agent's text into a Lucene query without parsing it: the text is analysed like the tools,
 * each distinct term becomes an optional clause over the four text fields (dis-max or sum, per
 * {@link SearchTuning}), and each whitespace word is also tried as a whole tool name and as a server id.
 * So {@code *}, {@code :}, quotes or {@code AND} are just characters, and the clause count is bounded
 * whatever the input: only the first {@value #MAX_CHARS} characters and {@value #MAX_TERMS} distinct
 * terms and words count.
 */
final class ToolQuery {
  static final int MAX_CHARS = 1_000;
  static final int MAX_TERMS = 32;
  static final float EXACT_BOOST = 5f;
  private static final String TRIM = "\"'`.,;:!?()[]{}<>";

  private final ToolAnalyzer analyzer;
  private final SearchTuning tuning;

  ToolQuery(ToolAnalyzer analyzer, SearchTuning tuning) {
    this.analyzer = analyzer;
    this.tuning = tuning;
  }

  /** The query for {@code text}, or null when it has nothing to search for. */
  Query build(String text) {
    String capped = truncate(text);
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    Set<String> terms = terms(capped);
    for (String term : terms) builder.add(termAcrossFields(term), BooleanClause.Occur.SHOULD);
    Set<String> words = words(capped);
    for (String word : words) {
      builder.add(new BoostQuery(new TermQuery(new Term(ToolFields.EXACT, word)), EXACT_BOOST), BooleanClause.Occur.SHOULD);
      builder.add(new BoostQuery(new TermQuery(new Term(ToolFields.SERVER, word)), tuning.serverBoost()), BooleanClause.Occur.SHOULD);
    }
    // Words alone (punctuation, an emoji) cannot find anything but a tool so named: no terms, no search.
    return terms.isEmpty() && words.isEmpty() ? null : builder.build();
  }

  /** The distinct analysed terms of {@code text}, in order, at most {@value #MAX_TERMS}. */
  Set<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(ToolFields.DESCRIPTION, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (terms.size() < MAX_TERMS && stream.incrementToken()) {
        if (term.length() > 0) terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing a query from a string", e);
    }
    return terms;
  }

  private Query termAcrossFields(String term) {
    List<Query> perField = List.of(
        boosted(ToolFields.NAME, term, tuning.nameBoost()),
        boosted(ToolFields.TITLE, term, tuning.titleBoost()),
        boosted(ToolFields.DESCRIPTION, term, tuning.descriptionBoost()),
        boosted(ToolFields.PARAMS, term, tuning.paramBoost()));
    if (tuning.dismax()) return new DisjunctionMaxQuery(perField, tuning.tie());
    BooleanQuery.Builder sum = new BooleanQuery.Builder();
    perField.forEach(q -> sum.add(q, BooleanClause.Occur.SHOULD));
    return sum.build();
  }

  private static Query boosted(String field, String term, float boost) {
    return new BoostQuery(new TermQuery(new Term(field, term)), boost);
  }

  /** Whitespace words, lower-cased, quotes and punctuation trimmed: a name as written, `github_create_issue`. */
  static Set<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    for (String raw : text.split("\\s+")) {
      int start = 0;
      int end = raw.length();
      while (start < end && TRIM.indexOf(raw.charAt(start)) >= 0) start++;
      while (end > start && TRIM.indexOf(raw.charAt(end - 1)) >= 0) end--;
      if (end > start) words.add(raw.substring(start, end).toLowerCase(Locale.ROOT));
      if (words.size() >= MAX_TERMS) break;
    }
    return words;
  }

  static String truncate(String text) {
    if (text.length() <= MAX_CHARS) return text;
    int end = MAX_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end);
  }
}
