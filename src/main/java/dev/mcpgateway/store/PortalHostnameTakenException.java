package dev.mcpgateway.store;

/** Another portal (of any account: the message does not say which) already serves this hostname. */
public final class PortalHostnameTakenException extends RuntimeException {
  public PortalHostnameTakenException(String hostname) {
    super("hostname '" + hostname + "' is already used by another portal", null, false, false);
  }
}
