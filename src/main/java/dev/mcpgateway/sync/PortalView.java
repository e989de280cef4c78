package dev.mcpgateway.sync;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.PortalServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a portal's agents see of one member server, and every rule about those names, as pure
 * functions (the portal's counterpart of {@link ExposedView}).
 *
 * <p>Names: each tool and prompt is {@code {server_id}_{name}}, where {@code name} is the portal
 * alias, else the server alias, else the upstream name; an agent's name splits on the first
 * {@code _} (server ids cannot contain one). Descriptions: portal, else server, else upstream.
 *
 * <p>Enabled (Cloudflare leaves the combination undocumented; decided here, table-tested in
 * {@code PortalViewTest}): a portal entry's {@code enabled} wins when set; otherwise a server-level
 * {@code enabled: false} hides the item in every portal; otherwise the item shows unless the
 * mapping has {@code default_disabled} (the allow-list mode, where only a portal entry with
 * {@code enabled: true} shows an item). Tools held back on the server (changed definitions) are
 * hidden here too.
 *
 * <p>Collisions: two items of one member with the same exposed name are refused when the portal
 * is written ({@link #conflicts}); one that appears later (an upstream adds a tool whose name is
 * another's alias, a server alias changes) is resolved as on the server endpoint: an aliased item
 * keeps its name and the other is held back ({@link #member} leaves it out).
 */
public final class PortalView {
  private PortalView() {}

  /** Separates the server id from the item's name in a portal name. */
  public static final char SEPARATOR = '_';
  /** The "server id" of the portal's own tools ({@code portal_list_servers}, ...): no member may have it. */
  public static final String BUILT_IN_PREFIX = "portal";

  public enum Kind { TOOL, PROMPT }

  /** One member as the portal shows it: the lists and the exposed → upstream name maps. */
  public record Member(String serverId, JsonArray tools, JsonArray prompts, Map<String, String> toolNames, Map<String, String> promptNames) {
    public Map<String, String> names(Kind kind) {
      return kind == Kind.TOOL ? toolNames : promptNames;
    }
  }

  /** Two or more items of a member that a portal would expose under one {@code name} (without the server prefix). */
  public record Conflict(Kind kind, String name, List<String> upstreamNames) {}

  /** A portal name split at its first separator: the member's id and the item's name within it. */
  public record Split(String serverId, String name) {}

  public static Optional<Split> split(String exposed) {
    if (exposed == null) return Optional.empty();
    int at = exposed.indexOf(SEPARATOR);
    if (at <= 0 || at == exposed.length() - 1) return Optional.empty();
    return Optional.of(new Split(exposed.substring(0, at), exposed.substring(at + 1)));
  }

  public static String exposedName(String serverId, String name) {
    return serverId + SEPARATOR + name;
  }

  /** The member's lists and names in this portal. */
  public static Member member(McpServer server, PortalServer mapping) {
    Set<String> held = ToolFingerprint.held(server);
    Exposure tools = expose(server.id(), server.tools(), held, server.updatedTools(), mapping.updatedTools(), mapping.defaultDisabled());
    Exposure prompts = expose(server.id(), server.prompts(), Set.of(), server.updatedPrompts(), mapping.updatedPrompts(),
        mapping.defaultDisabled());
    return new Member(server.id(), tools.items, prompts.items, Map.copyOf(tools.names), Map.copyOf(prompts.names));
  }

  /**
   * What a portal write must refuse: exposed names that two synced items of {@code server} would
   * share under {@code mapping}'s overrides (only enabled items count), in upstream order.
   */
  public static List<Conflict> conflicts(McpServer server, PortalServer mapping) {
    List<Conflict> conflicts = new ArrayList<>();
    conflicts.addAll(conflicts(Kind.TOOL, server.tools(), server.updatedTools(), mapping.updatedTools(), mapping.defaultDisabled()));
    conflicts.addAll(conflicts(Kind.PROMPT, server.prompts(), server.updatedPrompts(), mapping.updatedPrompts(), mapping.defaultDisabled()));
    return conflicts;
  }

  /** Whether an item shows in the portal (see the class comment for the rule). */
  public static boolean enabled(CapabilityOverride portal, CapabilityOverride server, boolean defaultDisabled) {
    if (portal != null && portal.enabled() != null) return portal.enabled();
    if (server != null && Boolean.FALSE.equals(server.enabled())) return false;
    return !defaultDisabled;
  }

  /** The item's name within the member: portal alias, else server alias, else the upstream name. */
  public static String name(String upstream, CapabilityOverride portal, CapabilityOverride server) {
    if (portal != null && portal.alias() != null) return portal.alias();
    if (server != null && server.alias() != null) return server.alias();
    return upstream;
  }

  private static boolean aliased(CapabilityOverride portal, CapabilityOverride server) {
    return portal != null && portal.alias() != null || server != null && server.alias() != null;
  }

  private record Exposure(JsonArray items, Map<String, String> names) {}

  private static Exposure expose(String serverId, JsonArray upstream, Set<String> held, List<CapabilityOverride> serverLevel,
      List<CapabilityOverride> portalLevel, boolean defaultDisabled) {
    Map<String, CapabilityOverride> server = byName(serverLevel);
    Map<String, CapabilityOverride> portal = byName(portalLevel);
    // aliased items claim their names first: an alias is what an admin chose, a bare upstream name is not
    Map<String, String> claimed = new HashMap<>();
    for (int pass = 0; pass < 2; pass++) {
      for (Object item : upstream) {
        if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String upstreamName)) continue;
        CapabilityOverride p = portal.get(upstreamName);
        CapabilityOverride s = server.get(upstreamName);
        if (aliased(p, s) != (pass == 0) || held.contains(upstreamName) || !enabled(p, s, defaultDisabled)) continue;
        claimed.putIfAbsent(exposedName(serverId, name(upstreamName, p, s)), upstreamName);
      }
    }
    JsonArray items = new JsonArray();
    Map<String, String> names = new LinkedHashMap<>();
    for (Object item : upstream) { // upstream order
      if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String upstreamName)) continue;
      CapabilityOverride p = portal.get(upstreamName);
      CapabilityOverride s = server.get(upstreamName);
      String exposed = exposedName(serverId, name(upstreamName, p, s));
      if (!upstreamName.equals(claimed.get(exposed)) || names.containsKey(exposed)) continue;
      JsonObject copy = object.copy().put("name", exposed);
      String description = p != null && p.description() != null ? p.description() : s != null ? s.description() : null;
      if (description != null) copy.put("description", description);
      items.add(copy);
      names.put(exposed, upstreamName);
    }
    return new Exposure(items, names);
  }

  private static List<Conflict> conflicts(Kind kind, JsonArray upstream, List<CapabilityOverride> serverLevel,
      List<CapabilityOverride> portalLevel, boolean defaultDisabled) {
    Map<String, CapabilityOverride> server = byName(serverLevel);
    Map<String, CapabilityOverride> portal = byName(portalLevel);
    Map<String, List<String>> byExposed = new LinkedHashMap<>();
    for (Object item : upstream) {
      if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String upstreamName)) continue;
      CapabilityOverride p = portal.get(upstreamName);
      CapabilityOverride s = server.get(upstreamName);
      if (!enabled(p, s, defaultDisabled)) continue;
      byExposed.computeIfAbsent(name(upstreamName, p, s), n -> new ArrayList<>()).add(upstreamName);
    }
    List<Conflict> conflicts = new ArrayList<>();
    byExposed.forEach((name, upstreamNames) -> {
      if (upstreamNames.size() > 1) conflicts.add(new Conflict(kind, name, List.copyOf(upstreamNames)));
    });
    return conflicts;
  }

  private static Map<String, CapabilityOverride> byName(List<CapabilityOverride> overrides) {
    Map<String, CapabilityOverride> byName = new HashMap<>();
    overrides.forEach(o -> byName.putIfAbsent(o.name(), o));
    return byName;
  }
}
