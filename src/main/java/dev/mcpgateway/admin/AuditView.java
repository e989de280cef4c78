package dev.mcpgateway.admin;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.json.JsonObject;

/**
 * An audit entry as the management API shows it: snake_case; {@code server_id} for an entry about a
 * server, {@code portal_id} for one about a portal, {@code service_token_id} for one about a service
 * token, {@code policy_id} for one about an access policy; {@code before}/{@code after} null when
 * there was none.
 */
final class AuditView {
  private AuditView() {}

  static JsonObject toJson(AuditEntry e) {
    JsonObject json = new JsonObject()
        .put("id", e.id())
        .put("account_id", e.accountId());
    if (e.serverId() != null) json.put("server_id", e.serverId());
    if (e.portalId() != null) json.put("portal_id", e.portalId());
    if (e.serviceTokenId() != null) json.put("service_token_id", e.serviceTokenId());
    if (e.policyId() != null) json.put("policy_id", e.policyId());
    return json
        .put("action", e.action().wire())
        .put("actor", e.actor())
        .put("at", e.at().toString())
        .put("before", e.before() == null ? null : e.before().copy())
        .put("after", e.after() == null ? null : e.after().copy());
  }
}
