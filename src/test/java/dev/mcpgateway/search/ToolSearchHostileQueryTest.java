package dev.mcpgateway.search;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever an agent sends as a query is text: never Lucene syntax, never an exception. */
class ToolSearchHostileQueryTest {
  static ToolSearch index;

  @BeforeAll
  static void build() {
    index = ToolSearch.index(CatalogueGenerator.generate());
  }

  /** query, what it must find: "" nothing at all, "*" anything (not checked), else a name in the top 5. */
  static Stream<Arguments> queries() {
    return Stream.of(
        // Lucene query syntax is just characters
        Arguments.of("lucene wildcard", "*", ""),
        Arguments.of("match all", "*:*", ""),
        Arguments.of("field syntax", "name:github_create_issue", "github_create_issue"),
        Arguments.of("boolean operators", "slack AND post OR NOT message", "slack_post_message"),
        Arguments.of("unbalanced quote", "\"post a message", "slack_post_message"),
        Arguments.of("unbalanced parenthesis", "((( refund payment", "stripe_create_refund"),
        Arguments.of("fuzzy and boost", "refund~2^10 payment", "stripe_create_refund"),
        Arguments.of("regex", "/.*refund.*/", "stripe_create_refund"),
        Arguments.of("every special character", "+ - && || ! ( ) { } [ ] ^ \" ~ * ? : \\ /", ""),
        Arguments.of("backslashes", "\\\\\\", ""),
        // size
        Arguments.of("10 KB of one word", "refund".repeat(1_700), "*"),
        Arguments.of("10 KB of words", "refund a payment ".repeat(600), "stripe_create_refund"),
        Arguments.of("5,000 distinct words", distinctWords(5_000), "*"),
        Arguments.of("one very long token then words", "x".repeat(50_000) + " refund payment", ""),
        // unicode
        Arguments.of("emoji", "🚀🔥💥", ""),
        Arguments.of("emoji around words", "🚀 refund a stripe payment 💸", "stripe_create_refund"),
        Arguments.of("lone high surrogate", "refund \uD800 payment", "stripe_create_refund"),
        Arguments.of("lone low surrogate", "\uDC00", ""),
        Arguments.of("cut surrogate pair at the length cap", "a".repeat(ToolQuery.MAX_CHARS - 1) + "🚀 refund", "*"),
        Arguments.of("right-to-left", "إرسال رسالة", ""),
        Arguments.of("CJK", "发送消息到频道", ""),
        Arguments.of("zero-width characters", "re\u200Bfund\u200D pay\uFEFFment", "*"),
        Arguments.of("combining accents", "cafe\u0301 refund", "stripe_create_refund"),
        // control characters and whitespace
        Arguments.of("NUL and controls", "\u0000\u0001\u0007\u001b[31m", ""),
        Arguments.of("controls between words", "refund\u0000payment\u0007stripe", "*"),
        Arguments.of("only whitespace", " \t\n\r\u00A0\u2003", ""),
        Arguments.of("empty", "", ""),
        // only stop words
        Arguments.of("only stop words", "the a an of to and or but", ""),
        Arguments.of("only question words", "what can you please", ""),
        // markup and injection-looking text
        Arguments.of("html", "<script>alert('refund')</script>", "*"),
        Arguments.of("sql", "'; DROP TABLE tools; --", "*"),
        Arguments.of("json", "{\"name\": \"slack_post_message\"}", "slack_post_message"));
  }

  private static String distinctWords(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append("w").append(Integer.toString(i, 36)).append(' ');
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void isJustText(String label, String query, String finds) {
    for (int limit : new int[] {1, 5, ToolSearch.MAX_LIMIT}) {
      List<ToolSearch.Hit> hits = assertDoesNotThrow(() -> index.search(query, limit), label);
      assertTrue(hits.size() <= limit, label);
      if (finds.isEmpty()) {
        assertEquals(List.of(), hits, label);
      } else if (!finds.equals("*") && limit >= 5) {
        assertTrue(hits.stream().limit(5).anyMatch(h -> h.name().equals(finds)), () -> label + ": " + hits.stream().map(ToolSearch.Hit::name).toList());
      }
    }
  }
}
