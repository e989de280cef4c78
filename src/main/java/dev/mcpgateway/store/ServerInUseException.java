package dev.mcpgateway.store;

import java.util.List;

/** A server cannot be deleted while portals of its account have it as a member. */
public final class ServerInUseException extends RuntimeException {
  private final List<String> portalIds;

  public ServerInUseException(String serverId, List<String> portalIds) {
    super("MCP server '" + serverId + "' is used by portal(s) " + String.join(", ", portalIds) + ": remove it from them first", null, false,
        false);
    this.portalIds = List.copyOf(portalIds);
  }

  public List<String> portalIds() {
    return portalIds;
  }
}
