package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.proxy.http.AgentAuthHandler;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.HeldBody;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds the portal a message is for — by path ({@code /mcp/{account_id}/portals/{portal_id}}) or
 * by the {@code Host} the agent connected to ({@code /mcp}) — after the client token was
 * authenticated, and checks the token may use the portal's account: 404 for no such portal, 403
 * for another account's, 503 when the store cannot say.
 */
public final class PortalRoute implements Handler<RoutingContext> {
  public static final String PORTAL_KEY = Portal.class.getName();
  private final PortalDirectory directory;

  public PortalRoute(PortalDirectory directory) {
    this.directory = directory;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String account = ctx.pathParam("account_id");
    String id = ctx.pathParam("portal_id");
    Future<Optional<Portal>> found = account != null && id != null ? directory.get(account, id) : directory.atHost(ctx.request().authority() == null
        ? ctx.request().getHeader("Host") : ctx.request().authority().host());
    // a lookup that waits for the store (PostgreSQL, not cached yet): the body must wait too, or it is read, unheard, before
    // the handler that reads it runs (Vert.x web does not pause requests); resumed once the next handlers have attached theirs
    boolean waiting = !found.isComplete();
    if (waiting) HeldBody.hold(ctx);
    found.onSuccess(portal -> {
      if (portal.isEmpty()) {
        Exchange.of(ctx).outcome("rejected");
        McpReplies.error(ctx.response(), 404, null, McpProtocol.ErrorCodes.INVALID_REQUEST, id != null
            ? "no portal '" + AgentText.clip(id) + "' in this account" : "no portal is served at this host");
        return;
      }
      Agent client = ctx.get(AgentAuthHandler.AGENT_KEY);
      if (!client.mayUseAccount(portal.get().accountId())) {
        Exchange.of(ctx).outcome("rejected");
        McpReplies.error(ctx.response(), 403, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "this client token may not use this portal");
        return;
      }
      Exchange.of(ctx).account = portal.get().accountId();
      Exchange.of(ctx).portal = portal.get().id();
      ctx.put(PORTAL_KEY, portal.get());
      ctx.next();
    }).onFailure(e -> McpReplies.error(ctx.response(), 503, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable"))
        .onComplete(done -> {
          if (waiting) HeldBody.release(ctx);
        });
  }
}
