package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;

/**
 * An admin override of one upstream tool or prompt, as in {@code updated_tools} and
 * {@code updated_prompts}. Null fields are unset: no alias, upstream description, enabled.
 */
public record CapabilityOverride(String name, String alias, String description, Boolean enabled) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name);
    if (alias != null) json.put("alias", alias);
    if (description != null) json.put("description", description);
    if (enabled != null) json.put("enabled", enabled);
    return json;
  }

  public static CapabilityOverride fromJson(JsonObject json) {
    return new CapabilityOverride(
        json.getString("name"), json.getString("alias"), json.getString("description"), json.getBoolean("enabled"));
  }
}
