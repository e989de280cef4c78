package dev.mcpgateway.store;

/** A server with this id already exists in the account. */
public final class DuplicateServerException extends RuntimeException {
  public DuplicateServerException(String accountId, String id) {
    super("an MCP server with id '" + id + "' already exists", null, false, false);
  }
}
