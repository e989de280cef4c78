package dev.mcpgateway.proxy.http;

import dev.mcpgateway.proxy.McpEndpoint;
import dev.mcpgateway.metrics.GatewayMetrics;
import io.vertx.ext.web.RoutingContext;

/**
 * What one agent message did, for its metrics: which server (once it is known to exist), which
 * method and exposed name, how it ended, and when the upstream was asked. Recorded once, when the
 * response ends (see {@link McpEndpoint}).
 */
public final class Exchange {
  private static final String KEY = Exchange.class.getName();

  public final long startNanos = System.nanoTime();
  public String account = GatewayMetrics.UNKNOWN;
  public String server = GatewayMetrics.UNKNOWN;
  /** The portal the message came through, or null on a server's own endpoint. */
  public String portal;
  public String method = "other";
  /** "tool" or "prompt" for calls, with the exposed name when the server has it (else "other"). */
  public String kind;
  public String exposedName = GatewayMetrics.OTHER;
  public String outcome = "ok";
  public long upstreamStartNanos = -1;

  public static Exchange of(RoutingContext ctx) {
    Exchange exchange = ctx.get(KEY);
    if (exchange == null) {
      exchange = new Exchange();
      ctx.put(KEY, exchange);
    }
    return exchange;
  }

  public void serverKnown(String accountId, String serverId) {
    account = accountId;
    server = serverId;
  }

  public void upstreamAsked() {
    if (upstreamStartNanos < 0) upstreamStartNanos = System.nanoTime();
  }

  /** The first non-ok outcome wins: a refusal is not overwritten by what follows it. */
  public void outcome(String value) {
    if (outcome.equals("ok")) outcome = value;
  }

  public long upstreamNanos(long endNanos) {
    return upstreamStartNanos < 0 ? 0 : endNanos - upstreamStartNanos;
  }
}
