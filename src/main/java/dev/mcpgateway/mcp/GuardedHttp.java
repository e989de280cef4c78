package dev.mcpgateway.mcp;

import dev.mcpgateway.upstream.OutboundGuard;
import dev.mcpgateway.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
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
  private final Tracing tracing;

  GuardedHttp(HttpClient client, OutboundGuard guard, UpstreamBreakers breakers, Tracing tracing) {
    this.client = client;
    this.guard = guard;
    this.breakers = breakers;
    this.tracing = tracing;
  }

  Future<HttpClientRequest> request(RequestOptions options) {
    if (tracing.enabled()) return traced(options);
    return guard.pin(options).compose(pinned ->
        breakers.call(pinned.getHost() + ":" + pinned.getPort(), () -> client.request(pinned)));
  }

  /**
   * The same, as an {@code upstream connect} span: the wait for a connection (address check,
   * breaker, pool) with the breaker's state as it was asked. The exchange itself is Vert.x's HTTP
   * client span, which follows it.
   */
  private Future<HttpClientRequest> traced(RequestOptions options) {
    Span span = tracing.tracer().spanBuilder("upstream connect").setSpanKind(SpanKind.INTERNAL)
        .setAttribute("server.address", String.valueOf(options.getHost())).startSpan();
    return guard.pin(options).compose(pinned -> {
      String authority = pinned.getHost() + ":" + pinned.getPort();
      span.setAttribute("server.port", (long) pinned.getPort());
      span.setAttribute("mcp_gateway.breaker.state", breakers.state(authority));
      return breakers.call(authority, () -> client.request(pinned));
    }).onComplete(outcome -> {
      if (outcome.failed()) {
        span.setAttribute("error.type", outcome.cause().getClass().getSimpleName());
        span.setStatus(StatusCode.ERROR, String.valueOf(outcome.cause().getMessage()));
      }
      span.end();
    });
  }
}
