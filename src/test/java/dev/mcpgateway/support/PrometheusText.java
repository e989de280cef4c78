package dev.mcpgateway.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A scrape parsed by the official Prometheus Python client's text parser
 * ({@code src/test/python/parse_metrics.py}, Debian's python3-prometheus-client, installed by the
 * test command), with lookups by sample name and labels.
 */
public final class PrometheusText {
  private static final String PYTHON = "/usr/bin/python3";
  private final List<JsonObject> samples;

  private PrometheusText(List<JsonObject> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String exposition) {
    try {
      Path in = Files.createTempFile("scrape", ".txt");
      Path out = Files.createTempFile("scrape", ".json");
      Path err = Files.createTempFile("scrape", ".err");
      Files.writeString(in, exposition);
      Path script = Path.of(System.getProperty("user.dir"), "src", "test", "python", "parse_metrics.py");
      Process process = new ProcessBuilder(List.of(PYTHON, script.toString()))
          .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("the Prometheus parser failed (is python3-prometheus-client installed?): " + Files.readString(err));
      }
      List<JsonObject> samples = new JsonArray(Files.readString(out, StandardCharsets.UTF_8)).stream().map(JsonObject.class::cast).toList();
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return new PrometheusText(samples);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Samples by exact sample name (e.g. {@code x_total}, {@code y_seconds_count}). */
  public List<JsonObject> samples(String sampleName) {
    return samples.stream().filter(s -> s.getString("name").equals(sampleName)).toList();
  }

  /** The summed value of the samples of this name whose labels include {@code labels}; 0 if none. */
  public double value(String sampleName, Map<String, String> labels) {
    return samples(sampleName).stream().filter(s -> matches(s, labels))
        .mapToDouble(s -> s.getValue("value") == null ? Double.NaN : s.getDouble("value")).sum();
  }

  /** For a histogram or summary family: the summed {@code _count}. */
  public double count(String family, Map<String, String> labels) {
    return value(family + "_count", labels);
  }

  public boolean has(String sampleName) {
    return !samples(sampleName).isEmpty();
  }

  private static boolean matches(JsonObject sample, Map<String, String> labels) {
    JsonObject actual = sample.getJsonObject("labels", new JsonObject());
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(actual.getString(e.getKey())));
  }
}
