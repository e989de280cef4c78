package dev.mcpgateway.admin;

import dev.mcpgateway.store.AuditQuery;
import dev.mcpgateway.store.PortalQuery;
import dev.mcpgateway.store.ServerQuery;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code page}, {@code per_page} and {@code search} (servers, portals, service tokens; these
 * also {@code name}) or {@code server_id}, {@code portal_id}, {@code service_token_id} and
 * {@code policy_id} (audit);
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

  /** The portal list's parameters: the same rules as the server list's ({@code search} matches id, name and hostname). */
  static PortalQuery parsePortals(MultiMap params, int defaultPerPage, int maxPerPage, int maxSearch) {
    ServerQuery query = parse(params, defaultPerPage, maxPerPage, maxSearch);
    return new PortalQuery(query.page(), query.perPage(), params.get("search"));
  }

  /**
   * {@code server_id} and {@code portal_id} must be ids a server or portal could have,
   * {@code service_token_id} and {@code policy_id} lowercase UUIDs; an empty one means no filter.
   */
  static AuditQuery parseAudit(MultiMap params, int defaultPerPage, int maxPerPage) {
    List<ApiError> errors = new ArrayList<>();
    int page = integer(params.get("page"), "page", 1, 1, Integer.MAX_VALUE / maxPerPage, errors);
    int perPage = integer(params.get("per_page"), "per_page", defaultPerPage, 1, maxPerPage, errors);
    String serverId = id(params.get("server_id"), "server_id", errors);
    String portalId = id(params.get("portal_id"), "portal_id", errors);
    String serviceTokenId = params.get("service_token_id");
    if (serviceTokenId != null && !serviceTokenId.isEmpty() && !ServiceTokenHandlers.ID.matcher(serviceTokenId).matches()) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "service_token_id must be a service token's id (a lowercase UUID)", null));
    }
    String policyId = params.get("policy_id");
    if (policyId != null && !policyId.isEmpty() && !PolicyHandlers.POLICY_ID.matcher(policyId).matches()) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "policy_id must be an access policy's id (a lowercase UUID)", null));
    }
    String actor = params.get("actor");
    if (actor != null && ServerRequestParser.length(actor) > ServerRequestParser.NAME_MAX) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "actor must be at most " + ServerRequestParser.NAME_MAX + " characters", null));
    }
    if (!errors.isEmpty()) throw new ApiException(errors);
    return new AuditQuery(page, perPage, serverId, portalId, serviceTokenId, policyId, actor);
  }

  /** A service token list: page and per_page as for servers, {@code name} exact and {@code search} over name and client id. */
  static ServiceTokenHandlers.Query parseServiceTokens(MultiMap params, int defaultPerPage, int maxPerPage, int maxSearch) {
    ServerQuery query = parse(params, defaultPerPage, maxPerPage, maxSearch);
    String name = params.get("name");
    if (name != null && ServerRequestParser.length(name) > ServiceTokenRequestParser.NAME_MAX) {
      throw new ApiException(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER,
          "name must be at most " + ServiceTokenRequestParser.NAME_MAX + " characters", null));
    }
    return new ServiceTokenHandlers.Query(query.page(), query.perPage(), name == null || name.isEmpty() ? null : name, query.search());
  }

  private static String id(String value, String name, List<ApiError> errors) {
    if (value != null && !value.isEmpty()
        && (value.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(value).matches())) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER,
          name + " must be 1 to " + ServerRequestParser.ID_MAX + " letters, digits or '-'", null));
    }
    return value;
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
