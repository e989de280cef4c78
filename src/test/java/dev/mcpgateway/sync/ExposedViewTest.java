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
}
