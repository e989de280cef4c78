package dev.mcpgateway.store;

import dev.mcpgateway.model.ServiceToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The storage form of a service token, shared by both stores: the API's field names plus
 * {@code account_id} and the secrets' SHA-256 ({@code client_secret_sha256},
 * {@code previous_client_secret_sha256}); never a secret. {@code format} versions the document.
 */
final class StoredServiceTokenJson {
  static final int FORMAT = 1;

  private StoredServiceTokenJson() {}

  static JsonObject encode(ServiceToken t) {
    return new JsonObject()
        .put("format", FORMAT)
        .put("account_id", t.accountId())
        .put("id", t.id())
        .put("name", t.name())
        .put("client_id", t.clientId())
        .put("client_secret_sha256", t.secretSha256())
        .put("previous_client_secret_sha256", t.previousSecretSha256())
        .put("previous_client_secret_expires_at", text(t.previousSecretExpiresAt()))
        .put("client_secret_version", t.secretVersion())
        .put("duration", t.duration())
        .put("expires_at", text(t.expiresAt()))
        .put("servers", new JsonArray(t.servers()))
        .put("created_at", text(t.createdAt()))
        .put("updated_at", text(t.updatedAt()))
        .put("last_seen_at", text(t.lastSeenAt()));
  }

  static ServiceToken decode(JsonObject json) {
    int format = json.getInteger("format", FORMAT);
    if (format != FORMAT) throw new IllegalStateException("unsupported stored service token format " + format);
    List<String> servers = json.getJsonArray("servers", new JsonArray()).stream().map(String.class::cast).toList();
    return new ServiceToken(
        json.getString("account_id"),
        json.getString("id"),
        json.getString("name"),
        json.getString("client_id"),
        json.getString("client_secret_sha256"),
        json.getString("previous_client_secret_sha256"),
        instant(json.getString("previous_client_secret_expires_at")),
        json.getInteger("client_secret_version"),
        json.getString("duration"),
        instant(json.getString("expires_at")),
        servers,
        instant(json.getString("created_at")),
        instant(json.getString("updated_at")),
        instant(json.getString("last_seen_at")));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
