package dev.mcpgateway.admin;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.sync.PortalView;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A portal's member servers, read from the server store: for a response (each member read once,
 * all in parallel; one deleted meanwhile is left out) and for a write, where each listed server
 * must exist in the account and its tools and prompts must not collide under the portal's
 * overrides ({@link PortalView#conflicts}). The store checks existence again when it writes
 * ({@code PortalMemberMissingException}, reported by {@link #missing} the same way), since a
 * server may go between this read and the write; a collision that appears later (a sync brings a
 * new tool) is held back at run time, as {@link PortalView} describes.
 */
final class PortalMembers {
  private final ServerStore servers;

  PortalMembers(ServerStore servers) {
    this.servers = servers;
  }

  /** The servers of {@code ids} that exist, by id; each read once, all in parallel. */
  Future<Map<String, McpServer>> read(String accountId, Collection<String> ids) {
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(ids));
    List<Future<McpServer>> reads = new ArrayList<>(unique.size());
    for (String id : unique) {
      reads.add(servers.get(accountId, id).recover(e -> e instanceof ServerNotFoundException
          ? Future.succeededFuture(null) : Future.failedFuture(e)));
    }
    return Future.all(reads).map(all -> {
      Map<String, McpServer> byId = new HashMap<>();
      for (int i = 0; i < unique.size(); i++) {
        McpServer server = reads.get(i).result();
        if (server != null) byId.put(unique.get(i), server);
      }
      return byId;
    });
  }

  /**
   * Refuses a write whose body had {@code errors} or whose {@code mapping} (null: not sent, nothing
   * to check) names an unknown server or makes names collide: fails with an {@link ApiException}
   * holding every problem, the body's first. A null item (one the parser refused) is skipped.
   */
  Future<Void> check(String accountId, List<PortalServer> mapping, List<ApiError> errors) {
    if (mapping == null || mapping.stream().allMatch(m -> m == null)) return refuseIf(errors);
    return read(accountId, mapping.stream().filter(m -> m != null).map(PortalServer::serverId).toList()).compose(members -> {
      List<ApiError> all = new ArrayList<>(errors);
      for (int i = 0; i < mapping.size(); i++) {
        PortalServer m = mapping.get(i);
        if (m == null) continue;
        McpServer server = members.get(m.serverId());
        if (server == null) {
          all.add(missing(i, m.serverId()));
          continue;
        }
        for (PortalView.Conflict c : PortalView.conflicts(server, m)) all.add(conflict(i, m, c));
      }
      return refuseIf(all);
    });
  }

  /** A member the account does not have (nor, if another account has it, would it be said). */
  static ApiError missing(int index, String serverId) {
    return ApiError.field(ErrorCode.UNKNOWN_SERVER, "/servers/" + index + "/server_id",
        "MCP server '" + serverId + "' not found in this account");
  }

  /**
   * Two items that one name would expose. The pointer names the portal override that makes it
   * (an alias equal to the name, or an {@code enabled: true} bringing a disabled item back), else
   * the member.
   */
  private static ApiError conflict(int index, PortalServer mapping, PortalView.Conflict c) {
    boolean tools = c.kind() == PortalView.Kind.TOOL;
    List<CapabilityOverride> overrides = tools ? mapping.updatedTools() : mapping.updatedPrompts();
    String pointer = "/servers/" + index;
    for (int j = 0; j < overrides.size(); j++) {
      CapabilityOverride o = overrides.get(j);
      if (!c.upstreamNames().contains(o.name())) continue;
      String list = pointer + (tools ? "/updated_tools/" : "/updated_prompts/") + j;
      if (c.name().equals(o.alias())) {
        pointer = list + "/alias";
        break;
      }
      if (Boolean.TRUE.equals(o.enabled()) && pointer.equals("/servers/" + index)) pointer = list + "/enabled";
    }
    String kind = tools ? "tools" : "prompts";
    return ApiError.field(ErrorCode.NAME_CONFLICT, pointer, "'" + PortalView.exposedName(mapping.serverId(), c.name())
        + "' would name " + kind + " " + quoted(c.upstreamNames()) + " of server '" + mapping.serverId()
        + "' in this portal; give them distinct aliases or disable all but one");
  }

  private static String quoted(List<String> names) {
    return String.join(" and ", names.stream().map(n -> "'" + n + "'").toList());
  }

  private static Future<Void> refuseIf(List<ApiError> errors) {
    return errors.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new ApiException(errors));
  }
}
