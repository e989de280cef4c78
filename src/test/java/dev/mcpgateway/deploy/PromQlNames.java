package dev.mcpgateway.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The series names a PromQL expression selects and, for each, the label names it relies on: those
 * in its matchers ({@code x{server="a"}}) and those a {@code by}/{@code without} clause groups by
 * over it. Names are kept exactly as written ({@code x_bucket}, {@code x_total}), so the caller
 * compares them with the sample names of a scrape: stricter than mapping {@code _bucket} to its
 * family, since a timer without buckets has a family but no {@code _bucket} series to feed
 * {@code histogram_quantile}.
 *
 * <p>Not a PromQL parser: a lexer and a walk over its tokens, enough for what dashboards and rules
 * write. Function and aggregation names are the identifiers followed by {@code (}; {@code [...]}
 * (ranges, subqueries, Grafana's {@code $__rate_interval}) and strings are skipped. One-to-one
 * matching ({@code on}, {@code ignoring}, {@code group_left}) is refused rather than half-checked.
 * A {@code by} label is checked against the raw series inside its aggregation, so a label an inner
 * aggregation already removed passes unnoticed.
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
  private static final Set<String> GROUPING = Set.of("by", "without");
  private static final Set<String> MATCHING = Set.of("on", "ignoring", "group_left", "group_right");

  private enum Kind { IDENT, NUMBER, STRING, VARIABLE, PUNCT }

  private record Token(Kind kind, String text) {}

  private PromQlNames() {}

  /** Series name → label names used on it, in order of appearance. */
  static Map<String, Set<String>> of(String expr) {
    List<Token> tokens = lex(expr);
    Map<Integer, String> metricAt = new LinkedHashMap<>();
    Map<String, Set<String>> used = new LinkedHashMap<>();
    List<int[]> groupScopes = new ArrayList<>();
    List<List<String>> groupLabels = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind != Kind.IDENT) continue;
      String lower = t.text.toLowerCase();
      if (MATCHING.contains(lower)) throw new IllegalArgumentException("one-to-one matching (" + t.text + ") is not checked: " + expr);
      if (GROUPING.contains(lower) && is(tokens, i + 1, "(")) {
        int close = matching(tokens, i + 1, expr);
        List<String> labels = new ArrayList<>();
        for (int j = i + 2; j < close; j++) if (tokens.get(j).kind == Kind.IDENT) labels.add(tokens.get(j).text);
        // "sum by (x) (expr)" or "sum (expr) by (x)"
        int[] scope = is(tokens, close + 1, "(") ? new int[] {close + 1, matching(tokens, close + 1, expr)}
            : is(tokens, i - 1, ")") ? new int[] {opening(tokens, i - 1, expr), i - 1} : null;
        if (scope == null) throw new IllegalArgumentException("a '" + t.text + "' clause without its aggregation: " + expr);
        groupScopes.add(scope);
        groupLabels.add(labels);
        i = close;
        continue;
      }
      boolean aggregation = i + 1 < tokens.size() && tokens.get(i + 1).kind == Kind.IDENT
          && GROUPING.contains(tokens.get(i + 1).text.toLowerCase()); // "sum by (...)"
      if (KEYWORDS.contains(lower) || aggregation || is(tokens, i + 1, "(")) continue; // an operator word, a function or aggregation
      used.computeIfAbsent(t.text, k -> new LinkedHashSet<>());
      metricAt.put(i, t.text);
      if (is(tokens, i + 1, "{")) {
        int close = closing(tokens, i + 1, "{", "}", expr);
        for (int j = i + 2; j < close; j++) {
          if (tokens.get(j).kind == Kind.IDENT && j + 1 < close && tokens.get(j + 1).kind == Kind.PUNCT
              && Set.of("=", "!=", "=~", "!~").contains(tokens.get(j + 1).text)) {
            used.get(t.text).add(tokens.get(j).text);
          }
        }
        i = close;
      }
    }
    for (int g = 0; g < groupScopes.size(); g++) {
      int[] scope = groupScopes.get(g);
      for (Map.Entry<Integer, String> metric : metricAt.entrySet()) {
        if (metric.getKey() > scope[0] && metric.getKey() < scope[1]) used.get(metric.getValue()).addAll(groupLabels.get(g));
      }
    }
    return used;
  }

  private static boolean is(List<Token> tokens, int i, String punct) {
    return i >= 0 && i < tokens.size() && tokens.get(i).kind == Kind.PUNCT && tokens.get(i).text.equals(punct);
  }

  private static int matching(List<Token> tokens, int open, String expr) {
    return closing(tokens, open, "(", ")", expr);
  }

  private static int closing(List<Token> tokens, int open, String opener, String closer, String expr) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (is(tokens, i, opener)) depth++;
      if (is(tokens, i, closer) && --depth == 0) return i;
    }
    throw new IllegalArgumentException("unbalanced '" + opener + "': " + expr);
  }

  private static int opening(List<Token> tokens, int close, String expr) {
    int depth = 0;
    for (int i = close; i >= 0; i--) {
      if (is(tokens, i, ")")) depth++;
      if (is(tokens, i, "(") && --depth == 0) return i;
    }
    throw new IllegalArgumentException("unbalanced ')': " + expr);
  }

  private static List<Token> lex(String expr) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') { // a comment, to the end of the line
        while (i < expr.length() && expr.charAt(i) != '\n') i++;
      } else if (c == '"' || c == '\'' || c == '`') {
        int end = i + 1;
        while (end < expr.length() && expr.charAt(end) != c) end += expr.charAt(end) == '\\' && c != '`' ? 2 : 1;
        if (end >= expr.length()) throw new IllegalArgumentException("unterminated string: " + expr);
        tokens.add(new Token(Kind.STRING, expr.substring(i + 1, end)));
        i = end + 1;
      } else if (c == '[') { // a range or subquery: durations and Grafana variables, never names
        int end = expr.indexOf(']', i);
        if (end < 0) throw new IllegalArgumentException("unterminated '[': " + expr);
        i = end + 1;
      } else if (c == '$') { // a Grafana variable outside a string: $x, ${x}, ${x:raw}
        int end = i + 1;
        if (end < expr.length() && expr.charAt(end) == '{') end = expr.indexOf('}', end) + 1;
        else while (end < expr.length() && isNamePart(expr.charAt(end))) end++;
        tokens.add(new Token(Kind.VARIABLE, expr.substring(i, end)));
        i = end;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1)))) {
        int end = i; // numbers, and durations as in "offset 5m"
        while (end < expr.length() && (isNamePart(expr.charAt(end)) || expr.charAt(end) == '.')) end++;
        tokens.add(new Token(Kind.NUMBER, expr.substring(i, end)));
        i = end;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int end = i;
        while (end < expr.length() && isNamePart(expr.charAt(end))) end++;
        tokens.add(new Token(Kind.IDENT, expr.substring(i, end)));
        i = end;
      } else {
        String two = i + 1 < expr.length() ? expr.substring(i, i + 2) : "";
        String op = Set.of("!=", "=~", "!~", "==", "<=", ">=").contains(two) ? two : String.valueOf(c);
        tokens.add(new Token(Kind.PUNCT, op));
        i += op.length();
      }
    }
    return tokens;
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }
}
