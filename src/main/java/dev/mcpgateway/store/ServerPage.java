package dev.mcpgateway.store;

import dev.mcpgateway.model.McpServer;
import java.util.List;

/** One page of a list: the items and how many servers matched in all. */
public record ServerPage(List<McpServer> items, long totalCount) {

  public ServerPage {
    items = List.copyOf(items);
  }
}
