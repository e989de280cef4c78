package dev.mcpgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The extractor that the dashboard check relies on: what counts as a series name and which labels it must carry. */
class PromQlNamesTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("up", Map.of("up", List.of())),
        Arguments.of("up{job=~\"$job\"} == 0", Map.of("up", List.of("job"))),
        Arguments.of("sum by (server) (rate(x_total{account=~\"$account\", outcome!=\"ok\"}[$__rate_interval]))",
            Map.of("x_total", List.of("account", "outcome", "server"))),
        Arguments.of("sum(rate(x_total[5m])) by (method)", Map.of("x_total", List.of("method"))),
        Arguments.of("histogram_quantile(0.99, sum by (le) (rate(h_bucket{server=~\"${server}\"}[5m])))",
            Map.of("h_bucket", List.of("server", "le"))),
        Arguments.of("sum by (a) (rate(x_total[5m])) / sum by (b) (rate(y_total[5m])) > 0.2 and sum(rate(y_total[1h:5m])) > 0",
            Map.of("x_total", List.of("a"), "y_total", List.of("b"))),
        Arguments.of("max_over_time(lag_seconds[5m] offset 1h) > bool 1e-3", Map.of("lag_seconds", List.of())),
        Arguments.of("g != g  # NaN: never synced", Map.of("g", List.of())),
        Arguments.of("topk(5, sum without (instance) (increase(t_total{tool!~'a|b'}[1d])))", Map.of("t_total", List.of("tool", "instance"))),
        Arguments.of("vector(0) or absent(up{job=\"mcp-gateway\"})", Map.of("up", List.of("job"))));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void namesAndLabels(String expr, Map<String, List<String>> expected) {
    Map<String, Set<String>> sets = new LinkedHashMap<>();
    expected.forEach((name, labels) -> sets.put(name, Set.copyOf(labels)));
    Map<String, Set<String>> actual = new LinkedHashMap<>();
    PromQlNames.of(expr).forEach((name, labels) -> actual.put(name, Set.copyOf(labels)));
    assertEquals(sets, actual, expr);
  }

  @Test
  void oneToOneMatchingIsRefusedNotHalfChecked() {
    assertThrows(IllegalArgumentException.class, () -> PromQlNames.of("a * on (server) group_left (portal) b"));
  }

  @Test
  void unbalancedExpressionsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PromQlNames.of("sum by (x (rate(a[5m]))"));
  }
}
