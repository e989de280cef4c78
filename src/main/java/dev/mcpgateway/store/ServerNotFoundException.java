package dev.mcpgateway.store;

/** No server with this id in the account. */
public final class ServerNotFoundException extends RuntimeException {
  public ServerNotFoundException(String accountId, String id) {
    super("MCP server '" + id + "' not found", null, false, false);
  }
}
