package dev.mcpgateway.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One section of the merged configuration (a top-level mapping of {@code conf/gateway.yaml}, such
 * as {@code server}), with typed reads. There are no fallbacks here: the packaged YAML holds every
 * default ({@link ConfigDefaults}), so a key with no value is a defect of that file, reported as
 * one. Every error names the full YAML path and the environment variable that overrides it, e.g.
 * {@code server.port (GATEWAY_PORT) must be between 0 and 65535, not '99999'}.
 */
public final class ConfigSection {
  private static final Map<String, String> VARIABLES = variablesByPath();

  private final String name;
  private final JsonObject values;

  private ConfigSection(String name, JsonObject values) {
    this.name = name;
    this.values = values;
  }

  /** The section {@code name} of the merged configuration {@code root}. */
  public static ConfigSection of(JsonObject root, String name) {
    Object value = root.getValue(name);
    if (value == null) return new ConfigSection(name, new JsonObject());
    if (value instanceof JsonObject object) return new ConfigSection(name, object);
    throw new IllegalArgumentException("configuration section '" + name + "' must be a mapping");
  }

  /** The mapping nested at {@code key} ({@code sign_in.idp}), empty when unset. */
  public ConfigSection section(String key) {
    Object value = values.getValue(key);
    if (value == null) return new ConfigSection(name + "." + key, new JsonObject());
    if (value instanceof JsonObject object) return new ConfigSection(name + "." + key, object);
    throw new IllegalArgumentException(describe(key) + " must be a mapping");
  }

  /** {@code section.key (VARIABLE)}: how errors name a setting. */
  public String describe(String key) {
    String path = name + "." + key;
    String variable = VARIABLES.get(path);
    return variable == null ? path : path + " (" + variable + ")";
  }

  /** The raw value (a list, a string...), or null when it is unset. */
  public Object raw(String key) {
    return values.getValue(key);
  }

  public String string(String key) {
    return String.valueOf(required(key));
  }

  /** Null when unset or blank: the settings whose default is "none". */
  public String optionalString(String key) {
    Object value = values.getValue(key);
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  public long positiveLong(String key) {
    long value = number(key);
    if (value <= 0) throw new IllegalArgumentException(describe(key) + " must be positive, not " + value);
    return value;
  }

  /** A positive number of milliseconds. */
  public Duration millis(String key) {
    return Duration.ofMillis(positiveLong(key));
  }

  public int integer(String key, int min, int max) {
    long value = number(key);
    if (value < min || value > max) {
      throw new IllegalArgumentException(describe(key) + " must be between " + min + " and " + max + ", not " + value);
    }
    return (int) value;
  }

  public double decimal(String key, double min, double max) {
    Object value = required(key);
    double d;
    try {
      d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(describe(key) + " must be a number, not '" + value + "'");
    }
    if (d < min || d > max) throw new IllegalArgumentException(describe(key) + " must be between " + min + " and " + max + ", not " + d);
    return d;
  }

  public boolean bool(String key) {
    Object value = required(key);
    if (value instanceof Boolean b) return b;
    String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
    if (text.equals("true")) return true;
    if (text.equals("false")) return false;
    throw new IllegalArgumentException(describe(key) + " must be true or false, not '" + value + "'");
  }

  private long number(String key) {
    Object value = required(key);
    if (value instanceof Number n) return n.longValue();
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(describe(key) + " must be a number, not '" + value + "'");
    }
  }

  private Object required(String key) {
    Object value = values.getValue(key);
    if (value == null) {
      throw new IllegalArgumentException(describe(key) + " has no value: " + ConfigDefaults.RESOURCE + " must hold its default");
    }
    return value;
  }

  private static Map<String, String> variablesByPath() {
    Map<String, String> byPath = new HashMap<>();
    ConfigLoader.ENVIRONMENT.forEach((variable, path) -> byPath.put(path, variable));
    return Map.copyOf(byPath);
  }
}
