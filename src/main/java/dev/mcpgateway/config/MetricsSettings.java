package dev.mcpgateway.config;

/**
 * {@code metrics}: the bearer token scrapes need (null: none), the port {@code /metrics} is
 * served on ({@code -1}: the main port; {@code 0}: any free port), and the context budget: the
 * tokens a server's or a portal's full lists may cost an agent before a warning is logged
 * ({@code 0}: never).
 */
public record MetricsSettings(String token, int port, long contextTokenBudget) {

  public static MetricsSettings from(ConfigSection metrics) {
    return new MetricsSettings(metrics.optionalString("token"), metrics.integer("port", -1, 65535),
        metrics.integer("context_token_budget", 0, Integer.MAX_VALUE));
  }

  @Override
  public String toString() {
    return "MetricsSettings[token=" + (token == null ? "none" : "set") + ", port=" + port + ", contextTokenBudget=" + contextTokenBudget + "]";
  }
}
