package dev.mcpgateway.proxy;

import dev.mcpgateway.metrics.GatewayMetrics;
import io.vertx.ext.web.RoutingContext;

/**
 * What one agent message did, for its metrics: which server (once it is known to exist), which
 * method and exposed name, how it ended, and when the upstream was asked. Recorded once, when the
 * response ends (see {@link McpEndpoint}).
 */
final class Exchange {
  private static final String KEY = Exchange.class.getName();

  final long startNanos = System.nanoTime();
  String account = GatewayMetrics.UNKNOWN;
  String server = GatewayMetrics.UNKNOWN;
  String method = "other";
  /** "tool" or "prompt" for calls, with the exposed name when the server has it (else "other"). */
  String kind;
  String exposedName = GatewayMetrics.OTHER;
  String outcome = "ok";
  long upstreamStartNanos = -1;

  static Exchange of(RoutingContext ctx) {
    Exchange exchange = ctx.get(KEY);
    if (exchange == null) {
      exchange = new Exchange();
      ctx.put(KEY, exchange);
    }
    return exchange;
  }

  void serverKnown(String accountId, String serverId) {
    account = accountId;
    server = serverId;
  }

  void upstreamAsked() {
    if (upstreamStartNanos < 0) upstreamStartNanos = System.nanoTime();
  }

  /** The first non-ok outcome wins: a refusal is not overwritten by what follows it. */
  void outcome(String value) {
    if (outcome.equals("ok")) outcome = value;
  }

  long upstreamNanos(long endNanos) {
    return upstreamStartNanos < 0 ? 0 : endNanos - upstreamStartNanos;
  }
}
