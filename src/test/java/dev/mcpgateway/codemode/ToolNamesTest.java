package dev.mcpgateway.codemode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ToolNamesTest {
  @Test
  void namesBecomeJavaScriptIdentifiersByCloudflaresRule() {
    Map<String, String> cases = Map.of(
        "my-server_get-data", "my_server_get_data",
        "docs.search", "docs_search",
        "3d_render", "_3d_render",
        "delete", "delete_",
        "await", "await_",
        "a b\tc", "a_b_c",
        "emoji_☃_tool/v2", "emoji__toolv2",
        "", "_",
        "☃", "_",
        "$dollar", "$dollar");
    cases.forEach((name, expected) -> assertEquals(expected, ToolNames.sanitize(name), name));
  }

  @Test
  void namesThatComeOutTheSameAreToldApartInListingOrder() {
    Map<String, String> identifiers = ToolNames.identifiers(List.of("a-b", "a.b", "a_b", "a_b_2"));
    assertEquals(List.of("a_b", "a_b_2", "a_b_3", "a_b_2_2"), List.copyOf(identifiers.keySet()));
    assertEquals(List.of("a-b", "a.b", "a_b", "a_b_2"), List.copyOf(identifiers.values()));
  }

  @Property(tries = 500)
  void everyNameIsAValidIdentifier(@ForAll String name) {
    String identifier = ToolNames.sanitize(name);
    assertTrue(identifier.matches("[A-Za-z_$][A-Za-z0-9_$]*"), name + " -> " + identifier);
  }
}
