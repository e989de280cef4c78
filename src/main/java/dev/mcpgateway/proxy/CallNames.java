package dev.mcpgateway.proxy;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.sync.Capabilities;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the name an agent calls ({@code tools/call}, {@code prompts/get}) to the upstream name, or
 * refuses it: disabled items, unknown names and the upstream name of an aliased item never reach
 * the upstream. A pure function of the capabilities.
 *
 * <p>Once the server has synced, the exposed → upstream map is exact. Before its first successful
 * sync the gateway knows only the overrides, and applies them: an alias maps to its item, a
 * disabled or aliased-away name is refused, and any other name passes through unchanged.
 */
final class CallNames {
  private CallNames() {}

  enum Kind { TOOL, PROMPT }

  /** The upstream name to call, or empty to refuse. */
  static Optional<String> resolve(String exposed, Capabilities capabilities, Kind kind) {
    if (exposed == null) return Optional.empty();
    boolean synced = capabilities.server().lastSuccessfulSync() != null;
    Map<String, String> names = kind == Kind.TOOL ? capabilities.toolNames() : capabilities.promptNames();
    if (synced) return Optional.ofNullable(names.get(exposed));
    List<CapabilityOverride> overrides = kind == Kind.TOOL
        ? capabilities.server().updatedTools() : capabilities.server().updatedPrompts();
    for (CapabilityOverride o : overrides) {
      if (exposed.equals(o.alias())) return Boolean.FALSE.equals(o.enabled()) ? Optional.empty() : Optional.of(o.name());
    }
    for (CapabilityOverride o : overrides) {
      if (exposed.equals(o.name()) && (Boolean.FALSE.equals(o.enabled()) || o.alias() != null && !o.alias().equals(o.name()))) {
        return Optional.empty();
      }
    }
    return Optional.of(exposed);
  }
}
