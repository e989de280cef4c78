package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.stateless.Subscriptions;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The streams on which a portal's agents hear that its lists changed ({@link PortalChanges}): a
 * session's GET stream (plain {@code list_changed} notifications), and a stateless agent's
 * {@code subscriptions/listen} (acknowledged with what it asked for, each notification carrying
 * the subscription's id). Both send keep-alive comments, close at shutdown, and stop listening
 * when the agent goes.
 */
public final class PortalStreams {
  private final Vertx vertx;
  private final PortalChanges changes;
  private final long keepAliveMs;

  public PortalStreams(Vertx vertx, PortalChanges changes, long keepAliveMs) {
    this.vertx = vertx;
    this.changes = changes;
    this.keepAliveMs = keepAliveMs;
  }

  /** A bound session's GET stream. */
  void sessionStream(RoutingContext ctx, Portal portal, Agent client, ToggleHolder holder) {
    AgentEventStream.closeAtShutdown(ctx);
    AgentEventStream stream = AgentEventStream.open(ctx.response()).comment("mcp-gateway portal").keepAlive(vertx, keepAliveMs, () -> { });
    Runnable stop = changes.listen(portal, client, holder, (tools, prompts) -> {
      if (tools) stream.send(JsonRpc.notification(McpProtocol.Notifications.TOOLS_LIST_CHANGED, null));
      if (prompts) stream.send(JsonRpc.notification(McpProtocol.Notifications.PROMPTS_LIST_CHANGED, null));
    });
    ctx.response().closeHandler(v -> {
      stop.run();
      stream.end(null);
    });
  }

  /** {@code subscriptions/listen} of a stateless agent: the portal's list changes it asked for, with its subscription id. */
  void subscription(RoutingContext ctx, Portal portal, Agent client, ToggleHolder holder, JsonObject message) {
    Object id = message.getValue("id");
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    JsonObject requested = params.getValue("notifications") instanceof JsonObject n ? n : new JsonObject();
    JsonObject honoured = new JsonObject();
    if (Boolean.TRUE.equals(requested.getValue("toolsListChanged"))) honoured.put("toolsListChanged", true);
    if (Boolean.TRUE.equals(requested.getValue("promptsListChanged"))) honoured.put("promptsListChanged", true);
    AgentEventStream.closeAtShutdown(ctx);
    AgentEventStream stream = Subscriptions.acknowledge(ctx, id, honoured);
    if (honoured.isEmpty()) {
      stream.end(Subscriptions.done(id));
      return;
    }
    stream.keepAlive(vertx, keepAliveMs, () -> { });
    Runnable stop = changes.listen(portal, client, holder, (tools, prompts) -> {
      if (tools && honoured.containsKey("toolsListChanged")) {
        stream.send(JsonRpc.notification(McpProtocol.Notifications.TOOLS_LIST_CHANGED, new JsonObject().put("_meta", Subscriptions.meta(id))));
      }
      if (prompts && honoured.containsKey("promptsListChanged")) {
        stream.send(JsonRpc.notification(McpProtocol.Notifications.PROMPTS_LIST_CHANGED, new JsonObject().put("_meta", Subscriptions.meta(id))));
      }
    });
    ctx.response().closeHandler(v -> {
      stop.run();
      stream.end(null);
    });
  }
}
