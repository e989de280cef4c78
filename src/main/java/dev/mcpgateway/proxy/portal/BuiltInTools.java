package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.model.Portal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The tools a portal answers itself, with no upstream: {@code portal_list_servers} (the members
 * this agent sees, with their state). A member whose id is {@code portal} could expose a tool of
 * the same name; the built-in one wins (the admin API refuses such a member).
 */
final class BuiltInTools {
  static final String LIST_SERVERS = "portal_list_servers";

  private BuiltInTools() {}

  static boolean has(String name) {
    return LIST_SERVERS.equals(name);
  }

  /** A fresh copy each time: callers add to it. */
  static JsonArray definitions() {
    return new JsonArray().add(new JsonObject()
        .put("name", LIST_SERVERS)
        .put("title", "List this portal's servers")
        .put("description", "Lists the MCP servers this portal serves to you: id, name, description, status, and how many tools and prompts "
            + "each one contributes. Tool and prompt names are prefixed with their server's id and an underscore.")
        .put("inputSchema", new JsonObject().put("type", "object").put("properties", new JsonObject()))
        .put("annotations", new JsonObject().put("readOnlyHint", true).put("openWorldHint", false)));
  }

  static JsonObject call(String name, Portal portal, List<PortalMembers.Member> members) {
    JsonArray servers = new JsonArray();
    for (PortalMembers.Member member : members) {
      var server = member.capabilities().server();
      JsonObject entry = new JsonObject().put("id", server.id()).put("name", server.name()).put("status", server.status().wire())
          .put("enabled", true).put("tools", member.view().tools().size()).put("prompts", member.view().prompts().size());
      if (server.description() != null) entry.put("description", server.description());
      servers.add(entry);
    }
    JsonObject structured = new JsonObject().put("portal", portal.id()).put("servers", servers);
    return new JsonObject()
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", structured.encode())))
        .put("structuredContent", structured);
  }
}
