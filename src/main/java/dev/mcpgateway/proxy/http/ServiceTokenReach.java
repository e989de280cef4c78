package dev.mcpgateway.proxy.http;

import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * On a server's own endpoint, 403 for a service token when the server acts on its users' behalf
 * ({@code oauth_on_behalf}): a service token cannot complete a per-user OAuth grant, so such servers
 * are excluded from its sessions ({@link Agent#mayReach}), as Cloudflare excludes them. Other agents
 * pass untouched; an unknown server or an unavailable store is left to the handlers after this one.
 */
public final class ServiceTokenReach implements Handler<RoutingContext> {
  private final CapabilityCache cache;

  public ServiceTokenReach(CapabilityCache cache) {
    this.cache = cache;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Agent agent = ctx.get(AgentAuthHandler.AGENT_KEY);
    if (agent == null || agent.kind() != Agent.Kind.SERVICE_TOKEN) {
      ctx.next();
      return;
    }
    Future<Capabilities> found = cache.get(ctx.pathParam("account_id"), ctx.pathParam("server_id"));
    // as PortalRoute: the body waits while the cache loads, or it would be read before anyone listens
    boolean waiting = !found.isComplete();
    if (waiting) HeldBody.hold(ctx);
    found.onComplete(result -> {
      if (result.succeeded() && !agent.mayReach(result.result().server())) {
        Exchange.of(ctx).outcome("rejected");
        McpReplies.error(ctx.response(), 403, null, McpProtocol.ErrorCodes.INVALID_REQUEST,
            "this MCP server acts on behalf of its users (per-user OAuth), which a service token cannot");
      } else {
        ctx.next();
      }
      if (waiting) HeldBody.release(ctx);
    });
  }
}
