package dev.mcpgateway.mcp;

/**
 * Limits of the gateway's MCP client. {@code connectTimeoutMs}: TCP/TLS connect; {@code idleTimeoutMs}:
 * silence on an open connection; {@code requestTimeoutMs}: one request, start to final response;
 * {@code maxResponseBytes}: a JSON body or one SSE event; {@code maxPages}: list pages per sync;
 * {@code breakerFailures} consecutive connection failures open an upstream's circuit for {@code breakerReset}.
 */
public record McpClientOptions(
    long connectTimeoutMs, long idleTimeoutMs, long requestTimeoutMs, int maxResponseBytes, int maxPages,
    int maxConnectionsPerUpstream, String clientName, String clientVersion, int breakerFailures, java.time.Duration breakerReset) {

  /** The {@code clientInfo} the gateway presents to upstream servers. */
  public static final String CLIENT_NAME = "mcp-gateway";
  public static final String CLIENT_VERSION = "0.1.0";

  public McpClientOptions {
    if (connectTimeoutMs <= 0 || idleTimeoutMs <= 0 || requestTimeoutMs <= 0) throw new IllegalArgumentException("timeouts must be positive");
    if (maxResponseBytes < 1024) throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
    if (maxPages < 1) throw new IllegalArgumentException("maxPages must be at least 1");
    if (maxConnectionsPerUpstream < 1) throw new IllegalArgumentException("maxConnectionsPerUpstream must be at least 1");
  }
}
