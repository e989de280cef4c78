package dev.mcpgateway.model;

import java.util.Arrays;
import java.util.Optional;

/** How the gateway authenticates to an upstream MCP server; the wire values are Cloudflare's. */
public enum AuthType {
  OAUTH("oauth"),
  BEARER("bearer"),
  UNAUTHENTICATED("unauthenticated");

  private final String wire;

  AuthType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<AuthType> fromWire(String value) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
  }
}
