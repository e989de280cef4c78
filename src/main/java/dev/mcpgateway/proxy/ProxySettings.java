package dev.mcpgateway.proxy;

import java.time.Duration;

/**
 * Limits of the agent-facing MCP endpoint: request bodies, how long an idle session lives on a
 * replica, the absolute age after which any replica refuses a session id, and the keep-alive
 * comment interval on quiet SSE streams; {@code allowedOrigins}, when not empty, the only browser
 * origins that may call the endpoint (2025-11-25: servers validate {@code Origin} against DNS
 * rebinding; see {@link dev.mcpgateway.proxy.http.OriginCheck} for the defaults); {@code
 * loopbackBound}, whether the gateway listens on a loopback address only (then it also checks
 * {@code Host}).
 */
public record ProxySettings(long maxBodyBytes, Duration sessionIdle, Duration sessionMaxAge, Duration keepAlive,
    java.util.Set<String> allowedOrigins, boolean loopbackBound) {
  /**
   * Rounds of input (elicitation, sampling, roots) one agent request may take, in either bridge
   * between the eras: an upstream that asks again and again is broken or hostile.
   */
  public static final int MAX_INPUT_ROUNDS = 8;

  public ProxySettings {
    allowedOrigins = allowedOrigins == null ? java.util.Set.of() : java.util.Set.copyOf(allowedOrigins);
  }
}
