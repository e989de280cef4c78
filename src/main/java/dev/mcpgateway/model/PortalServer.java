package dev.mcpgateway.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One server of a portal, Cloudflare's {@code servers[]} item: which server, whether its tools and
 * prompts are hidden unless enabled here ({@code default_disabled}, the allow-list mode), whose
 * upstream credential calls use ({@code on_behalf}: each user's own OAuth connection, else the
 * server's admin credential), and the portal-level overrides, keyed by upstream name.
 */
public record PortalServer(String serverId, boolean defaultDisabled, boolean onBehalf, List<CapabilityOverride> updatedTools,
    List<CapabilityOverride> updatedPrompts) {

  public PortalServer {
    Objects.requireNonNull(serverId, "serverId");
    updatedTools = updatedTools == null ? List.of() : List.copyOf(updatedTools);
    updatedPrompts = updatedPrompts == null ? List.of() : List.copyOf(updatedPrompts);
  }

  /** The stored form (also the request form: {@code alias}/{@code description} per override). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("server_id", serverId)
        .put("default_disabled", defaultDisabled)
        .put("on_behalf", onBehalf)
        .put("updated_tools", overrides(updatedTools))
        .put("updated_prompts", overrides(updatedPrompts));
  }

  public static PortalServer fromJson(JsonObject json) {
    return new PortalServer(json.getString("server_id"), json.getBoolean("default_disabled", false), json.getBoolean("on_behalf", true),
        overrides(json.getJsonArray("updated_tools")), overrides(json.getJsonArray("updated_prompts")));
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
}
