package dev.mcpgateway.metrics;

import dev.mcpgateway.logging.AccessLog;
import dev.mcpgateway.security.ApiToken;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Writes the access-log line of every management API request and counts it by operation (list, create, read, update, delete, sync, audit, analytics,
 * portal_list, portal_create, portal_read, portal_update, portal_delete, service_token_list, service_token_create, service_token_read,
 * service_token_update, service_token_delete, service_token_rotate, service_token_refresh, policy_list, policy_create, policy_read,
 * policy_update, policy_delete, policy_explain, other) and HTTP status, once each response has ended — whether a handler, the failure
 * handler or the router answered it.
 */
public final class AdminRequestMetrics implements Handler<RoutingContext> {
  private static final Pattern SERVERS = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/servers/?");
  private static final Pattern SERVER = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/servers/[^/]+/?");
  private static final Pattern SYNC = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/servers/[^/]+/sync/?");
  private static final Pattern AUDIT = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/audit/?");
  private static final Pattern ANALYTICS =
      Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/analytics/((servers|portals)/[^/]+/)?tool-calls/timeseries/?");
  private static final Pattern PORTALS = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/portals/?");
  private static final Pattern PORTAL = Pattern.compile("/accounts/[^/]+/access/ai-controls/mcp/portals/[^/]+/?");
  private static final Pattern SERVICE_TOKENS = Pattern.compile("/accounts/[^/]+/access/service_tokens/?");
  private static final Pattern SERVICE_TOKEN = Pattern.compile("/accounts/[^/]+/access/service_tokens/[^/]+/?");
  private static final Pattern SERVICE_TOKEN_ACTION = Pattern.compile("/accounts/[^/]+/access/service_tokens/[^/]+/(rotate|refresh)/?");
  private static final Pattern POLICIES = Pattern.compile("/accounts/[^/]+/access/policies/?");
  private static final Pattern EXPLAIN = Pattern.compile("/accounts/[^/]+/access/policies/explain/?");
  private static final Pattern POLICY = Pattern.compile("/accounts/[^/]+/access/policies/[^/]+/?");

  private final GatewayMetrics metrics;

  public AdminRequestMetrics(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String operation = operation(ctx.request().method().name(), ctx.request().path());
    long started = System.nanoTime();
    // Vert.x names its HTTP span by method only: the operation says what the request was (low cardinality, unlike the path)
    io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.current();
    if (span.getSpanContext().isValid()) {
      span.updateName(ctx.request().method().name() + " " + operation);
      span.setAttribute("mcp_gateway.admin.operation", operation);
      span.setAttribute("mcp_gateway.account.id", account(ctx.request().path()));
    }
    ctx.addEndHandler(v -> {
      int status = ctx.response().getStatusCode();
      metrics.adminRequest(operation, status);
      ApiToken token = ctx.get(ApiToken.class.getName());
      AccessLog.admin(account(ctx.request().path()), operation, ctx.request().method().name(), status, System.nanoTime() - started,
          token == null ? null : token.name());
    });
    ctx.next();
  }

  /** The account segment of an admin path, for the access log (only well-formed ids; else "unknown"). */
  static String account(String path) {
    String[] parts = path == null ? new String[0] : path.split("/");
    return parts.length > 2 && parts[2].matches("[A-Za-z0-9_-]{1,64}") ? parts[2] : "unknown";
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
    if (ANALYTICS.matcher(path).matches()) return method.equals("GET") ? "analytics" : "other";
    if (PORTALS.matcher(path).matches()) return method.equals("GET") ? "portal_list" : method.equals("POST") ? "portal_create" : "other";
    if (PORTAL.matcher(path).matches()) {
      return switch (method) {
        case "GET" -> "portal_read";
        case "PUT" -> "portal_update";
        case "DELETE" -> "portal_delete";
        default -> "other";
      };
    }
    return serviceTokenOperation(method, path);
  }

  private static String serviceTokenOperation(String method, String path) {
    if (SERVICE_TOKENS.matcher(path).matches()) {
      return method.equals("GET") ? "service_token_list" : method.equals("POST") ? "service_token_create" : "other";
    }
    java.util.regex.Matcher action = SERVICE_TOKEN_ACTION.matcher(path);
    if (action.matches()) return method.equals("POST") ? "service_token_" + action.group(1) : "other";
    if (SERVICE_TOKEN.matcher(path).matches()) {
      return switch (method) {
        case "GET" -> "service_token_read";
        case "PUT" -> "service_token_update";
        case "DELETE" -> "service_token_delete";
        default -> "other";
      };
    }
    return policyOperation(method, path);
  }

  /** The access policy routes; {@code explain} is a GET of its own, while a PUT or DELETE there reaches the policy handlers (404). */
  private static String policyOperation(String method, String path) {
    if (POLICIES.matcher(path).matches()) return method.equals("GET") ? "policy_list" : method.equals("POST") ? "policy_create" : "other";
    if (EXPLAIN.matcher(path).matches() && method.equals("GET")) return "policy_explain";
    if (POLICY.matcher(path).matches()) {
      return switch (method) {
        case "GET" -> "policy_read";
        case "PUT" -> "policy_update";
        case "DELETE" -> "policy_delete";
        default -> "other";
      };
    }
    return "other";
  }
}
