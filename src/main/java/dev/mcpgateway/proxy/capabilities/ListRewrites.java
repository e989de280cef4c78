package dev.mcpgateway.proxy.capabilities;

import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.ExposedView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * For a list forwarded upstream (the server has not synced yet): the page's items go through the
 * same overrides as the cached view, in place in the result, so {@code nextCursor} and every other
 * field pass through and paging keeps working.
 */
public final class ListRewrites {
  private ListRewrites() {}

  public static UnaryOperator<JsonObject> tools(Capabilities capabilities) {
    return message -> rewrite(message, "tools", capabilities.server().updatedTools());
  }

  public static UnaryOperator<JsonObject> prompts(Capabilities capabilities) {
    return message -> rewrite(message, "prompts", capabilities.server().updatedPrompts());
  }

  private static JsonObject rewrite(JsonObject message, String field, java.util.List<dev.mcpgateway.model.CapabilityOverride> overrides) {
    if (message.getValue("result") instanceof JsonObject result && result.getValue(field) instanceof JsonArray items) {
      result.put(field, ExposedView.expose(items, overrides));
    }
    return message;
  }
}
