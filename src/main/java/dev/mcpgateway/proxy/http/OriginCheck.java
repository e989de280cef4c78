package dev.mcpgateway.proxy.http;

import dev.mcpgateway.mcp.McpProtocol;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * With allowed origins configured, a request from any other browser origin is refused (403), as
 * the 2025-11-25 transport asks against DNS rebinding. Requests without {@code Origin} (agents
 * that are not browsers) are not affected.
 */
public final class OriginCheck implements Handler<RoutingContext> {
  private final Set<String> allowed;

  public OriginCheck(Set<String> allowed) {
    this.allowed = allowed;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !allowed.isEmpty() && !allowed.contains(origin)) {
      Exchange.of(ctx).outcome("rejected");
      McpReplies.error(ctx.response(), 403, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "origin not allowed");
      return;
    }
    ctx.next();
  }
}
