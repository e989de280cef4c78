package dev.mcpgateway.metrics;

/**
 * Told of every tool call {@code mcp_gateway_tool_calls_total} counts, with the same labels and the
 * portal it came through (null on a server's own endpoint): the analytics API counts from here, so
 * its counts and the metric's agree by construction. Called on the hot path: must be cheap and must
 * not throw.
 */
@FunctionalInterface
public interface ToolCallSink {
  ToolCallSink NONE = (account, server, portal, tool) -> {};

  void toolCall(String account, String server, String portal, String tool);
}
