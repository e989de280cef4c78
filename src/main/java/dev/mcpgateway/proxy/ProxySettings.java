package dev.mcpgateway.proxy;

import java.time.Duration;

/**
 * Limits of the agent-facing MCP endpoint: request bodies, how long an idle session lives on a
 * replica, the absolute age after which any replica refuses a session id, and the keep-alive
 * comment interval on quiet SSE streams.
 */
public record ProxySettings(long maxBodyBytes, Duration sessionIdle, Duration sessionMaxAge, Duration keepAlive) {}
