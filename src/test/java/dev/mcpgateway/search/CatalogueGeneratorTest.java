package dev.mcpgateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueGeneratorTest {
  @Test
  void generatesTheSameThousandPrefixedToolsEveryTime() {
    List<JsonObject> tools = CatalogueGenerator.generate();
    assertEquals(tools, CatalogueGenerator.generate());
    assertEquals(1_000, tools.size());
    Set<String> names = new HashSet<>();
    Set<String> servers = new HashSet<>();
    for (JsonObject t : tools) {
      String name = t.getString("name");
      assertTrue(names.add(name), "duplicate " + name);
      assertTrue(name.matches("[a-z0-9-]+_[a-z0-9_]+"), name);
      servers.add(name.substring(0, name.indexOf('_')));
      assertTrue(!t.getString("description").isBlank(), name);
      assertEquals("object", t.getJsonObject("inputSchema").getString("type"), name);
    }
    assertEquals(47, servers.size());
    // near-duplicates compete, as in a real portal
    assertTrue(names.containsAll(List.of("github_create_issue", "gitlab_create_issue", "jira_create_issue", "linear_create_issue")));
  }

  @Test
  void rejectsASpecItCannotRead() {
    assertThrows(IllegalArgumentException.class, () -> CatalogueGenerator.generate("tool x_y | no server yet |"));
    assertThrows(IllegalArgumentException.class, () -> CatalogueGenerator.generate("server s | S | S |\ntool t_y | wrong prefix |"));
    assertThrows(IllegalArgumentException.class, () -> CatalogueGenerator.generate("server s | S | S |\nentity e | fly |"));
  }
}
