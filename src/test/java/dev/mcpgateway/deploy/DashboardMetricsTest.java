package dev.mcpgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcpgateway.support.PrometheusText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboard and alert rules query only what a gateway exposes: every series name in
 * every expression is a sample name of a live scrape (after real traffic), and every label they
 * match on or group by is on that series. A renamed metric or label fails here, not on an
 * operator's blank panel or an alert that can never fire.
 */
class DashboardMetricsTest {
  /**
   * Series that Prometheus itself writes for every scrape target, so no exposition carries them.
   * Each entry says why it is not in the gateway's scrape.
   */
  static final Map<String, String> PROMETHEUS_SERIES = Map.of(
      "up", "Prometheus's per-target scrape health (1 scraped, 0 failed): the only sign of a gateway that does not answer at all");

  /** Labels Prometheus attaches to every series of a target at scrape time (target labels), so no exposition carries them. */
  static final Map<String, String> TARGET_LABELS = Map.of(
      "job", "the scrape job's name, from the Prometheus configuration",
      "instance", "the scraped target's host:port, from the Prometheus configuration");

  @TempDir static Path dataDir;
  static GatewayUnderTraffic gateway;
  static PrometheusText scrape;

  @BeforeAll
  static void start() {
    gateway = GatewayUnderTraffic.start(dataDir);
    scrape = gateway.scrape();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void theDashboardAndTheRulesHaveQueries() {
    assertFalse(DeployedQueries.dashboard().isEmpty());
    assertFalse(DeployedQueries.alerts().isEmpty());
  }

  @Test
  void everySeriesTheyQueryIsExposed() {
    List<String> missing = new ArrayList<>();
    for (DeployedQueries.Query query : DeployedQueries.all()) {
      for (String name : PromQlNames.of(query.expr()).keySet()) {
        if (!scrape.has(name) && !PROMETHEUS_SERIES.containsKey(name)) missing.add(query.where() + ": " + name);
      }
    }
    assertEquals(List.of(), missing, "series not in a live scrape");
  }

  @Test
  void everyLabelTheyMatchOrGroupByIsOnItsSeries() {
    List<String> missing = new ArrayList<>();
    for (DeployedQueries.Query query : DeployedQueries.all()) {
      PromQlNames.of(query.expr()).forEach((name, labels) -> {
        Set<String> present = PROMETHEUS_SERIES.containsKey(name) ? Set.of() : labelNames(name);
        for (String label : labels) {
          if (!present.contains(label) && !TARGET_LABELS.containsKey(label)) missing.add(query.where() + ": " + name + " has no label " + label);
        }
      });
    }
    assertEquals(List.of(), missing, "labels not on the series they are used with");
  }

  static Set<String> labelNames(String sampleName) {
    Set<String> names = new TreeSet<>();
    scrape.samples(sampleName).forEach(s -> names.addAll(s.getJsonObject("labels").fieldNames()));
    return names;
  }
}
