package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.model.CodeMode;
import java.util.Optional;

/**
 * How much of the members' tools a portal's {@code tools/list} carries, chosen by the agent's URL
 * ({@code ?optimize_context=}, Cloudflare's parameter): everything; names only plus a search tool
 * ({@code minimize_tools}); or only a search tool and an execute tool ({@code search_and_execute}).
 * Or Code Mode ({@code ?codemode=}, under the portal's {@code code_mode} policy): no member tool
 * listed, two tools that run the agent's JavaScript over them ({@link CodeModeTools}).
 */
public enum ContextMode {
  FULL(null),
  MINIMIZE_TOOLS("minimize_tools"),
  SEARCH_AND_EXECUTE("search_and_execute"),
  CODE_MODE("codemode");

  public static final String PARAMETER = "optimize_context";
  public static final String CODE_MODE_PARAMETER = "codemode";
  /** The values of {@code ?codemode=}: Code Mode asked for, or refused where the policy allows that. */
  static final String CODE_MODE_ON = "search_and_execute";
  static final String CODE_MODE_OFF = "off";
  private final String wire;

  ContextMode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The mode {@code ?optimize_context=} asks for: none → FULL; an unknown value → empty (refused). Never Code Mode. */
  public static Optional<ContextMode> of(String parameter) {
    if (parameter == null || parameter.isEmpty()) return Optional.of(FULL);
    for (ContextMode mode : values()) {
      if (mode != CODE_MODE && parameter.equals(mode.wire)) return Optional.of(mode);
    }
    return Optional.empty();
  }

  /**
   * The mode of a request to a portal with Code Mode {@code policy}: Code Mode when the policy and
   * {@code ?codemode=} turn it on ({@code off}: never, the parameter ignored; {@code opt_in}: with
   * {@code search_and_execute}; {@code default_on}: unless {@code off}; {@code enforced}: always),
   * else what {@code ?optimize_context=} asks for. Empty when either parameter has an unknown value.
   */
  public static Optional<ContextMode> of(String optimize, String codemode, CodeMode policy) {
    boolean known = codemode == null || codemode.isEmpty() || CODE_MODE_ON.equals(codemode) || CODE_MODE_OFF.equals(codemode);
    Optional<ContextMode> asked = of(optimize);
    if (!known || asked.isEmpty()) return Optional.empty();
    boolean on = switch (policy) {
      case OFF -> false;
      case OPT_IN -> CODE_MODE_ON.equals(codemode);
      case DEFAULT_ON -> !CODE_MODE_OFF.equals(codemode);
      case ENFORCED -> true;
    };
    return on ? Optional.of(CODE_MODE) : asked;
  }
}
