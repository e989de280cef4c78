package dev.mcpgateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.model.CapabilityOverride;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exposed view as a table: upstream names and overrides in, exposed names and the call map out. */
class ExposedViewTest {
  static CapabilityOverride alias(String name, String alias) {
    return new CapabilityOverride(name, alias, null, null);
  }

  static CapabilityOverride disabled(String name) {
    return new CapabilityOverride(name, null, null, false);
  }

  static CapabilityOverride disabledAlias(String name, String alias) {
    return new CapabilityOverride(name, alias, null, false);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no overrides", List.of("a", "b"), List.of(), List.of("a", "b"), Map.of("a", "a", "b", "b"), List.of()),
        Arguments.of("an alias renames", List.of("echo"), List.of(alias("echo", "say")), List.of("say"), Map.of("say", "echo"), List.of()),
        Arguments.of("disabled is gone", List.of("a", "b"), List.of(disabled("b")), List.of("a"), Map.of("a", "a"), List.of()),
        Arguments.of("an upstream name equal to an alias is held back", List.of("echo", "say"), List.of(alias("echo", "say")),
            List.of("say"), Map.of("say", "echo"), List.of("say")),
        Arguments.of("upstream order does not matter", List.of("say", "echo"), List.of(alias("echo", "say")),
            List.of("say"), Map.of("say", "echo"), List.of("say")),
        Arguments.of("a swap of two names is no collision", List.of("echo", "say"), List.of(alias("echo", "say"), alias("say", "echo")),
            List.of("say", "echo"), Map.of("say", "echo", "echo", "say"), List.of()),
        Arguments.of("the newcomer aliased elsewhere is no collision", List.of("echo", "say"),
            List.of(alias("echo", "say"), alias("say", "talk")), List.of("say", "talk"), Map.of("say", "echo", "talk", "say"), List.of()),
        Arguments.of("the newcomer disabled is no collision", List.of("echo", "say"), List.of(alias("echo", "say"), disabled("say")),
            List.of("say"), Map.of("say", "echo"), List.of()),
        Arguments.of("an alias of a disabled item shadows nothing", List.of("echo", "say"), List.of(disabledAlias("echo", "say")),
            List.of("say"), Map.of("say", "say"), List.of()),
        Arguments.of("an alias of an item gone upstream shadows nothing", List.of("say"), List.of(alias("echo", "say")),
            List.of("say"), Map.of("say", "say"), List.of()),
        Arguments.of("an alias equal to its own name is no alias", List.of("echo"), List.of(alias("echo", "echo")),
            List.of("echo"), Map.of("echo", "echo"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exposedNamesAreUniqueAndTheCallMapIsTheirInverse(String what, List<String> upstream, List<CapabilityOverride> overrides,
      List<String> exposed, Map<String, String> callable, List<String> shadowed) {
    JsonArray items = new JsonArray();
    upstream.forEach(name -> items.add(new JsonObject().put("name", name)));
    assertEquals(exposed, ExposedView.expose(items, overrides).stream().map(i -> ((JsonObject) i).getString("name")).toList(), "exposed");
    assertEquals(callable, ExposedView.callableNames(items, overrides), "callable");
    assertEquals(shadowed, ExposedView.shadowed(items, overrides), "shadowed");
  }

  static Stream<Arguments> conflicts() {
    return Stream.of(
        Arguments.of("distinct names and aliases", List.of(alias("a", "x"), alias("b", "y")), List.of(), List.of()),
        Arguments.of("two overrides of one name", List.of(alias("a", "x"), disabled("a")), List.of("1 DUPLICATE_OVERRIDE a"), List.of()),
        Arguments.of("one alias twice", List.of(alias("a", "x"), alias("b", "x")), List.of("1 ALIAS_OF_ANOTHER x"), List.of()),
        Arguments.of("an alias naming another overridden item", List.of(alias("a", "b"), disabled("b")),
            List.of("0 ALIAS_IS_OVERRIDDEN_NAME b"), List.of("0 ALIAS_IS_SYNCED_NAME b")),
        Arguments.of("a swap is refused: each alias is the other's name", List.of(alias("a", "b"), alias("b", "a")),
            List.of("0 ALIAS_IS_OVERRIDDEN_NAME b", "1 ALIAS_IS_OVERRIDDEN_NAME a"), List.of("0 ALIAS_IS_SYNCED_NAME b", "1 ALIAS_IS_SYNCED_NAME a")),
        Arguments.of("an alias equal to its own name", List.of(alias("a", "a")), List.of(), List.of()),
        Arguments.of("an alias naming another synced item", List.of(alias("a", "b")), List.of(), List.of("0 ALIAS_IS_SYNCED_NAME b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conflicts")
  void theAdminApiRefusesOverridesThatWouldMakeTwoItemsShareAName(String what, List<CapabilityOverride> overrides, List<String> withinList,
      List<String> againstSynced) {
    JsonArray synced = new JsonArray().add(new JsonObject().put("name", "a")).add(new JsonObject().put("name", "b"));
    assertEquals(withinList, ExposedView.overrideConflicts(overrides).stream().map(c -> c.index() + " " + c.kind() + " " + c.name()).toList());
    assertEquals(againstSynced, ExposedView.aliasConflicts(overrides, synced).stream().map(c -> c.index() + " " + c.kind() + " " + c.name()).toList());
  }

  static Stream<Arguments> beforeSync() {
    return Stream.of(
        Arguments.of("no override: as asked", "echo", List.of(), "echo"),
        Arguments.of("an alias reaches its item", "say", List.of(alias("echo", "say")), "echo"),
        Arguments.of("the aliased-away name is refused", "echo", List.of(alias("echo", "say")), null),
        Arguments.of("a disabled name is refused", "echo", List.of(disabled("echo")), null),
        Arguments.of("a disabled item's alias is refused", "say", List.of(disabledAlias("echo", "say")), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beforeSync")
  void beforeTheFirstSyncOnlyTheOverridesDecide(String what, String exposed, List<CapabilityOverride> overrides, String upstream) {
    assertEquals(upstream, ExposedView.beforeSync(exposed, overrides).orElse(null));
  }
}
