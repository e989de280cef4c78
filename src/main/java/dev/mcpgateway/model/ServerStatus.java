package dev.mcpgateway.model;

import java.util.Arrays;
import java.util.Optional;

/** Sync state of a server: {@code waiting} until its first sync, then ready, stale or error. */
public enum ServerStatus {
  WAITING("waiting"),
  READY("ready"),
  STALE("stale"),
  ERROR("error");

  private final String wire;

  ServerStatus(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<ServerStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
  }
}
