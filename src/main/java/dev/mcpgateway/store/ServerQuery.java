package dev.mcpgateway.store;

import dev.mcpgateway.model.McpServer;
import java.util.Locale;

/**
 * A list request: 1-based {@code page}, {@code perPage} items, and an optional case-insensitive
 * substring {@code search} matched against id, name and hostname.
 */
public record ServerQuery(int page, int perPage, String search) {

  public ServerQuery {
    if (page < 1) throw new IllegalArgumentException("page must be >= 1");
    if (perPage < 1) throw new IllegalArgumentException("perPage must be >= 1");
    search = search == null || search.isEmpty() ? null : search.toLowerCase(Locale.ROOT);
  }

  public long offset() {
    return (long) (page - 1) * perPage;
  }

  public boolean matches(McpServer server) {
    return search == null
        || server.id().toLowerCase(Locale.ROOT).contains(search)
        || server.name().toLowerCase(Locale.ROOT).contains(search)
        || server.hostname().toLowerCase(Locale.ROOT).contains(search);
  }
}
