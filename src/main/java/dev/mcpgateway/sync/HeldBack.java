package dev.mcpgateway.sync;

import dev.mcpgateway.model.McpServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The synced tools and prompts agents do not see although no override disables them: tools that
 * changed upstream since they were accepted ({@link ToolFingerprint}), and items whose upstream
 * name is another item's alias ({@link ExposedView#shadowed}). One reading for the sync's
 * messages, the {@code mcp_gateway_server_items_held_back} gauge and the audit trail.
 */
public record HeldBack(List<String> changedTools, List<String> shadowedTools, List<String> shadowedPrompts) {
  public static HeldBack of(McpServer server) {
    return new HeldBack(List.copyOf(ToolFingerprint.held(server)), ExposedView.shadowed(server.tools(), server.updatedTools()),
        ExposedView.shadowed(server.prompts(), server.updatedPrompts()));
  }

  public int count() {
    return changedTools.size() + shadowedTools.size() + shadowedPrompts.size();
  }

  /** Each held item as {@code tool:<name>} or {@code prompt:<name>}, for the audit trail. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    changedTools.forEach(name -> names.add("tool:" + name));
    shadowedTools.forEach(name -> names.add("tool:" + name));
    shadowedPrompts.forEach(name -> names.add("prompt:" + name));
    return names;
  }

  /** What the admin reads in a sync's {@code messages}: why each item is held and what releases it. */
  public List<String> messages() {
    List<String> messages = new ArrayList<>();
    changedTools.forEach(name -> messages.add("tool '" + name
        + "' changed upstream since it was accepted; it is held back from agents until accepted (accept_tool_changes)"));
    shadowedTools.forEach(name -> messages.add("the MCP server now has a tool named '" + name
        + "', which is another tool's alias; it is held back from agents until that alias changes (the alias keeps its tool)"));
    shadowedPrompts.forEach(name -> messages.add("the MCP server now has a prompt named '" + name
        + "', which is another prompt's alias; it is held back from agents until that alias changes (the alias keeps its prompt)"));
    return messages;
  }
}
