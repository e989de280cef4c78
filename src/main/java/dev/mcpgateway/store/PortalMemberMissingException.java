package dev.mcpgateway.store;

/** A portal names a server that does not exist in its account. {@code index} is its position in {@code servers}. */
public final class PortalMemberMissingException extends RuntimeException {
  private final String serverId;
  private final int index;

  public PortalMemberMissingException(String serverId, int index) {
    super("MCP server '" + serverId + "' not found", null, false, false);
    this.serverId = serverId;
    this.index = index;
  }

  public String serverId() {
    return serverId;
  }

  public int index() {
    return index;
  }
}
