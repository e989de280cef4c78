package dev.mcpgateway.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** Every PromQL expression the shipped dashboard and alert rules hold, with where each is. */
final class DeployedQueries {
  static final Path DEPLOY = Path.of(System.getProperty("user.dir"), "deploy");
  static final Path DASHBOARD = DEPLOY.resolve("grafana/mcp-gateway.json");
  static final Path ALERTS = DEPLOY.resolve("prometheus/alerts.yml");
  static final Path ALERT_TESTS = DEPLOY.resolve("prometheus/alerts-test.yml");
  /** Grafana's template query {@code label_values(selector, label)}: the label must be on the selector's series. */
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);

  record Query(String where, String expr) {}

  private DeployedQueries() {}

  static List<Query> all() {
    List<Query> queries = new ArrayList<>(dashboard());
    queries.addAll(alerts());
    return queries;
  }

  static List<Query> dashboard() {
    JsonObject dashboard = new JsonObject(read(DASHBOARD));
    List<Query> queries = new ArrayList<>();
    for (Object item : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject variable = (JsonObject) item;
      if (!"query".equals(variable.getString("type"))) continue;
      Object query = variable.getValue("query");
      String text = query instanceof JsonObject object ? object.getString("query") : (String) query;
      queries.add(new Query("variable " + variable.getString("name"), templateQuery(text)));
    }
    panels(dashboard.getJsonArray("panels"), queries);
    return queries;
  }

  /** Panels, and the panels of collapsed rows. */
  private static void panels(JsonArray panels, List<Query> queries) {
    for (Object item : panels) {
      JsonObject panel = (JsonObject) item;
      if (panel.containsKey("panels")) panels(panel.getJsonArray("panels"), queries);
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) target).getString("expr");
        if (expr != null) queries.add(new Query("panel '" + panel.getString("title") + "'", expr));
      }
    }
  }

  /** {@code label_values(m{...}, l)} read as {@code count by (l) (m{...})}: the same names, in PromQL. */
  static String templateQuery(String text) {
    Matcher m = LABEL_VALUES.matcher(text);
    if (!m.matches()) throw new IllegalArgumentException("a template query other than label_values(selector, label): " + text);
    return "count by (" + m.group(2) + ") (" + m.group(1) + ")";
  }

  @SuppressWarnings("unchecked")
  static List<Query> alerts() {
    Map<String, Object> rules = new Yaml().load(read(ALERTS));
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        // a recorded series is in no scrape: the live check would need to learn its name and labels first
        if (!rule.containsKey("alert")) throw new IllegalStateException("only alerting rules are checked, not " + rule);
        queries.add(new Query("alert " + rule.get("alert"), String.valueOf(rule.get("expr"))));
      }
    }
    return queries;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
