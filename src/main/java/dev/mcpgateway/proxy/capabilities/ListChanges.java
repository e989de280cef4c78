package dev.mcpgateway.proxy.capabilities;

import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.sync.CapabilitySync;
import io.vertx.core.json.JsonObject;

/**
 * An upstream's {@code list_changed}, seen on its way to an agent in either era: the cache forgets
 * the server and a resync starts, so that the lists the gateway answers follow the upstream's.
 * The message itself passes on unchanged.
 */
public final class ListChanges {
  private final CapabilityCache cache;
  private final CapabilitySync sync;

  public ListChanges(CapabilityCache cache, CapabilitySync sync) {
    this.cache = cache;
    this.sync = sync;
  }

  public JsonObject seen(McpServer server, JsonObject message) {
    String method = message.getString("method");
    if (McpProtocol.Notifications.TOOLS_LIST_CHANGED.equals(method) || McpProtocol.Notifications.PROMPTS_LIST_CHANGED.equals(method)) {
      cache.invalidate(ServerKey.of(server));
      sync.syncAgain(server.accountId(), server.id());
    }
    return message;
  }
}
