package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The tools a portal answers itself, with no upstream: {@code portal_list_servers} (the members
 * this agent may use, with their state and whether it switched them on), {@code portal_toggle_single_server}
 * (switches one member off — {@code untoggle} — or back on — {@code toggle} — for this agent only,
 * see {@link ToggleHolder}), and {@code portal_toggle_servers} (the URL of the page where the user
 * does the same and connects on-behalf OAuth members, {@link SwitchesPage}). A member whose id is
 * {@code portal} could expose tools of the same names; the built-in ones win (the admin API refuses
 * such a member). Refusals are tool results with {@code isError}, never JSON-RPC errors: the
 * agent's model reads them.
 */
public final class BuiltInTools {
  static final String LIST_SERVERS = "portal_list_servers";
  static final String TOGGLE_SINGLE_SERVER = "portal_toggle_single_server";
  static final String TOGGLE_SERVERS = "portal_toggle_servers";
  private static final Set<String> NAMES = Set.of(LIST_SERVERS, TOGGLE_SINGLE_SERVER, TOGGLE_SERVERS);

  private final PortalMembers members;
  private final PortalSwitches switches;
  private final MemberConnections connections;
  private final SwitchesPage page;
  private final GatewayMetrics metrics;

  public BuiltInTools(PortalMembers members, PortalSwitches switches, SwitchesPage page, GatewayMetrics metrics) {
    this.members = members;
    this.switches = switches;
    this.connections = page.connections();
    this.page = page;
    this.metrics = metrics;
  }

  static boolean has(String name) {
    return NAMES.contains(name);
  }

  /** A fresh copy each time: callers add to it. */
  static JsonArray definitions() {
    JsonObject noInput = new JsonObject().put("type", "object").put("properties", new JsonObject());
    return new JsonArray()
        .add(new JsonObject().put("name", LIST_SERVERS).put("title", "List this portal's servers")
            .put("description", "Lists the MCP servers this portal serves to you: id, name, description, status, whether you have "
                + "switched it on (enabled), and how many tools and prompts each one contributes. Tool and prompt names are prefixed "
                + "with their server's id and an underscore.")
            .put("inputSchema", noInput.copy())
            .put("annotations", new JsonObject().put("readOnlyHint", true).put("openWorldHint", false)))
        .add(new JsonObject().put("name", TOGGLE_SINGLE_SERVER).put("title", "Switch one of this portal's servers on or off")
            .put("description", "Switches one server of this portal off (action \"untoggle\": its tools and prompts disappear from your "
                + "lists) or back on (action \"toggle\"), for you only. Server ids are those of portal_list_servers.")
            .put("inputSchema", new JsonObject().put("type", "object")
                .put("properties", new JsonObject()
                    .put("server_id", new JsonObject().put("type", "string").put("description", "The server's id"))
                    .put("action", new JsonObject().put("type", "string").put("enum", new JsonArray().add("toggle").add("untoggle"))
                        .put("description", "toggle: switch on; untoggle: switch off")))
                .put("required", new JsonArray().add("server_id").add("action")))
            .put("annotations", new JsonObject().put("readOnlyHint", false).put("destructiveHint", false).put("idempotentHint", true)
                .put("openWorldHint", false)))
        .add(new JsonObject().put("name", TOGGLE_SERVERS).put("title", "Manage this portal's servers in the browser")
            .put("description", "Answers the URL of a page where the user switches this portal's servers on or off for you and connects "
                + "the servers that act on the user's behalf. Give the URL to the user to open in a browser.")
            .put("inputSchema", noInput.copy())
            .put("annotations", new JsonObject().put("readOnlyHint", true).put("openWorldHint", false)));
  }

  /** The result of built-in tool {@code name}; never fails (a refusal is an {@code isError} result). */
  Future<JsonObject> call(String name, Portal portal, Agent client, ToggleHolder holder, JsonObject arguments) {
    return switch (name) {
      case LIST_SERVERS -> listServers(portal, client, holder);
      case TOGGLE_SINGLE_SERVER -> toggle(portal, client, holder, arguments);
      default -> {
        String url = page.url(portal, client, holder);
        yield Future.succeededFuture(result("Open this page in a browser to switch this portal's servers on or off for "
            + holder.scope() + " and to connect the servers that act on your behalf: " + url, new JsonObject().put("url", url)));
      }
    };
  }

  private Future<JsonObject> listServers(Portal portal, Agent client, ToggleHolder holder) {
    return switches.off(portal, holder).compose(off -> members.load(portal, client).map(loaded -> {
      JsonArray servers = new JsonArray();
      for (PortalMembers.Member member : loaded) {
        var server = member.capabilities().server();
        JsonObject entry = new JsonObject().put("id", server.id()).put("name", server.name()).put("status", server.status().wire())
            .put("enabled", !off.contains(server.id())).put("tools", member.view().tools().size()).put("prompts", member.view().prompts().size());
        if (server.description() != null) entry.put("description", server.description());
        servers.add(entry);
      }
      JsonObject structured = new JsonObject().put("portal", portal.id()).put("servers", servers);
      return result(structured.encode(), structured);
    }));
  }

  private Future<JsonObject> toggle(Portal portal, Agent client, ToggleHolder holder, JsonObject arguments) {
    String serverId = arguments.getValue("server_id") instanceof String s ? s : null;
    Object action = arguments.getValue("action");
    if (serverId == null || !("toggle".equals(action) || "untoggle".equals(action))) {
      return Future.succeededFuture(error("Give server_id (a server of portal_list_servers) and action: \"toggle\" (on) or \"untoggle\" (off)."));
    }
    if (!PortalMembers.reachable(portal, client, serverId)) {
      metrics.portalToggle(portal.accountId(), portal.id(), "tool", "refused");
      return Future.succeededFuture(error("Unknown server '" + AgentText.clip(serverId) + "': it is not one of this portal's servers "
          + "(portal_list_servers lists them)."));
    }
    boolean on = "toggle".equals(action);
    return switches.turn(portal, holder, serverId, on)
        .compose(off -> {
          metrics.portalToggle(portal.accountId(), portal.id(), "tool", on ? "on" : "off");
          JsonObject structured = new JsonObject().put("server_id", serverId).put("enabled", on);
          String text = "Server '" + serverId + "' is now " + (on ? "on" : "off") + " for " + holder.scope()
              + (on ? ": its tools and prompts are back in your lists." : ": its tools and prompts are gone from your lists until you switch it on.");
          if (!on) return Future.succeededFuture(result(text, structured));
          // switched on but not usable until the user connects it: the same link a call to it would answer
          return connections.state(portal, portal.member(serverId), client.name()).map(state -> {
            if (state.connectUrl() == null) return result(text, structured);
            structured.put("authorization_url", state.connectUrl());
            return result(text + " It acts on your user's behalf: they must first authorize it at " + state.connectUrl(), structured);
          });
        })
        .otherwise(e -> {
          metrics.portalToggle(portal.accountId(), portal.id(), "tool", "failed");
          return error("Could not switch server '" + serverId + "': the gateway's store is unavailable. Nothing changed.");
        });
  }

  private static JsonObject result(String text, JsonObject structured) {
    return new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
        .put("structuredContent", structured);
  }

  private static JsonObject error(String text) {
    return new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text))).put("isError", true);
  }
}
