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
  /** The name the upstream knows a called tool or prompt by (for the message's span), once resolved. */
  public String upstreamName;
  public String outcome = "ok";
  /** The JSON-RPC error code the agent was answered with, when it was an error (for the message's span). */
  public Integer errorCode;
  public long upstreamStartNanos = -1;
  /** The message's span, while tracing is on and the message has been read (else null). */
  public dev.mcpgateway.tracing.MessageSpan span;

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

  /** The agent was answered with a JSON-RPC error: {@code code}, or the one in {@code message}'s {@code error}. */
  public void mcpError(int code) {
    outcome("mcp_error");
    if (errorCode == null) errorCode = code;
  }

  public void mcpError(io.vertx.core.json.JsonObject message) {
    outcome("mcp_error");
    if (errorCode == null && message.getValue("error") instanceof io.vertx.core.json.JsonObject error && error.getValue("code") instanceof Number code) {
      errorCode = code.intValue();
    }
  }

  public long upstreamNanos(long endNanos) {
    return upstreamStartNanos < 0 ? 0 : endNanos - upstreamStartNanos;
  }
}
