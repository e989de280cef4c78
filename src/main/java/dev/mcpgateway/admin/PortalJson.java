package dev.mcpgateway.admin;

import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A portal as the management API shows it, Cloudflare's field names: the portal's own fields
 * ({@link #withoutServers}, what a delete answers) and {@code servers}, each member server as
 * {@link ServerView} shows it (never credentials) merged with its mapping ({@link #member}).
 * Members are passed in as read (a member deleted meanwhile is absent there and left out here).
 *
 * <p>The audit trail keeps a portal as {@link #audit} shows it: its own fields and each member's
 * mapping as the portal holds it ({@code server_id}, {@code default_disabled}, {@code on_behalf},
 * the portal's overrides in their request form) — not the member servers' own state, which
 * changes without the portal and has audit entries of its own.
 */
final class PortalJson {
  private PortalJson() {}

  /** The portal with its members; {@code members} by server id. */
  static JsonObject toJson(Portal portal, Map<String, McpServer> members) {
    return toJson(portal, members, null);
  }

  /**
   * With {@code context_tokens} and {@code context_bytes} (extensions) when {@code costs} is known:
   * what its lists cost an agent, by {@code optimize_context} mode ({@code full} first).
   */
  static JsonObject toJson(Portal portal, Map<String, McpServer> members, Map<String, ContextCost> costs) {
    JsonObject json = withoutServers(portal);
    JsonArray servers = new JsonArray();
    for (PortalServer mapping : portal.servers()) {
      McpServer server = members.get(mapping.serverId());
      if (server != null) servers.add(member(server, mapping));
    }
    json = insertBefore(json, "created_at", "servers", servers);
    if (costs == null) return json;
    JsonObject tokens = new JsonObject();
    JsonObject bytes = new JsonObject();
    costs.forEach((mode, cost) -> {
      tokens.put(mode, cost.tokens());
      bytes.put(mode, cost.bytes());
    });
    return insertBefore(insertBefore(json, "created_at", "context_tokens", tokens), "created_at", "context_bytes", bytes);
  }

  /** The portal's own fields: what a delete answers. */
  static JsonObject withoutServers(Portal p) {
    JsonObject json = new JsonObject()
        .put("id", p.id())
        .put("name", p.name())
        .put("hostname", p.hostname());
    if (p.description() != null) json.put("description", p.description());
    json.put("code_mode", p.codeMode().wire())
        .put("allow_code_mode", p.codeMode().allowed())
        .put("secure_web_gateway", p.secureWebGateway());
    putIfSet(json, "created_at", time(p.createdAt()));
    putIfSet(json, "created_by", p.createdBy());
    putIfSet(json, "modified_at", time(p.modifiedAt()));
    putIfSet(json, "modified_by", p.modifiedBy());
    return json;
  }

  /** The portal as its audit entries keep it: its own fields and the mappings as stored. */
  static JsonObject audit(Portal portal) {
    JsonArray mappings = new JsonArray();
    portal.servers().forEach(m -> mappings.add(m.toJson()));
    return insertBefore(withoutServers(portal), "created_at", "servers", mappings);
  }

  /**
   * One member as a portal shows it: the server ({@link ServerView}) with {@code server_id} beside
   * {@code id}, the mapping's {@code default_disabled} and {@code on_behalf}, and the overrides of
   * both levels merged by upstream name ({@link #mergedOverrides}).
   */
  static JsonObject member(McpServer server, PortalServer mapping) {
    JsonObject view = ServerView.toJson(server);
    JsonObject json = new JsonObject().put("id", server.id()).put("server_id", server.id());
    view.forEach(e -> {
      if (!json.containsKey(e.getKey())) json.put(e.getKey(), e.getValue());
    });
    json.put("default_disabled", mapping.defaultDisabled())
        .put("on_behalf", mapping.onBehalf())
        .put("updated_tools", mergedOverrides(mapping.updatedTools(), server.updatedTools()))
        .put("updated_prompts", mergedOverrides(mapping.updatedPrompts(), server.updatedPrompts()));
    return json;
  }

  /**
   * Cloudflare's response form of a member's overrides: one item per upstream name that either
   * level overrides — the portal's in their order, then the server's other ones — as
   * {@code {name, enabled?, portal_alias?, portal_description?, server_alias?, server_description?}};
   * {@code enabled} is the portal entry's when it sets one, else the server entry's.
   */
  static JsonArray mergedOverrides(List<CapabilityOverride> portalLevel, List<CapabilityOverride> serverLevel) {
    Map<String, CapabilityOverride> portal = new LinkedHashMap<>();
    portalLevel.forEach(o -> portal.putIfAbsent(o.name(), o));
    Map<String, CapabilityOverride> server = new HashMap<>();
    serverLevel.forEach(o -> server.putIfAbsent(o.name(), o));
    JsonArray merged = new JsonArray();
    portal.values().forEach(p -> merged.add(merged(p.name(), p, server.get(p.name()))));
    serverLevel.stream().filter(s -> !portal.containsKey(s.name())).map(CapabilityOverride::name).distinct()
        .forEach(name -> merged.add(merged(name, null, server.get(name))));
    return merged;
  }

  private static JsonObject merged(String name, CapabilityOverride portal, CapabilityOverride server) {
    JsonObject item = new JsonObject().put("name", name);
    Boolean enabled = portal != null && portal.enabled() != null ? portal.enabled() : server == null ? null : server.enabled();
    if (enabled != null) item.put("enabled", enabled);
    if (portal != null && portal.alias() != null) item.put("portal_alias", portal.alias());
    if (portal != null && portal.description() != null) item.put("portal_description", portal.description());
    if (server != null && server.alias() != null) item.put("server_alias", server.alias());
    if (server != null && server.description() != null) item.put("server_description", server.description());
    return item;
  }

  /** {@code json} with {@code key} placed before {@code before} (or last): the documented field order. */
  private static JsonObject insertBefore(JsonObject json, String before, String key, Object value) {
    JsonObject ordered = new JsonObject();
    json.forEach(e -> {
      if (e.getKey().equals(before)) ordered.put(key, value);
      ordered.put(e.getKey(), e.getValue());
    });
    if (!ordered.containsKey(key)) ordered.put(key, value);
    return ordered;
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) json.put(key, value);
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
