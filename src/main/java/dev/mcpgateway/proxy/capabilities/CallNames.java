package dev.mcpgateway.proxy.capabilities;

import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.ExposedView;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the name an agent calls ({@code tools/call}, {@code prompts/get}) to the upstream name, or
 * refuses it: disabled items, unknown names and the upstream name of an aliased item never reach
 * the upstream. {@link #resolve} is a pure function of the capabilities; {@link #admit} applies it to a message.
 *
 * <p>Once the server has synced, the exposed → upstream map is exact. Before its first successful
 * sync the gateway knows only the overrides, and applies them: an alias maps to its item, a
 * disabled or aliased-away name is refused, and any other name passes through unchanged.
 */
public final class CallNames {
  private CallNames() {}

  public enum Kind { TOOL, PROMPT }

  /** The upstream name to call, or empty to refuse. */
  public static Optional<String> resolve(String exposed, Capabilities capabilities, Kind kind) {
    if (exposed == null) return Optional.empty();
    boolean synced = capabilities.server().lastSuccessfulSync() != null;
    Map<String, String> names = kind == Kind.TOOL ? capabilities.toolNames() : capabilities.promptNames();
    if (synced) return Optional.ofNullable(names.get(exposed));
    return ExposedView.beforeSync(exposed, kind == Kind.TOOL ? capabilities.server().updatedTools() : capabilities.server().updatedPrompts());
  }

  /**
   * A {@code tools/call} or {@code prompts/get} of either era: labels the exchange (only names the
   * server has become metric labels, anything else is "other"), and either maps the exposed name to
   * the upstream one in place (true: forward it) or answers the agent's refusal, -32602, without any
   * upstream trip (false).
   */
  public static boolean admit(HttpServerResponse response, Exchange exchange, JsonObject message, Capabilities capabilities, Kind kind) {
    JsonObject params = message.getJsonObject("params");
    String exposed = params == null || !(params.getValue("name") instanceof String name) ? null : name;
    Optional<String> upstreamName = resolve(exposed, capabilities, kind);
    exchange.kind = kind == Kind.TOOL ? "tool" : "prompt";
    Map<String, String> known = kind == Kind.TOOL ? capabilities.toolNames() : capabilities.promptNames();
    if (exposed != null && known.containsKey(exposed)) exchange.exposedName = exposed;
    if (upstreamName.isEmpty()) {
      exchange.outcome("refused");
      McpReplies.json(response, 200, McpReplies.error(message.getValue("id"), McpProtocol.ErrorCodes.INVALID_PARAMS,
          (kind == Kind.TOOL ? "Unknown tool: " : "Unknown prompt: ") + (exposed == null ? "(no name)" : AgentText.clip(exposed)), null));
      return false;
    }
    params.put("name", upstreamName.get());
    exchange.upstreamName = upstreamName.get();
    return true;
  }
}
