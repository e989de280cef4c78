package dev.mcpgateway.proxy.capabilities;

import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.sync.Capabilities;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * The requests whose answer the gateway shapes, written once for both agent eras: the lists
 * (from the capability cache when the server has synced and its answers may be cached, else
 * forwarded with the page rewritten) and the calls (names mapped or refused by
 * {@link CallNames}). Every other method is the era's to decide.
 */
public final class CapabilityDispatch {
  /** The era's way to the upstream for one request, with a rewrite for the messages that come back. */
  public interface UpstreamPath {
    void forward(RoutingContext ctx, JsonObject message, UnaryOperator<JsonObject> rewrite);
  }

  /** The era's way to answer a request from the cache. */
  public interface CachedAnswer {
    void reply(RoutingContext ctx, Object id, JsonObject result);
  }

  /** Whether a synced list may answer an agent now (the upstream's ttlMs / cacheScope, see CapabilitySync). */
  private final BiPredicate<McpServer, String> fromCache;

  public CapabilityDispatch(BiPredicate<McpServer, String> fromCache) {
    this.fromCache = fromCache;
  }

  /** Handles {@code message} when it is a list or a call, and answers whether it was one. */
  public boolean dispatch(RoutingContext ctx, Capabilities capabilities, JsonObject message, UpstreamPath upstream, CachedAnswer cached) {
    String method = message.getString("method");
    switch (method) {
      case McpProtocol.Methods.TOOLS_LIST, McpProtocol.Methods.PROMPTS_LIST -> {
        boolean tools = method.equals(McpProtocol.Methods.TOOLS_LIST);
        McpServer server = capabilities.server();
        if (server.lastSuccessfulSync() != null && fromCache.test(server, method)) {
          cached.reply(ctx, message.getValue("id"), tools ? new JsonObject().put("tools", capabilities.exposedTools())
              : new JsonObject().put("prompts", capabilities.exposedPrompts()));
        } else {
          upstream.forward(ctx, message, tools ? ListRewrites.tools(capabilities) : ListRewrites.prompts(capabilities));
        }
        return true;
      }
      case McpProtocol.Methods.TOOLS_CALL, McpProtocol.Methods.PROMPTS_GET -> {
        CallNames.Kind kind = method.equals(McpProtocol.Methods.TOOLS_CALL) ? CallNames.Kind.TOOL : CallNames.Kind.PROMPT;
        if (CallNames.admit(ctx.response(), Exchange.of(ctx), message, capabilities, kind)) {
          upstream.forward(ctx, message, UnaryOperator.identity());
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}
