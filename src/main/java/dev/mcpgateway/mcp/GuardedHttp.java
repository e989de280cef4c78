package dev.mcpgateway.mcp;

import dev.mcpgateway.upstream.OutboundGuard;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;

/** Every upstream request goes through the outbound guard (resolve, judge, pin) before it connects. */
final class GuardedHttp {
  private final HttpClient client;
  private final OutboundGuard guard;

  GuardedHttp(HttpClient client, OutboundGuard guard) {
    this.client = client;
    this.guard = guard;
  }

  Future<HttpClientRequest> request(RequestOptions options) {
    return guard.pin(options).compose(client::request);
  }
}
