package dev.mcpgateway.model;

/** Identifies a portal: ids are unique within an account only. */
public record PortalKey(String accountId, String id) {
  /** Sent to change listeners when anything may have changed (e.g. after missed notifications). */
  public static final PortalKey EVERYTHING = new PortalKey("*", "*");
}
