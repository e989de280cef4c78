package dev.mcpgateway.sync;

import dev.mcpgateway.model.CapabilityOverride;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What agents see of a server's tools or prompts, and every rule about the names they see, as pure
 * functions: the admin's overrides applied to the synced upstream list (forward: {@link #expose}),
 * the exposed name back to the upstream's (inverse: {@link #callableNames}, and
 * {@link #beforeSync} while nothing is synced yet), and uniqueness — what the admin API refuses
 * ({@link #overrideConflicts}, {@link #aliasConflicts}) and what a sync holds back when the
 * upstream brings a name an alias already took ({@link #shadowed}). Order: filter first (a
 * disabled item is gone), then rename (an alias replaces the name) and redescribe. The upstream
 * objects are copied, never edited, and every field the gateway does not know passes through.
 */
public final class ExposedView {
  private ExposedView() {}

  /** Why a list of overrides would make two exposed names collide; {@code index} is the override's place in its list. */
  public record Conflict(int index, Kind kind, String name) {
    public enum Kind {
      /** a second override of the same upstream name */
      DUPLICATE_OVERRIDE,
      /** an alias another override already uses */
      ALIAS_OF_ANOTHER,
      /** an alias equal to the upstream name of another overridden item */
      ALIAS_IS_OVERRIDDEN_NAME,
      /** an alias equal to the upstream name of another synced item */
      ALIAS_IS_SYNCED_NAME
    }
  }

  /**
   * Within one list of overrides: one override per name, aliases unique, and no alias equal to
   * another override's name. Duplicate names are reported first; aliases only once the names are sound.
   */
  public static List<Conflict> overrideConflicts(List<CapabilityOverride> overrides) {
    List<Conflict> conflicts = new java.util.ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < overrides.size(); i++) {
      if (!names.add(overrides.get(i).name())) conflicts.add(new Conflict(i, Conflict.Kind.DUPLICATE_OVERRIDE, overrides.get(i).name()));
    }
    java.util.Set<String> aliases = new java.util.HashSet<>();
    for (int i = 0; i < overrides.size(); i++) {
      CapabilityOverride o = overrides.get(i);
      if (o.alias() == null) continue;
      if (!aliases.add(o.alias())) {
        conflicts.add(new Conflict(i, Conflict.Kind.ALIAS_OF_ANOTHER, o.alias()));
      } else if (!o.alias().equals(o.name()) && names.contains(o.alias())) {
        conflicts.add(new Conflict(i, Conflict.Kind.ALIAS_IS_OVERRIDDEN_NAME, o.alias()));
      }
    }
    return conflicts;
  }

  /** Against what the upstream has: an alias may not be the upstream name of another synced item. */
  public static List<Conflict> aliasConflicts(List<CapabilityOverride> overrides, JsonArray synced) {
    java.util.Set<String> syncedNames = names(synced);
    List<Conflict> conflicts = new java.util.ArrayList<>();
    for (int i = 0; i < overrides.size(); i++) {
      CapabilityOverride o = overrides.get(i);
      if (o.alias() != null && !o.alias().equals(o.name()) && syncedNames.contains(o.alias())) {
        conflicts.add(new Conflict(i, Conflict.Kind.ALIAS_IS_SYNCED_NAME, o.alias()));
      }
    }
    return conflicts;
  }

  /**
   * The upstream name for {@code exposed} before the server's first successful sync, when only the
   * overrides are known: an alias maps to its item, a disabled or aliased-away name is refused
   * (empty), any other name passes through unchanged.
   */
  public static java.util.Optional<String> beforeSync(String exposed, List<CapabilityOverride> overrides) {
    for (CapabilityOverride o : overrides) {
      if (exposed.equals(o.alias())) return Boolean.FALSE.equals(o.enabled()) ? java.util.Optional.empty() : java.util.Optional.of(o.name());
    }
    for (CapabilityOverride o : overrides) {
      if (exposed.equals(o.name()) && (Boolean.FALSE.equals(o.enabled()) || o.alias() != null && !o.alias().equals(o.name()))) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(exposed);
  }

  private static java.util.Set<String> names(JsonArray items) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Object item : items) {
      if (item instanceof JsonObject object && object.getValue("name") instanceof String name) names.add(name);
    }
    return names;
  }

  /** The list agents see. */
  public static JsonArray expose(JsonArray upstream, List<CapabilityOverride> overrides) {
    Map<String, CapabilityOverride> byName = byName(overrides);
    java.util.Set<String> shadowed = new java.util.HashSet<>(shadowed(upstream, overrides));
    JsonArray exposed = new JsonArray();
    for (Object item : upstream) {
      if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String name)) continue;
      if (shadowed.contains(name)) continue;
      CapabilityOverride override = byName.get(name);
      if (override != null && Boolean.FALSE.equals(override.enabled())) continue;
      JsonObject copy = object.copy();
      if (override != null && override.alias() != null) copy.put("name", override.alias());
      if (override != null && override.description() != null) copy.put("description", override.description());
      exposed.add(copy);
    }
    return exposed;
  }

  /**
   * Exposed name → upstream name, for the items agents may call. The inverse of {@link #expose}'s
   * renaming: an aliased item is reachable by its alias only, a disabled one not at all.
   */
  public static Map<String, String> callableNames(JsonArray upstream, List<CapabilityOverride> overrides) {
    Map<String, CapabilityOverride> byName = byName(overrides);
    java.util.Set<String> shadowed = new java.util.HashSet<>(shadowed(upstream, overrides));
    Map<String, String> names = new LinkedHashMap<>();
    for (Object item : upstream) {
      if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String name)) continue;
      if (shadowed.contains(name)) continue;
      CapabilityOverride override = byName.get(name);
      if (override != null && Boolean.FALSE.equals(override.enabled())) continue;
      names.put(override != null && override.alias() != null ? override.alias() : name, name);
    }
    return names;
  }

  /**
   * Upstream items that an alias shadows: exposed under their own name, which is the alias of
   * another exposed item. The admin API refuses such an alias, but an upstream may add an item of
   * that name later; then the alias keeps its item (what the admin chose) and the newcomer is
   * held back from agents, in upstream order, until the alias changes (sync says so). Without
   * this, two items would share one exposed name and calls would reach only one of them.
   */
  public static List<String> shadowed(JsonArray upstream, List<CapabilityOverride> overrides) {
    Map<String, CapabilityOverride> byName = byName(overrides);
    java.util.Set<String> present = names(upstream);
    java.util.Set<String> aliases = new java.util.HashSet<>();
    for (CapabilityOverride o : overrides) {
      if (o.alias() != null && !o.alias().equals(o.name()) && present.contains(o.name()) && !Boolean.FALSE.equals(o.enabled())) {
        aliases.add(o.alias());
      }
    }
    List<String> shadowed = new java.util.ArrayList<>();
    for (Object item : upstream) {
      if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String name) || !aliases.contains(name)) continue;
      CapabilityOverride own = byName.get(name);
      boolean exposedAsItself = own == null || !Boolean.FALSE.equals(own.enabled()) && (own.alias() == null || own.alias().equals(name));
      if (exposedAsItself && !shadowed.contains(name)) shadowed.add(name);
    }
    return shadowed;
  }

  /** Override names that match nothing upstream any more: kept, but worth telling the admin. */
  public static List<String> unmatched(JsonArray upstream, List<CapabilityOverride> overrides) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Object item : upstream) {
      if (item instanceof JsonObject object && object.getValue("name") instanceof String name) names.add(name);
    }
    return overrides.stream().map(CapabilityOverride::name).filter(n -> !names.contains(n)).toList();
  }

  private static Map<String, CapabilityOverride> byName(List<CapabilityOverride> overrides) {
    Map<String, CapabilityOverride> byName = new HashMap<>();
    overrides.forEach(o -> byName.put(o.name(), o));
    return byName;
  }
}
