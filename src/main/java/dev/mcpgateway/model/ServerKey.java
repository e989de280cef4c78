package dev.mcpgateway.model;

/** Identifies a server: ids are unique within an account only. */
public record ServerKey(String accountId, String id) {
  /** Sent to change listeners when anything may have changed (e.g. after missed notifications). */
  public static final ServerKey EVERYTHING = new ServerKey("*", "*");

  public static ServerKey of(McpServer server) {
    return new ServerKey(server.accountId(), server.id());
  }
}
