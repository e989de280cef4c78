package dev.mcpgateway.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * A portal's Code Mode policy, Cloudflare's {@code code_mode}: {@code off} (never), {@code opt_in}
 * (only with {@code ?codemode=search_and_execute}; the default), {@code default_on} (unless
 * {@code ?codemode=off}), {@code enforced} (always). The deprecated {@code allow_code_mode} is
 * {@code true} for every policy but {@code off}.
 */
public enum CodeMode {
  OFF("off"),
  OPT_IN("opt_in"),
  DEFAULT_ON("default_on"),
  ENFORCED("enforced");

  private final String wire;

  CodeMode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The deprecated boolean this policy reads as. */
  public boolean allowed() {
    return this != OFF;
  }

  public static Optional<CodeMode> fromWire(String value) {
    return Arrays.stream(values()).filter(m -> m.wire.equals(value)).findFirst();
  }
}
