package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import java.util.List;

/** One page of an audit trail, newest first, and how many entries matched in all. */
public record AuditPage(List<AuditEntry> items, long totalCount) {

  public AuditPage {
    items = List.copyOf(items);
  }
}
