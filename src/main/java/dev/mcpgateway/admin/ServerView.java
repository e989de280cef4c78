package dev.mcpgateway.admin;

import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.McpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A server as the management API shows it: Cloudflare's field names, optional fields omitted when
 * unset, and never the credentials (write-only: not even their sealed form leaves the gateway).
 */
final class ServerView {
  private ServerView() {}

  static JsonObject toJson(McpServer s) {
    return toJson(s, null);
  }

  /**
   * With {@code context_tokens} and {@code context_bytes} (extensions) when {@code cost} is known:
   * what the server's own endpoint's {@code tools/list} and {@code prompts/list} cost an agent now.
   */
  static JsonObject toJson(McpServer s, ContextCost cost) {
    JsonObject json = new JsonObject()
        .put("id", s.id())
        .put("name", s.name())
        .put("hostname", s.hostname())
        .put("auth_type", s.authType().wire());
    putIfSet(json, "description", s.description());
    json.put("tools", s.tools().copy())
        .put("prompts", s.prompts().copy())
        .put("updated_tools", overrides(s.updatedTools()))
        .put("updated_prompts", overrides(s.updatedPrompts()))
        .put("is_shared_oauth_callback_enabled", s.sharedOauthCallbackEnabled())
        .put("status", s.status().wire());
    // extensions for tool-definition drift: shown only when they say something
    if (!s.holdChangedTools()) json.put("hold_changed_tools", false);
    java.util.Set<String> held = dev.mcpgateway.sync.ToolFingerprint.held(s);
    if (!held.isEmpty()) {
      JsonArray heldTools = new JsonArray();
      held.forEach(name -> {
        JsonObject item = new JsonObject().put("name", name).put("reason", "its definition changed upstream since it was accepted");
        JsonObject accepted = s.heldToolsAccepted().get(name);
        if (accepted != null) item.put("accepted", accepted.copy());
        heldTools.add(item);
      });
      json.put("held_tools", heldTools);
    }
    if (cost != null) json.put("context_tokens", cost.tokens()).put("context_bytes", cost.bytes());
    if (s.authType() == dev.mcpgateway.model.AuthType.OAUTH) {
      // Cloudflare's newer read-only fields, for oauth servers: never a token or a secret
      json.put("authentication_status", s.authenticationStatus().wire());
      if (s.oauthOnBehalf()) json.put("oauth_on_behalf", true);
      if (s.oauth() != null) {
        json.put("auth_config_summary", s.oauth().summary(s.oauth().tokenEndpointAuthMethod() != null
            && !"none".equals(s.oauth().tokenEndpointAuthMethod())));
        if (s.oauth().error() != null) json.put("authentication_error", s.oauth().error());
      }
    }
    putIfSet(json, "error", s.error());
    if (s.errorDetails() != null) json.put("error_details", s.errorDetails().toJson());
    putIfSet(json, "last_synced", time(s.lastSynced()));
    putIfSet(json, "last_successful_sync", time(s.lastSuccessfulSync()));
    putIfSet(json, "created_at", time(s.createdAt()));
    putIfSet(json, "created_by", s.createdBy());
    putIfSet(json, "modified_at", time(s.modifiedAt()));
    putIfSet(json, "modified_by", s.modifiedBy());
    return json;
  }

  private static JsonArray overrides(List<CapabilityOverride> list) {
    JsonArray array = new JsonArray();
    list.forEach(o -> array.add(o.toJson()));
    return array;
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) json.put(key, value);
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
