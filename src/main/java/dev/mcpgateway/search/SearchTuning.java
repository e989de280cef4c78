package dev.mcpgateway.search;

/**
 * The knobs of {@link ToolSearch}'s analysis and ranking. Production uses {@link #DEFAULT}; the other
 * values exist so that {@code bench/search.sh} can measure the alternatives on the labelled queries
 * (its SEARCH.md shows what each choice is worth).
 *
 * @param stemmer the English stemmer
 * @param abbreviations index and search abbreviations also as their word ({@link ToolAnalyzer#ABBREVIATIONS})
 * @param catenate also index the joined form of split identifiers ({@code get-env} → {@code getenv})
 * @param dismax per query term, score the best field plus {@code tie} times the others (a word in the name
 *     and the description is not counted twice over); false sums the fields
 * @param tie the share of the other fields' scores under dis-max
 * @param nameBoost weight of the tool name's words
 * @param titleBoost weight of {@code title} and {@code annotations.title}
 * @param descriptionBoost weight of the description
 * @param paramBoost weight of the input schema's property names and descriptions
 * @param serverBoost weight of a query word that is the {@code {server}_} prefix of a portal name
 */
record SearchTuning(ToolAnalyzer.Stemmer stemmer, boolean abbreviations, boolean catenate, boolean dismax, float tie,
    float nameBoost, float titleBoost, float descriptionBoost, float paramBoost, float serverBoost) {

  static final SearchTuning DEFAULT = new SearchTuning(ToolAnalyzer.Stemmer.KSTEM_PLURALS, true, true, true, 0.2f, 1.25f, 1f, 1f, 0.4f, 1f);

  SearchTuning withStemmer(ToolAnalyzer.Stemmer s) {
    return new SearchTuning(s, abbreviations, catenate, dismax, tie, nameBoost, titleBoost, descriptionBoost, paramBoost, serverBoost);
  }

  SearchTuning withAbbreviations(boolean on) {
    return new SearchTuning(stemmer, on, catenate, dismax, tie, nameBoost, titleBoost, descriptionBoost, paramBoost, serverBoost);
  }

  SearchTuning withCatenate(boolean on) {
    return new SearchTuning(stemmer, abbreviations, on, dismax, tie, nameBoost, titleBoost, descriptionBoost, paramBoost, serverBoost);
  }

  SearchTuning withDismax(boolean on) {
    return new SearchTuning(stemmer, abbreviations, catenate, on, tie, nameBoost, titleBoost, descriptionBoost, paramBoost, serverBoost);
  }

  SearchTuning withTie(float t) {
    return new SearchTuning(stemmer, abbreviations, catenate, dismax, t, nameBoost, titleBoost, descriptionBoost, paramBoost, serverBoost);
  }

  SearchTuning withServerBoost(float b) {
    return new SearchTuning(stemmer, abbreviations, catenate, dismax, tie, nameBoost, titleBoost, descriptionBoost, paramBoost, b);
  }

  SearchTuning withBoosts(float name, float title, float description, float param) {
    return new SearchTuning(stemmer, abbreviations, catenate, dismax, tie, name, title, description, param, serverBoost);
  }
}
