package dev.mcpgateway.codemode;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How a run's tool calls leave the sandbox: through the gateway's own call path, by the tool's
 * exposed name. The answer is what the sandbox's promise resolves with (already unwrapped from
 * the MCP result); a failed future rejects it with the failure's message.
 */
@FunctionalInterface
public interface ToolCaller {
  Future<Object> call(String exposedName, JsonObject arguments);
}
