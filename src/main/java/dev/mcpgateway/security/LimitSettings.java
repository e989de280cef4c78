package dev.mcpgateway.security;

/**
 * Rate limits: requests per second (and burst) per client token and per account on the MCP
 * endpoint, and failed authentications per minute per remote address on every endpoint (past it,
 * that address gets 429 until its bucket refills, valid token or not: no oracle for guessing).
 * Zero disables a limit.
 */
public record LimitSettings(double clientRps, double clientBurst, double accountRps, double accountBurst, double authFailuresPerMinute) {

  public RateLimiter authFailures(java.util.function.LongSupplier nanoTime) {
    return new RateLimiter(authFailuresPerMinute / 60.0, authFailuresPerMinute, nanoTime);
  }
}
