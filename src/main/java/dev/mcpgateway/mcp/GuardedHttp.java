package dev.mcpgateway.mcp;

import dev.mcpgateway.upstream.OutboundGuard;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;

/**
 * Every upstream request goes through the outbound guard (resolve, judge, pin) and its upstream's
 * circuit breaker before it connects. Only connection failures count against the breaker: a
 * refused address is policy, and an HTTP or JSON-RPC error is an answer.
 */
final class GuardedHttp {
  private final HttpClient client;
  private final OutboundGuard guard;
  private final UpstreamBreakers breakers;

  GuardedHttp(HttpClient client, OutboundGuard guard, UpstreamBreakers breakers) {
    this.client = client;
    this.guard = guard;
    this.breakers = breakers;
  }

  Future<HttpClientRequest> request(RequestOptions options) {
    return guard.pin(options).compose(pinned ->
        breakers.call(pinned.getHost() + ":" + pinned.getPort(), () -> client.request(pinned)));
  }
}
