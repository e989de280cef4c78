package dev.mcpgateway.admin;

import dev.mcpgateway.store.AuditQuery;
import dev.mcpgateway.store.ServerQuery;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code page}, {@code per_page} and {@code search} (servers) or {@code server_id} (audit);
 * out-of-range values are errors, not clamped.
 */
final class ListParameters {
  private ListParameters() {}

  static ServerQuery parse(MultiMap params, int defaultPerPage, int maxPerPage, int maxSearch) {
    List<ApiError> errors = new ArrayList<>();
    int page = integer(params.get("page"), "page", 1, 1, Integer.MAX_VALUE / maxPerPage, errors);
    int perPage = integer(params.get("per_page"), "per_page", defaultPerPage, 1, maxPerPage, errors);
    String search = params.get("search");
    if (search != null && ServerRequestParser.length(search) > maxSearch) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "search must be at most " + maxSearch + " characters", null));
    }
    if (!errors.isEmpty()) throw new ApiException(errors);
    return new ServerQuery(page, perPage, search);
  }

  /** {@code server_id} must be an id a server could have; an empty one means no filter. */
  static AuditQuery parseAudit(MultiMap params, int defaultPerPage, int maxPerPage) {
    List<ApiError> errors = new ArrayList<>();
    int page = integer(params.get("page"), "page", 1, 1, Integer.MAX_VALUE / maxPerPage, errors);
    int perPage = integer(params.get("per_page"), "per_page", defaultPerPage, 1, maxPerPage, errors);
    String serverId = params.get("server_id");
    if (serverId != null && !serverId.isEmpty()
        && (serverId.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(serverId).matches())) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER,
          "server_id must be 1 to " + ServerRequestParser.ID_MAX + " letters, digits or '-'", null));
    }
    if (!errors.isEmpty()) throw new ApiException(errors);
    return new AuditQuery(page, perPage, serverId);
  }

  private static int integer(String value, String name, int fallback, int min, int max, List<ApiError> errors) {
    if (value == null || value.isEmpty()) return fallback;
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) return parsed;
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, name + " must be an integer from " + min + " to " + max, null));
    return fallback;
  }
}
