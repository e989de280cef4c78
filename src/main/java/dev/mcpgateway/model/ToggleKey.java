package dev.mcpgateway.model;

/**
 * Identifies one holder's switches on one portal: the members an agent switched off for itself
 * ({@code store.PortalToggles}). {@code holder} is opaque to the store; the MCP endpoint makes it
 * from the agent's session or client token.
 */
public record ToggleKey(String accountId, String portalId, String holder) {
  /** Sent to change listeners when anything may have changed (e.g. after missed notifications). */
  public static final ToggleKey EVERYTHING = new ToggleKey("*", "*", "*");

  public PortalKey portal() {
    return new PortalKey(accountId, portalId);
  }
}
