package dev.mcpgateway.sync;

import dev.mcpgateway.model.McpServer;
import io.vertx.core.json.JsonArray;
import java.util.Map;

/**
 * A server's capabilities as the proxy serves them: the synced upstream lists, the lists agents
 * see, and the exposed → upstream name maps for calls. Built once per cache load.
 */
public record Capabilities(
    McpServer server,
    JsonArray exposedTools,
    JsonArray exposedPrompts,
    Map<String, String> toolNames,
    Map<String, String> promptNames) {

  public static Capabilities of(McpServer server) {
    // tools whose definition changed upstream since it was accepted are held back entirely
    java.util.Set<String> held = ToolFingerprint.held(server);
    JsonArray tools = held.isEmpty() ? server.tools() : new JsonArray(server.tools().stream()
        .filter(t -> !(t instanceof io.vertx.core.json.JsonObject o && held.contains(o.getString("name")))).toList());
    return new Capabilities(server,
        ExposedView.expose(tools, server.updatedTools()),
        ExposedView.expose(server.prompts(), server.updatedPrompts()),
        Map.copyOf(ExposedView.callableNames(tools, server.updatedTools())),
        Map.copyOf(ExposedView.callableNames(server.prompts(), server.updatedPrompts())));
  }
}
