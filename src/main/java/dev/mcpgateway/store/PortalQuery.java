package dev.mcpgateway.store;

import dev.mcpgateway.model.Portal;
import java.util.Locale;

/** A portal list request: 1-based {@code page}, {@code perPage}, optional case-insensitive {@code search} over id, name, hostname. */
public record PortalQuery(int page, int perPage, String search) {

  public PortalQuery {
    if (page < 1) throw new IllegalArgumentException("page must be >= 1");
    if (perPage < 1) throw new IllegalArgumentException("perPage must be >= 1");
    search = search == null || search.isEmpty() ? null : search.toLowerCase(Locale.ROOT);
  }

  public long offset() {
    return (long) (page - 1) * perPage;
  }

  public boolean matches(Portal portal) {
    return search == null
        || portal.id().toLowerCase(Locale.ROOT).contains(search)
        || portal.name().toLowerCase(Locale.ROOT).contains(search)
        || portal.hostname().toLowerCase(Locale.ROOT).contains(search);
  }
}
