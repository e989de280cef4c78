package dev.mcpgateway.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The defaults: {@code conf/gateway.yaml} as packed into the jar, the one place a default is
 * written. An operator's file ({@code GATEWAY_CONFIG}) and the environment are laid over it, so
 * they need only the settings they change.
 */
public final class ConfigDefaults {
  /** Where the defaults live, in the source tree and on the classpath. */
  public static final String RESOURCE = "conf/gateway.yaml";

  private ConfigDefaults() {}

  /** The packaged defaults (read once: the first call reads the classpath, so make it off the event loop). */
  public static JsonObject yaml() {
    return Holder.DEFAULTS.copy();
  }

  /**
   * {@code overrides} laid over {@code base}, mappings merged key by key. A null in the overrides
   * (a YAML key left empty) keeps the base value: an empty key in an operator's file means "the
   * default", as it does for the settings whose default is "none".
   */
  public static JsonObject overlay(JsonObject base, JsonObject overrides) {
    JsonObject result = base.copy();
    for (Map.Entry<String, Object> entry : overrides) {
      Object value = entry.getValue();
      if (value == null) continue;
      Object existing = result.getValue(entry.getKey());
      if (existing instanceof JsonObject existingSection && value instanceof JsonObject section) {
        result.put(entry.getKey(), overlay(existingSection, section));
      } else {
        result.put(entry.getKey(), value);
      }
    }
    return result;
  }

  /** Parses YAML the way Vert.x Config's YAML format does (safe constructor, mappings as JsonObject). */
  static JsonObject parse(String yaml) {
    Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (document == null) return new JsonObject();
    if (!(document instanceof Map<?, ?> map)) throw new IllegalArgumentException(RESOURCE + " must be a mapping");
    return jsonify(map);
  }

  private static JsonObject jsonify(Map<?, ?> map) {
    JsonObject json = new JsonObject();
    map.forEach((key, value) -> {
      Object converted = value instanceof Map<?, ?> nested ? jsonify(nested) : value instanceof Date date ? date.toInstant() : value;
      json.put(String.valueOf(key), converted);
    });
    return json;
  }

  private static final class Holder {
    static final JsonObject DEFAULTS = read();

    private static JsonObject read() {
      try (InputStream in = ConfigDefaults.class.getResourceAsStream("/" + RESOURCE)) {
        if (in == null) throw new IllegalStateException(RESOURCE + " missing from the classpath");
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
