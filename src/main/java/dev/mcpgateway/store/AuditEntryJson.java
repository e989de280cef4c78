package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The storage form of an audit entry: one line of the embedded store's JSONL files. {@code format}
 * versions it, as {@link StoredServerJson} does for servers: 1 had only server entries
 * ({@code server_id} always set); 2 adds {@code portal_id} (an entry about a portal has it instead
 * of {@code server_id}); 3 adds {@code service_token_id} and the actions {@code rotate} and
 * {@code refresh}; 4 adds {@code policy_id} (an entry about an access policy). Lines of format 1
 * are read as they are: server entries without a portal. Only entries about service tokens are
 * written as format 3 and only entries about access policies as format 4, so a gateway that
 * predates either still starts on a trail without any; one older than a line's format refuses to
 * start instead of misreading it.
 */
final class AuditEntryJson {
  static final int FORMAT = 4;
  /** What entries about servers and portals are written as. */
  static final int SERVERS_AND_PORTALS = 2;
  /** What entries about service tokens are written as. */
  static final int SERVICE_TOKENS = 3;
  /** Formats this version reads. */
  private static final java.util.Set<Integer> READABLE = java.util.Set.of(1, SERVERS_AND_PORTALS, SERVICE_TOKENS, FORMAT);

  private AuditEntryJson() {}

  static JsonObject encode(AuditEntry e) {
    JsonObject json = new JsonObject()
        .put("format", e.policyId() != null ? FORMAT : e.serviceTokenId() != null ? SERVICE_TOKENS : SERVERS_AND_PORTALS)
        .put("id", e.id())
        .put("account_id", e.accountId())
        .put("server_id", e.serverId())
        .put("portal_id", e.portalId());
    if (e.serviceTokenId() != null) json.put("service_token_id", e.serviceTokenId());
    if (e.policyId() != null) json.put("policy_id", e.policyId());
    return json
        .put("action", e.action().wire())
        .put("actor", e.actor())
        .put("at", e.at().toString())
        .put("before", e.before())
        .put("after", e.after());
  }

  static AuditEntry decode(JsonObject json) {
    int format = json.getInteger("format", FORMAT);
    if (!READABLE.contains(format)) throw new IllegalStateException("unsupported stored audit format " + format);
    return new AuditEntry(
        json.getLong("id"),
        json.getString("account_id"),
        json.getString("server_id"),
        json.getString("portal_id"),
        json.getString("service_token_id"),
        json.getString("policy_id"),
        AuditEntry.Action.fromWire(json.getString("action")).orElseThrow(),
        json.getString("actor"),
        Instant.parse(json.getString("at")),
        json.getJsonObject("before"),
        json.getJsonObject("after"));
  }
}
