package dev.mcpgateway.mcp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One circuit breaker per upstream (host and port), from Vert.x's circuit-breaker module: after
 * {@code maxFailures} consecutive connection failures the upstream is not even tried — calls fail
 * at once as unreachable and retryable — until, after {@code reset}, one probe is let through and
 * its success closes the circuit again. A dead upstream then costs its callers nothing but an
 * error, and cannot tie up the gateway's connections or timers.
 */
final class UpstreamBreakers {
  private final Vertx vertx;
  private final CircuitBreakerOptions options;
  private final Cache<String, CircuitBreaker> breakers;

  UpstreamBreakers(Vertx vertx, int maxFailures, Duration reset) {
    this.vertx = vertx;
    this.options = new CircuitBreakerOptions()
        .setMaxFailures(maxFailures)
        .setTimeout(-1) // the client's own timeouts apply
        .setResetTimeout(reset.toMillis())
        .setNotificationAddress(null);
    this.breakers = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1)).executor(Runnable::run).build();
  }

  /** Upstreams whose circuit is open or half open now (the {@code mcp_gateway_upstream_circuits_open} gauge). */
  long notClosed() {
    return breakers.asMap().values().stream().filter(b -> b.state() != io.vertx.circuitbreaker.CircuitBreakerState.CLOSED).count();
  }

  /** The breaker's state for {@code authority} ({@code closed} when it has none yet), for the connect span. */
  String state(String authority) {
    CircuitBreaker breaker = breakers.getIfPresent(authority);
    return breaker == null ? "closed" : breaker.state().name().toLowerCase(java.util.Locale.ROOT);
  }

  <T> Future<T> call(String authority, Supplier<Future<T>> attempt) {
    CircuitBreaker breaker = breakers.get(authority, key -> CircuitBreaker.create("upstream " + key, vertx, options));
    return breaker.<T>execute(attempt).recover(e -> Future.failedFuture(e instanceof OpenCircuitException
        ? new McpClientException.Unreachable("upstream failed repeatedly; the gateway is not calling it for a while (circuit open)", null)
        : e));
  }
}
