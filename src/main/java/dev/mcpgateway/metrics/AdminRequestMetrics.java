package dev.mcpgateway.metrics;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Counts management API requests by operation (list, create, read, update, delete, sync, audit,
 * other) and HTTP status, once each response has ended — whether a handler, the failure handler or
 * the router answered it.
 */
public final class AdminRequestMetrics implements Handler<RoutingContext> {
  private static final Pattern SERVERS = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/servers/?");
  private static final Pattern SERVER = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/servers/[^/]+/?");
  private static final Pattern SYNC = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/servers/[^/]+/sync/?");
  private static final Pattern AUDIT = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/audit/?");

  private final GatewayMetrics metrics;

  public AdminRequestMetrics(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String operation = operation(ctx.request().method().name(), ctx.request().path());
    ctx.addEndHandler(v -> metrics.adminRequest(operation, ctx.response().getStatusCode()));
    ctx.next();
  }

  static String operation(String method, String path) {
    if (path == null) return "other";
    if (SERVERS.matcher(path).matches()) return method.equals("GET") ? "list" : method.equals("POST") ? "create" : "other";
    if (SYNC.matcher(path).matches()) return method.equals("POST") ? "sync" : "other";
    if (SERVER.matcher(path).matches()) {
      return switch (method) {
        case "GET" -> "read";
        case "PUT" -> "update";
        case "DELETE" -> "delete";
        default -> "other";
      };
    }
    if (AUDIT.matcher(path).matches()) return method.equals("GET") ? "audit" : "other";
    return "other";
  }
}
