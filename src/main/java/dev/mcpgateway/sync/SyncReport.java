package dev.mcpgateway.sync;

import dev.mcpgateway.model.McpServer;
import java.util.List;

/** The server after a sync attempt, and what the admin should know (overrides matching nothing). */
public record SyncReport(McpServer server, List<String> warnings) {
  public SyncReport {
    warnings = List.copyOf(warnings);
  }
}
