package dev.mcpgateway.config;

import dev.mcpgateway.mcp.McpClientOptions;
import java.time.Duration;

/** {@code upstream}: the gateway's MCP client toward registered servers (timeouts, sizes, pool, circuit breaker). */
public record UpstreamSettings(long connectTimeoutMs, long idleTimeoutMs, long requestTimeoutMs, int maxResponseBytes,
    int maxConnections, int breakerFailures, Duration breakerReset) {

  public static UpstreamSettings from(ConfigSection upstream) {
    return new UpstreamSettings(
        upstream.positiveLong("connect_timeout_ms"),
        upstream.positiveLong("idle_timeout_ms"),
        upstream.positiveLong("request_timeout_ms"),
        upstream.integer("max_response_bytes", 1024, Integer.MAX_VALUE),
        upstream.integer("max_connections", 1, 10_000),
        upstream.integer("breaker_failures", 1, 1000),
        upstream.millis("breaker_reset_ms"));
  }

  /** The client's options; {@code maxPages} (list pages per sync) is a {@code sync} setting the client enforces. */
  public McpClientOptions clientOptions(int maxPages) {
    return new McpClientOptions(connectTimeoutMs, idleTimeoutMs, requestTimeoutMs, maxResponseBytes, maxPages, maxConnections,
        McpClientOptions.CLIENT_NAME, McpClientOptions.CLIENT_VERSION, breakerFailures, breakerReset);
  }
}
