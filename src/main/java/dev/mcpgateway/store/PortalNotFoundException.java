package dev.mcpgateway.store;

/** No portal with this id in the account. */
public final class PortalNotFoundException extends RuntimeException {
  public PortalNotFoundException(String accountId, String id) {
    super("portal '" + id + "' not found", null, false, false);
  }
}
