package dev.mcpgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three places a setting is named agree: {@code conf/gateway.yaml} (keys, defaults, and the
 * variable named in each key's comment), {@link ConfigLoader#ENVIRONMENT}, and the README's
 * configuration table (variable, YAML path, default).
 */
class ConfigAgreementTest {
  static JsonObject yaml;
  static Map<String, Object> yamlDefaults;
  static List<String> yamlLines;
  static List<ReadmeRow> readme;

  /** One documented setting: variable, YAML path, and the default as the README writes it (backticks kept). */
  record ReadmeRow(String variable, String path, String defaultText) {}

  @BeforeAll
  static void read() throws IOException {
    yamlLines = Files.readAllLines(Path.of(ConfigDefaults.RESOURCE));
    yaml = ConfigDefaults.parse(String.join("\n", yamlLines));
    yamlDefaults = new LinkedHashMap<>();
    for (String section : yaml.fieldNames()) {
      Object value = yaml.getValue(section);
      assertTrue(value instanceof JsonObject, "top-level '" + section + "' is a section");
      flatten(section, (JsonObject) value);
    }
    readme = readmeTable(Files.readString(Path.of("README.md")));
  }

  /** Every key under {@code path}, a nested mapping's keys by their dotted path ({@code sign_in.idp.issuer}). */
  private static void flatten(String path, JsonObject keys) {
    for (String key : keys.fieldNames()) {
      if (keys.getValue(key) instanceof JsonObject nested) flatten(path + "." + key, nested);
      else yamlDefaults.put(path + "." + key, keys.getValue(key));
    }
  }

  @Test
  void thePackagedDefaultsAreTheYamlInTheSourceTree() {
    assertEquals(yaml, ConfigDefaults.yaml());
  }

  @Test
  void everyYamlKeyHasExactlyOneVariableAndEveryVariableAYamlKey() {
    Set<String> mapped = new TreeSet<>(ConfigLoader.ENVIRONMENT.values());
    assertEquals(ConfigLoader.ENVIRONMENT.size(), mapped.size(), "two variables for one path: " + ConfigLoader.ENVIRONMENT);
    Set<String> yamlOnly = new TreeSet<>(yamlDefaults.keySet());
    yamlOnly.removeAll(mapped);
    Set<String> variableOnly = new TreeSet<>(mapped);
    variableOnly.removeAll(yamlDefaults.keySet());
    assertTrue(yamlOnly.isEmpty() && variableOnly.isEmpty(),
        "YAML keys without a variable: " + yamlOnly + "; variables for keys the YAML lacks: " + variableOnly);
  }

  @Test
  void theVariableInEachYamlCommentIsTheOneThatOverridesThatKey() {
    // a key's path follows its indentation (two spaces a level): section, key, or a nested mapping's key
    Pattern key = Pattern.compile("^((?:  )*)(\\w+):([^#]*#\\s*([A-Z][A-Z0-9_]+)\\b)?");
    List<String> path = new ArrayList<>();
    int checked = 0;
    for (String line : yamlLines) {
      Matcher k = key.matcher(line);
      if (!k.find()) continue;
      int level = k.group(1).length() / 2;
      while (path.size() > level) path.remove(path.size() - 1);
      path.add(k.group(2));
      if (level > 0 && k.group(4) != null) {
        String dotted = String.join(".", path);
        assertEquals(variableOf(dotted), k.group(4), "the comment on " + dotted);
        checked++;
      }
    }
    assertTrue(checked > 40, "comments checked: " + checked);
    String text = String.join("\n", yamlLines);
    for (String variable : ConfigLoader.ENVIRONMENT.keySet()) assertTrue(text.contains(variable), variable + " named in the YAML");
  }

  @Test
  void theReadmeTableDocumentsEveryVariableWithItsPath() {
    Map<String, String> documented = new LinkedHashMap<>();
    for (ReadmeRow row : readme) {
      assertEquals(null, documented.put(row.variable(), row.path()), row.variable() + " documented twice");
    }
    Set<String> undocumented = new TreeSet<>(ConfigLoader.ENVIRONMENT.keySet());
    undocumented.removeAll(documented.keySet());
    Set<String> unknown = new TreeSet<>(documented.keySet());
    unknown.removeAll(ConfigLoader.ENVIRONMENT.keySet());
    assertTrue(undocumented.isEmpty() && unknown.isEmpty(), "not in the README: " + undocumented + "; in the README only: " + unknown);
    documented.forEach((variable, path) -> assertEquals(ConfigLoader.ENVIRONMENT.get(variable), path, "README row of " + variable));
  }

  /**
   * A default the README writes as a literal ({@code `8080`}) is the YAML's; one it describes in
   * words ("unset", "empty", "generated into the data dir") or as a template
   * ({@code `http://localhost:<port>`}) stands for a YAML key left empty, which the code derives.
   */
  @Test
  void theReadmeDefaultsAreTheYamlDefaults() {
    List<String> disagreements = new ArrayList<>();
    for (ReadmeRow row : readme) {
      Object yamlValue = yamlDefaults.get(row.path());
      String text = row.defaultText();
      boolean literal = text.startsWith("`") && text.endsWith("`") && !text.contains("<");
      if (literal) {
        String expected = text.substring(1, text.length() - 1);
        String actual = yamlValue instanceof JsonArray || yamlValue instanceof List<?> ? new JsonArray(toList(yamlValue)).encode()
            : String.valueOf(yamlValue);
        if (yamlValue == null || !expected.equals(actual)) disagreements.add(row.path() + ": README " + text + ", YAML " + yamlValue);
      } else if (!(yamlValue == null || toList(yamlValue).isEmpty())) {
        disagreements.add(row.path() + ": README '" + text + "', YAML " + yamlValue);
      }
    }
    assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
  }

  private static List<?> toList(Object value) {
    if (value instanceof JsonArray array) return array.getList();
    if (value instanceof List<?> list) return list;
    return List.of(value);
  }

  private static String variableOf(String path) {
    return ConfigLoader.ENVIRONMENT.entrySet().stream().filter(e -> e.getValue().equals(path)).map(Map.Entry::getKey)
        .findFirst().orElse("(no variable for " + path + ")");
  }

  /** The first table after "## Configuration": rows may list several variables, paths and defaults, comma-separated. */
  static List<ReadmeRow> readmeTable(String markdown) {
    int start = markdown.indexOf("\n## Configuration");
    assertTrue(start >= 0, "README has a Configuration section");
    List<ReadmeRow> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : markdown.substring(start + 1).lines().skip(1).toList()) {
      if (line.startsWith("## ")) break;
      if (!line.startsWith("|")) {
        if (inTable) break;
        continue;
      }
      inTable = true;
      List<String> cells = cells(line);
      if (cells.size() < 4 || !cells.get(0).startsWith("`")) continue; // header and separator
      List<String> variables = backticked(cells.get(0));
      List<String> paths = backticked(cells.get(1));
      assertEquals(variables.size(), paths.size(), line);
      List<String> defaults = new ArrayList<>();
      List<String> literals = backticked(cells.get(2));
      if (literals.size() == paths.size() && cells.get(2).replaceAll("`[^`]*`", "").replace(",", "").isBlank()) {
        literals.forEach(d -> defaults.add("`" + d + "`"));
      } else {
        paths.forEach(p -> defaults.add(cells.get(2)));
      }
      for (int i = 0; i < variables.size(); i++) rows.add(new ReadmeRow(variables.get(i), paths.get(i), defaults.get(i)));
    }
    Set<String> seen = new HashSet<>();
    rows.forEach(r -> seen.add(r.variable()));
    assertTrue(seen.size() > 40, "the configuration table was found: " + rows);
    return rows;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.substring(1).split("(?<!\\\\)\\|")) cells.add(cell.trim());
    return cells;
  }

  private static List<String> backticked(String cell) {
    List<String> items = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]*)`").matcher(cell);
    while (m.find()) items.add(m.group(1));
    return items;
  }
}
