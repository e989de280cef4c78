package dev.mcpgateway.store;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.ErrorDetails;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The storage form of a server, shared by every store: the API's snake_case fields plus
 * {@code account_id} and the sealed credentials ({@code auth_credentials_sealed}, ciphertext only).
 * {@code format} versions the document so a later release can migrate it.
 */
final class StoredServerJson {
  static final int FORMAT = 1;

  private StoredServerJson() {}

  static JsonObject encode(McpServer s) {
    JsonObject json = new JsonObject()
        .put("format", FORMAT)
        .put("account_id", s.accountId())
        .put("id", s.id())
        .put("name", s.name())
        .put("hostname", s.hostname())
        .put("auth_type", s.authType().wire())
        .put("auth_credentials_sealed", s.credentials() == null ? null : s.credentials().ciphertext())
        .put("description", s.description())
        .put("tools", s.tools())
        .put("prompts", s.prompts())
        .put("updated_tools", overrides(s.updatedTools()))
        .put("updated_prompts", overrides(s.updatedPrompts()))
        .put("is_shared_oauth_callback_enabled", s.sharedOauthCallbackEnabled())
        .put("status", s.status().wire())
        .put("error", s.error())
        .put("error_details", s.errorDetails() == null ? null : s.errorDetails().toJson())
        .put("last_synced", time(s.lastSynced()))
        .put("last_successful_sync", time(s.lastSuccessfulSync()))
        .put("created_at", time(s.createdAt()))
        .put("created_by", s.createdBy())
        .put("modified_at", time(s.modifiedAt()))
        .put("modified_by", s.modifiedBy())
        .put("hold_changed_tools", s.holdChangedTools())
        .put("accepted_tool_hashes", new JsonObject(new java.util.LinkedHashMap<>(s.acceptedToolHashes())))
        .put("oauth", s.oauth() == null ? null : s.oauth().toJson())
        .put("oauth_on_behalf", s.oauthOnBehalf());
    if (!s.heldToolsAccepted().isEmpty()) {
      JsonObject definitions = new JsonObject();
      s.heldToolsAccepted().forEach((name, definition) -> definitions.put(name, definition.copy()));
      json.put("held_tools_accepted", definitions);
    }
    return json;
  }

  static McpServer decode(JsonObject json) {
    int format = json.getInteger("format", FORMAT);
    if (format != FORMAT) throw new IllegalStateException("unsupported stored server format " + format);
    String sealed = json.getString("auth_credentials_sealed");
    return new McpServer(
        json.getString("account_id"),
        json.getString("id"),
        json.getString("name"),
        json.getString("hostname"),
        AuthType.fromWire(json.getString("auth_type")).orElseThrow(),
        sealed == null ? null : new SealedSecret(sealed),
        json.getString("description"),
        json.getJsonArray("tools", new JsonArray()),
        json.getJsonArray("prompts", new JsonArray()),
        overrides(json.getJsonArray("updated_tools")),
        overrides(json.getJsonArray("updated_prompts")),
        json.getBoolean("is_shared_oauth_callback_enabled", false),
        ServerStatus.fromWire(json.getString("status")).orElseThrow(),
        json.getString("error"),
        ErrorDetails.fromJson(json.getJsonObject("error_details")),
        instant(json.getString("last_synced")),
        instant(json.getString("last_successful_sync")),
        instant(json.getString("created_at")),
        json.getString("created_by"),
        instant(json.getString("modified_at")),
        json.getString("modified_by"),
        json.getBoolean("hold_changed_tools", true),
        hashes(json.getJsonObject("accepted_tool_hashes")),
        dev.mcpgateway.model.OAuthConnection.fromJson(json.getJsonObject("oauth")),
        json.getBoolean("oauth_on_behalf", false),
        definitions(json.getJsonObject("held_tools_accepted")));
  }

  private static JsonArray overrides(List<CapabilityOverride> list) {
    JsonArray array = new JsonArray();
    list.forEach(o -> array.add(o.toJson()));
    return array;
  }

  private static List<CapabilityOverride> overrides(JsonArray array) {
    if (array == null) return List.of();
    return array.stream().map(o -> CapabilityOverride.fromJson((JsonObject) o)).toList();
  }

  private static java.util.Map<String, String> hashes(JsonObject json) {
    java.util.Map<String, String> map = new java.util.HashMap<>();
    if (json != null) json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    return map;
  }

  private static java.util.Map<String, JsonObject> definitions(JsonObject json) {
    java.util.Map<String, JsonObject> map = new java.util.HashMap<>();
    if (json != null) json.forEach(e -> {
      if (e.getValue() instanceof JsonObject definition) map.put(e.getKey(), definition);
    });
    return map;
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }
}
