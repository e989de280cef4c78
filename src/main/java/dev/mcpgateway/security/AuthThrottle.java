package dev.mcpgateway.security;

import io.vertx.core.http.HttpServerRequest;

/**
 * Failed authentications per remote address, shared by the management API and the MCP endpoint:
 * past the budget, an address is refused before any token is looked at, so guessing learns nothing.
 */
public final class AuthThrottle {
  private final RateLimiter failures;

  public AuthThrottle(RateLimiter failures) {
    this.failures = failures;
  }

  /** Whether this address has used up its failed attempts for now. */
  public boolean blocked(HttpServerRequest request) {
    return failures.exhausted(address(request));
  }

  /** Counts one failed authentication against the request's address. */
  public void failed(HttpServerRequest request) {
    failures.tryAcquire(address(request));
  }

  private static String address(HttpServerRequest request) {
    return request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
  }
}
