package dev.mcpgateway.store;

import dev.mcpgateway.model.Portal;
import java.util.List;

/** One page of portals and how many matched in all. */
public record PortalPage(List<Portal> items, long totalCount) {

  public PortalPage {
    items = List.copyOf(items);
  }
}
