package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The storage form of an audit entry: one line of the embedded store's JSONL files. {@code format}
 * versions it, as {@link StoredServerJson} does for servers.
 */
final class AuditEntryJson {
  static final int FORMAT = 1;

  private AuditEntryJson() {}

  static JsonObject encode(AuditEntry e) {
    return new JsonObject()
        .put("format", FORMAT)
        .put("id", e.id())
        .put("account_id", e.accountId())
        .put("server_id", e.serverId())
        .put("action", e.action().wire())
        .put("actor", e.actor())
        .put("at", e.at().toString())
        .put("before", e.before())
        .put("after", e.after());
  }

  static AuditEntry decode(JsonObject json) {
    int format = json.getInteger("format", FORMAT);
    if (format != FORMAT) throw new IllegalStateException("unsupported stored audit format " + format);
    return new AuditEntry(
        json.getLong("id"),
        json.getString("account_id"),
        json.getString("server_id"),
        AuditEntry.Action.fromWire(json.getString("action")).orElseThrow(),
        json.getString("actor"),
        Instant.parse(json.getString("at")),
        json.getJsonObject("before"),
        json.getJsonObject("after"));
  }
}
