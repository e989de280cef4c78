package dev.mcpgateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToolSearchTest {
  static List<JsonObject> generated;
  static ToolSearch index;

  @BeforeAll
  static void build() {
    generated = CatalogueGenerator.generate();
    index = ToolSearch.index(generated);
  }

  static JsonObject tool(String name, String description, String... params) {
    JsonObject properties = new JsonObject();
    for (String p : params) properties.put(p, new JsonObject().put("type", "string"));
    return new JsonObject().put("name", name).put("description", description)
        .put("inputSchema", new JsonObject().put("type", "object").put("properties", properties));
  }

  static List<String> names(List<ToolSearch.Hit> hits) {
    return hits.stream().map(ToolSearch.Hit::name).toList();
  }

  @Test
  void findsByDescriptionWords() {
    ToolSearch search = ToolSearch.index(Catalogues.everything());
    assertEquals("everything_get-sum", search.search("sum of two numbers", 5).get(0).name());
    assertEquals("everything_get-env", search.search("environment variables", 5).get(0).name());
  }

  @Test
  void aWordInTheNameOutranksTheSameWordInADescription() {
    ToolSearch search = ToolSearch.index(List.of(
        tool("notes_archive", "Moves a note out of sight; unlike a forecast, it can be undone."),
        tool("weather_forecast", "Tells what the next days bring.")));
    assertEquals(List.of("weather_forecast", "notes_archive"), names(search.search("forecast", 5)));
  }

  @Test
  void theServerPrefixIsSearchable() {
    List<String> top = names(index.search("github issues", 5));
    assertTrue(top.contains("github_list_issues"), top.toString());
    assertTrue(top.stream().allMatch(n -> n.startsWith("github_")), top.toString());
    // a hyphenated server id, written as it is or joined
    for (String q : List.of("google-drive upload", "googledrive upload")) {
      assertEquals("google-drive_upload_file", index.search(q, 5).get(0).name(), q);
    }
  }

  @Test
  void nearDuplicatesAreToldApartByTheServer() {
    assertEquals("jira_create_issue", index.search("create a jira issue", 5).get(0).name());
    assertEquals("gitlab_create_issue", index.search("create a gitlab issue", 5).get(0).name());
    assertEquals("github_create_issue", index.search("create a github issue", 5).get(0).name());
  }

  @Test
  void theWholeNameFindsItsToolFirst() {
    for (String q : List.of("github_create_pull_request", "call `jira_add_comment` with a body", "GITHUB_LIST_COMMITS")) {
      String want = q.contains("jira") ? "jira_add_comment" : q.contains("COMMITS") ? "github_list_commits" : "github_create_pull_request";
      assertEquals(want, index.search(q, 5).get(0).name(), q);
    }
  }

  @Test
  void titlesAnnotationTitlesAndParametersAreSearched() {
    JsonObject titled = tool("a_one", "does one thing").put("title", "Frobnicate widgets");
    JsonObject annotated = tool("a_two", "does another thing").put("annotations", new JsonObject().put("title", "Defenestrate gadgets"));
    JsonObject param = tool("a_three", "does a third thing", "recurrence_rule");
    JsonObject nested = tool("a_four", "does a fourth thing");
    nested.getJsonObject("inputSchema").getJsonObject("properties").put("items", new JsonObject().put("type", "array")
        .put("items", new JsonObject().put("type", "object").put("properties", new JsonObject()
            .put("sku", new JsonObject().put("type", "string").put("description", "stock keeping unit")))));
    JsonObject enumerated = tool("a_five", "does a fifth thing");
    enumerated.getJsonObject("inputSchema").getJsonObject("properties")
        .put("method", new JsonObject().put("type", "string").put("enum", new JsonArray().add("squash").add("rebase")));
    ToolSearch search = ToolSearch.index(List.of(titled, annotated, param, nested, enumerated));
    assertEquals("a_one", search.search("frobnicate", 5).get(0).name());
    assertEquals("a_two", search.search("defenestrate", 5).get(0).name());
    assertEquals("a_three", search.search("recurrence", 5).get(0).name());
    assertEquals("a_four", search.search("stock keeping", 5).get(0).name());
    assertEquals("a_five", search.search("squash", 5).get(0).name());
  }

  @Test
  void hitsCarryCopiesOfTheFullDefinitions() {
    JsonObject original = tool("s_echo", "Echoes the text back", "text");
    List<JsonObject> input = new ArrayList<>(List.of(original));
    ToolSearch search = ToolSearch.index(input);
    original.put("description", "changed after indexing");
    input.clear();
    ToolSearch.Hit hit = search.search("echo", 5).get(0);
    assertEquals(tool("s_echo", "Echoes the text back", "text"), hit.tool());
    hit.tool().put("description", "changed by a caller");
    ToolSearch.Hit again = search.search("echo", 5).get(0);
    assertEquals("Echoes the text back", again.tool().getString("description"));
    assertNotSame(hit.tool(), again.tool());
    assertEquals(1, search.size());
  }

  @Test
  void malformedDefinitionsAreSkippedOrReadAsFarAsTheyGo() {
    List<JsonObject> tools = new ArrayList<>();
    tools.add(null);
    tools.add(new JsonObject());
    tools.add(new JsonObject().put("name", 42));
    tools.add(new JsonObject().put("name", "   "));
    tools.add(new JsonObject().put("name", "x_odd").put("description", 7).put("title", List.of("t"))
        .put("annotations", "none").put("inputSchema", "object"));
    tools.add(new JsonObject().put("name", "x_odder").put("inputSchema", new JsonObject().put("properties", new JsonArray().add("a"))));
    tools.add(new JsonObject().put("name", "x_fine").put("description", "A fine tool"));
    tools.add(new JsonObject().put("name", "x_" + "long".repeat(5_000)).put("description", "x".repeat(100_000)));
    ToolSearch search = ToolSearch.index(tools);
    assertEquals(4, search.size());
    assertEquals("x_fine", search.search("fine", 5).get(0).name());
    assertEquals("x_odd", search.search("odd", 5).get(0).name());
    assertEquals(List.of(), ToolSearch.index(List.of()).search("anything", 5));
    assertThrows(NullPointerException.class, () -> ToolSearch.index(null));
  }

  @Test
  void theLimitIsClampedToOneToFifty() {
    String broad = "list create get update delete";
    assertEquals(1, index.search(broad, 0).size());
    assertEquals(1, index.search(broad, -7).size());
    assertEquals(1, index.search(broad, Integer.MIN_VALUE).size());
    assertEquals(3, index.search(broad, 3).size());
    assertEquals(ToolSearch.MAX_LIMIT, index.search(broad, 51).size());
    assertEquals(ToolSearch.MAX_LIMIT, index.search(broad, Integer.MAX_VALUE).size());
    assertEquals(2, ToolSearch.index(List.of(tool("a_x", "list it"), tool("b_x", "list that"))).search("list", 50).size());
  }

  @Test
  void anEmptyQueryFindsNothing() {
    assertEquals(List.of(), index.search("", 5));
    assertEquals(List.of(), index.search("   \n\t", 5));
    assertEquals(List.of(), index.search(null, 5));
    assertEquals(List.of(), index.search("the of and a", 5));
  }

  @Test
  void orderIsScoreDescendingThenNameAscending() {
    for (LabelledQuery q : LabelledQuery.load()) {
      List<ToolSearch.Hit> hits = index.search(q.query(), ToolSearch.MAX_LIMIT);
      for (int i = 1; i < hits.size(); i++) {
        ToolSearch.Hit a = hits.get(i - 1);
        ToolSearch.Hit b = hits.get(i);
        assertTrue(a.score() > b.score() || (a.score() == b.score() && a.name().compareTo(b.name()) < 0), q.query() + ": " + a + " before " + b);
      }
    }
    // tools that only differ by name tie, and then come in name order whatever the input order
    List<JsonObject> twins = new ArrayList<>();
    for (String n : List.of("m_tool", "c_tool", "x_tool", "a_tool", "k_tool")) twins.add(tool(n, "Sends a report"));
    assertEquals(List.of("a_tool", "c_tool", "k_tool", "m_tool", "x_tool"), names(ToolSearch.index(twins).search("report", 10)));
  }

  @Test
  void theSameToolsGiveTheSameResultsTwiceAndAcrossRebuildsInAnyInputOrder() {
    List<JsonObject> shuffled = new ArrayList<>(generated);
    Collections.shuffle(shuffled, new Random(17));
    ToolSearch rebuilt = ToolSearch.index(shuffled);
    for (LabelledQuery q : LabelledQuery.load()) {
      List<ToolSearch.Hit> first = index.search(q.query(), 20);
      assertEquals(first, index.search(q.query(), 20), q.query());
      assertEquals(first, rebuilt.search(q.query(), 20), q.query());
    }
  }

  @Test
  void duplicateNamesAreBothKept() {
    ToolSearch search = ToolSearch.index(List.of(tool("d_same", "first report"), tool("d_same", "second report")));
    assertEquals(2, search.size());
    List<ToolSearch.Hit> hits = search.search("report", 5);
    assertEquals(2, hits.size());
    assertFalse(hits.get(0).tool().equals(hits.get(1).tool()));
  }

  @Test
  void serverTermsOfAPortalName() {
    assertEquals(List.of("github"), ToolFields.serverTerms("github_list_issues"));
    assertEquals(List.of("google-drive", "googledrive"), ToolFields.serverTerms("google-drive_upload_file"));
    assertEquals(List.of(), ToolFields.serverTerms("get-sum"));
    assertEquals(List.of(), ToolFields.serverTerms("_leading"));
    assertEquals(Arrays.asList("ms-teams", "msteams"), ToolFields.serverTerms("MS-Teams_send"));
  }
}
