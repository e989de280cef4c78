package dev.mcpgateway.admin;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.json.JsonObject;

/** An audit entry as the management API shows it: snake_case, {@code before}/{@code after} null when there was no server. */
final class AuditView {
  private AuditView() {}

  static JsonObject toJson(AuditEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("account_id", e.accountId())
        .put("server_id", e.serverId())
        .put("action", e.action().wire())
        .put("actor", e.actor())
        .put("at", e.at().toString())
        .put("before", e.before() == null ? null : e.before().copy())
        .put("after", e.after() == null ? null : e.after().copy());
  }
}
