package dev.mcpgateway.store;

import java.time.Instant;

/**
 * The tool-call counts of one account whose bucket starts in [{@code from}, {@code to}), optionally
 * only those answered by {@code serverId} or only those that came through {@code portalId} (null:
 * no filter).
 */
public record ToolCallQuery(String accountId, String serverId, String portalId, Instant from, Instant to) {}
