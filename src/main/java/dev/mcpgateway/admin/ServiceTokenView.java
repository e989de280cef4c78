package dev.mcpgateway.admin;

import dev.mcpgateway.model.ServiceToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A service token as the management API shows it: Cloudflare's fields, every one present (null
 * when unset: {@code expires_at} of a {@code forever} token, {@code last_seen_at} of one never
 * used, {@code previous_client_secret_expires_at} before a rotation), plus {@code servers} (an
 * extension). {@code client_secret} only in what a create or a rotate answers, {@link #withSecret}:
 * the gateway keeps no copy to show again.
 */
final class ServiceTokenView {
  private ServiceTokenView() {}

  static JsonObject toJson(ServiceToken t) {
    return view(t, null);
  }

  static JsonObject withSecret(ServiceToken t, String secret) {
    return view(t, secret);
  }

  private static JsonObject view(ServiceToken t, String secret) {
    JsonObject json = new JsonObject()
        .put("id", t.id())
        .put("name", t.name())
        .put("client_id", t.clientId());
    if (secret != null) json.put("client_secret", secret);
    return json
        .put("duration", t.duration())
        .put("expires_at", text(t.expiresAt()))
        .put("created_at", text(t.createdAt()))
        .put("updated_at", text(t.updatedAt()))
        .put("last_seen_at", text(t.lastSeenAt()))
        .put("client_secret_version", t.secretVersion())
        .put("previous_client_secret_expires_at", text(t.previousSecretExpiresAt()))
        .put("servers", new JsonArray(t.servers()));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
