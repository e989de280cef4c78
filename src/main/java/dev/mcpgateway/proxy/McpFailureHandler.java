package dev.mcpgateway.proxy;

import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.RequestUri;
import dev.mcpgateway.mcp.McpProtocol;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Router-level failures on the MCP endpoint (a path the router cannot decode, an exception in a
 * handler) answer as JSON-RPC errors, like everything else on {@code /mcp/...}, never with the
 * management API's envelope.
 */
public final class McpFailureHandler implements Handler<RoutingContext> {
  private static final System.Logger LOG = System.getLogger(McpFailureHandler.class.getName());

  public static boolean handles(String path) {
    return path != null && (path.startsWith("/mcp/") || path.equals("/mcp"));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    if (RequestUri.malformed(ctx.request().uri()).isPresent()) {
      McpReplies.error(ctx.response(), 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "malformed request: invalid percent-encoding");
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      LOG.log(System.Logger.Level.ERROR, "unhandled failure on " + ctx.request().method() + " /mcp/...", ctx.failure());
      McpReplies.error(ctx.response(), 500, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "internal error");
      return;
    }
    McpReplies.error(ctx.response(), status, null, McpProtocol.ErrorCodes.INVALID_REQUEST,
        status == 404 ? "not found" : status == 405 ? "method not allowed" : "malformed request");
  }
}
