package dev.mcpgateway.codemode;

/**
 * A tool call out of a sandbox that the gateway refused or that failed, with a message meant for
 * the agent's code (no internals, no credentials). Any other failure reaches the code as a generic
 * message.
 */
public final class ToolCallRefused extends RuntimeException {
  public ToolCallRefused(String message) {
    super(message, null, false, false);
  }
}
