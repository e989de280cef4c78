package dev.mcpgateway.admin;

import dev.mcpgateway.store.AuditQuery;
import dev.mcpgateway.store.AuditLog;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/** {@code GET .../mcp/audit}: one page of the account's audit trail, newest first, optionally of one server, portal, service token or access policy. */
final class AuditHandlers {
  private final AuditLog audit;

  AuditHandlers(AuditLog audit) {
    this.audit = audit;
  }

  void list(RoutingContext ctx) {
    AuditQuery query = ListParameters.parseAudit(ctx.queryParams(), ServerHandlers.DEFAULT_PER_PAGE, ServerHandlers.MAX_PER_PAGE);
    Envelope.respond(ctx, audit.list(ctx.pathParam("account_id"), query).map(page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(e -> items.add(AuditView.toJson(e)));
      return Envelope.page(items, query.page(), query.perPage(), page.totalCount());
    }));
  }
}
