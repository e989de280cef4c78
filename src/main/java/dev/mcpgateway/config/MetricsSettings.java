package dev.mcpgateway.config;

/**
 * {@code metrics}: the bearer token scrapes need (null: none), and the port {@code /metrics} is
 * served on ({@code -1}: the main port; {@code 0}: any free port).
 */
public record MetricsSettings(String token, int port) {

  public static MetricsSettings from(ConfigSection metrics) {
    return new MetricsSettings(metrics.optionalString("token"), metrics.integer("port", -1, 65535));
  }

  @Override
  public String toString() {
    return "MetricsSettings[token=" + (token == null ? "none" : "set") + ", port=" + port + "]";
  }
}
