package dev.mcpgateway.model;

/**
 * Whether the gateway holds a working upstream OAuth connection for a server (Cloudflare's
 * {@code authentication_status}): {@code not_required} for servers that are not {@code oauth},
 * {@code required} until an admin connects, {@code connected} while the tokens work, {@code stale}
 * once a refresh failed and an admin must authorize again.
 */
public enum AuthenticationStatus {
  NOT_REQUIRED, REQUIRED, CONNECTED, STALE;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static AuthenticationStatus fromWire(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
