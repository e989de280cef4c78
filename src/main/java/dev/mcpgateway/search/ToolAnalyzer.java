package dev.mcpgateway.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.util.CharsRef;

/**
 * The one analysis chain for tool text and agent queries alike, so both sides meet on the same terms:
 * whitespace tokens; identifiers split into their words by {@link WordDelimiterGraphFilter}
 * ({@code github_list_issues}, {@code get-env}, {@code messageType}, {@code my-server_get-data}) with the
 * joined form kept too ({@code getenv}, {@code googledrive}) and letters+digits left whole ({@code s3},
 * {@code oauth2}, {@code ec2}); lower case; accents folded; common abbreviations also as their word
 * ({@code env} → {@code environment}); stop words ({@link #STOP_WORDS}); a stemmer.
 *
 * <p>Thread-safe (Lucene reuses one token stream per thread).
 */
final class ToolAnalyzer extends Analyzer {
  /**
   * Which English stemmer; {@code bench/search.sh} measures each. {@code KSTEM_PLURALS}, the default, is
   * KStem (dictionary-based, so it does not over-stem as Porter does: "generate" stays a word) followed by
   * plural folding for the words KStem's dictionary leaves alone ("numbers", "returns").
   */
  enum Stemmer { PORTER, KSTEM, KSTEM_PLURALS, MINIMAL, NONE }

  /**
   * Abbreviations common in tool and parameter names, each also indexed (and searched) as the word it
   * stands for, so that "environment variable" finds {@code create_env_var}. One word to one word only:
   * a multi-word expansion would make a token graph.
   */
  static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
      Map.entry("env", "environment"), Map.entry("envs", "environments"), Map.entry("var", "variable"),
      Map.entry("vars", "variables"), Map.entry("repo", "repository"), Map.entry("repos", "repositories"),
      Map.entry("db", "database"), Map.entry("dbs", "databases"), Map.entry("msg", "message"),
      Map.entry("msgs", "messages"), Map.entry("config", "configuration"), Map.entry("info", "information"),
      Map.entry("auth", "authentication"), Map.entry("dir", "directory"), Map.entry("doc", "document"),
      Map.entry("docs", "documents"), Map.entry("img", "image"), Map.entry("org", "organization"),
      Map.entry("stats", "statistics"), Map.entry("params", "parameters"), Map.entry("args", "arguments"),
      Map.entry("desc", "description"), Map.entry("num", "number"), Map.entry("max", "maximum"),
      Map.entry("min", "minimum"), Map.entry("k8s", "kubernetes"));
  private static final SynonymMap ABBREVIATION_MAP = abbreviationMap();

  /**
   * Lucene's English stop words plus the question words and pronouns of an agent's request ("what", "my",
   * "please"), which say nothing about the tool wanted: without them "what's the weather" ranks
   * {@code send_whatsapp} first (WhatsApp splits into "whats" "app", and "whats" stems to "what"). Not
   * "who", "when" or "where": descriptions use them ("who is on call").
   */
  static final CharArraySet STOP_WORDS = stopWords();

  private final Stemmer stemmer;
  private final boolean abbreviations;
  private final int wordDelimiterFlags;

  ToolAnalyzer(Stemmer stemmer, boolean abbreviations, boolean catenate) {
    this.stemmer = stemmer;
    this.abbreviations = abbreviations;
    int flags = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
        | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
        | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
        | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;
    if (catenate) flags |= WordDelimiterGraphFilter.CATENATE_WORDS;
    this.wordDelimiterFlags = flags;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source = new WhitespaceTokenizer();
    // "what's" is "what", not the joined "whats" (which WhatsApp also gives).
    TokenStream stream = new EnglishPossessiveFilter(source);
    // Runs on the original case (camelCase boundaries), so before the lower-casing.
    stream = new WordDelimiterGraphFilter(stream, wordDelimiterFlags, null);
    stream = new FlattenGraphFilter(stream);
    stream = new LowerCaseFilter(stream);
    stream = new ASCIIFoldingFilter(stream);
    if (abbreviations) stream = new SynonymGraphFilter(stream, ABBREVIATION_MAP, true);
    stream = new StopFilter(stream, STOP_WORDS);
    stream = switch (stemmer) {
      case PORTER -> new PorterStemFilter(stream);
      case KSTEM -> new KStemFilter(stream);
      case KSTEM_PLURALS -> new EnglishMinimalStemFilter(new KStemFilter(stream));
      case MINIMAL -> new EnglishMinimalStemFilter(stream);
      case NONE -> stream;
    };
    return new TokenStreamComponents(source, stream);
  }

  private static CharArraySet stopWords() {
    CharArraySet words = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false);
    words.addAll(List.of("what", "which", "how", "why", "i", "me", "my", "we", "us", "our", "you", "your",
        "please", "can", "could", "would", "should"));
    return CharArraySet.unmodifiableSet(words);
  }

  private static SynonymMap abbreviationMap() {
    SynonymMap.Builder builder = new SynonymMap.Builder(true);
    ABBREVIATIONS.forEach((abbreviation, word) -> builder.add(new CharsRef(abbreviation), new CharsRef(word), true));
    try {
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("building the abbreviation map in memory", e);
    }
  }
}
