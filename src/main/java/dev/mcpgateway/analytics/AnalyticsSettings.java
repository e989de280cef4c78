package dev.mcpgateway.analytics;

import java.time.Duration;

/**
 * {@code analytics}: how many days of tool-call counts the store keeps ({@code retention_days}), how
 * often each replica adds what it counted to the store ({@code flush_ms}), and how many distinct
 * keys (account, quarter hour, server, portal, tool) a replica holds unflushed at most
 * ({@code max_pending}) — while the store is down, counts of new keys beyond that are dropped
 * (and counted in {@code mcp_gateway_analytics_dropped_total}) rather than growing memory.
 */
public record AnalyticsSettings(int retentionDays, Duration flushInterval, int maxPending) {
  public AnalyticsSettings {
    if (retentionDays < 1) throw new IllegalArgumentException("analytics.retention_days must be at least 1");
    if (flushInterval.isZero() || flushInterval.isNegative()) throw new IllegalArgumentException("analytics.flush_ms must be positive");
    if (maxPending < 1) throw new IllegalArgumentException("analytics.max_pending must be at least 1");
  }
}
