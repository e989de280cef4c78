package dev.mcpgateway.proxy.portal;

import java.util.Optional;

/**
 * How much of the members' tools a portal's {@code tools/list} carries, chosen by the agent's URL
 * ({@code ?optimize_context=}, Cloudflare's parameter): everything; names only plus a search tool
 * ({@code minimize_tools}); or only a search tool and an execute tool ({@code search_and_execute}).
 */
public enum ContextMode {
  FULL(null),
  MINIMIZE_TOOLS("minimize_tools"),
  SEARCH_AND_EXECUTE("search_and_execute");

  public static final String PARAMETER = "optimize_context";
  private final String wire;

  ContextMode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The mode a query parameter asks for: none → FULL; an unknown value → empty (refused). */
  public static Optional<ContextMode> of(String parameter) {
    if (parameter == null || parameter.isEmpty()) return Optional.of(FULL);
    for (ContextMode mode : values()) {
      if (parameter.equals(mode.wire)) return Optional.of(mode);
    }
    return Optional.empty();
  }
}
