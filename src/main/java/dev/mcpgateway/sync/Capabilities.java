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
    return new Capabilities(server,
        ExposedView.expose(server.tools(), server.updatedTools()),
        ExposedView.expose(server.prompts(), server.updatedPrompts()),
        Map.copyOf(ExposedView.callableNames(server.tools(), server.updatedTools())),
        Map.copyOf(ExposedView.callableNames(server.prompts(), server.updatedPrompts())));
  }
}
