package dev.mcpgateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A member as a portal shows it, as a table: upstream names, server-level and portal-level
 * overrides and {@code default_disabled} in; the portal's names, descriptions and call map out.
 */
class PortalViewTest {
  static CapabilityOverride o(String name, String alias, String description, Boolean enabled) {
    return new CapabilityOverride(name, alias, description, enabled);
  }

  static McpServer server(List<String> tools, List<CapabilityOverride> overrides) {
    JsonArray items = new JsonArray();
    tools.forEach(name -> items.add(new JsonObject().put("name", name).put("description", "upstream " + name).put("x-extra", 1)));
    return McpServer.builder().accountId("acc").id("gh").name("GitHub").hostname("https://example.com/mcp").authType(AuthType.UNAUTHENTICATED)
        .status(ServerStatus.READY).tools(items).updatedTools(overrides).lastSuccessfulSync(Instant.EPOCH).build();
  }

  static Stream<Arguments> enabledRule() {
    // portal entry's enabled, server entry's enabled, default_disabled -> shown
    return Stream.of(
        Arguments.of(null, null, false, true),
        Arguments.of(null, null, true, false),
        Arguments.of(true, null, true, true),
        Arguments.of(false, null, false, false),
        Arguments.of(null, false, false, false),
        Arguments.of(null, false, true, false),
        Arguments.of(true, false, false, true),   // the portal entry wins when it says something
        Arguments.of(true, false, true, true),
        Arguments.of(null, true, true, false),    // allow-list mode: only the portal's own entry enables
        Arguments.of(null, true, false, true),
        Arguments.of(false, true, false, false));
  }

  @ParameterizedTest(name = "portal {0}, server {1}, default_disabled {2} -> {3}")
  @MethodSource("enabledRule")
  void enabledCombinesPortalServerAndDefault(Boolean portal, Boolean server, boolean defaultDisabled, boolean shown) {
    CapabilityOverride p = portal == null ? null : o("t", null, null, portal);
    CapabilityOverride s = server == null ? null : o("t", null, null, server);
    assertEquals(shown, PortalView.enabled(p, s, defaultDisabled));
    // and the same through the whole view
    McpServer srv = server(List.of("t"), s == null ? List.of() : List.of(s));
    PortalServer mapping = new PortalServer("gh", defaultDisabled, true, p == null ? List.of() : List.of(p), List.of());
    assertEquals(shown ? List.of("gh_t") : List.of(), names(PortalView.member(srv, mapping).tools()));
  }

  static Stream<Arguments> naming() {
    return Stream.of(
        Arguments.of("prefixed upstream names", List.of("list_issues", "search"), List.of(), List.of(),
            List.of("gh_list_issues", "gh_search"), Map.of("gh_list_issues", "list_issues", "gh_search", "search")),
        Arguments.of("a server alias keeps the prefix", List.of("list_issues"), List.of(o("list_issues", "issues", null, null)), List.of(),
            List.of("gh_issues"), Map.of("gh_issues", "list_issues")),
        Arguments.of("the portal alias wins over the server's", List.of("list_issues"), List.of(o("list_issues", "issues", null, null)),
            List.of(o("list_issues", "bugs", null, null)), List.of("gh_bugs"), Map.of("gh_bugs", "list_issues")),
        Arguments.of("a portal entry without alias keeps the server alias", List.of("list_issues"),
            List.of(o("list_issues", "issues", null, null)), List.of(o("list_issues", null, "mine", null)),
            List.of("gh_issues"), Map.of("gh_issues", "list_issues")),
        Arguments.of("an alias keeps its name against a newcomer upstream", List.of("a", "b"), List.of(), List.of(o("a", "b", null, null)),
            List.of("gh_b"), Map.of("gh_b", "a")),
        Arguments.of("a swap is no collision", List.of("a", "b"), List.of(), List.of(o("a", "b", null, null), o("b", "a", null, null)),
            List.of("gh_b", "gh_a"), Map.of("gh_b", "a", "gh_a", "b")),
        Arguments.of("a disabled item frees its name", List.of("a", "b"), List.of(), List.of(o("a", "b", null, null), o("b", null, null, false)),
            List.of("gh_b"), Map.of("gh_b", "a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("naming")
  void namesArePrefixedAliasedAndUnique(String what, List<String> upstream, List<CapabilityOverride> serverLevel,
      List<CapabilityOverride> portalLevel, List<String> exposed, Map<String, String> callable) {
    PortalView.Member member = PortalView.member(server(upstream, serverLevel), new PortalServer("gh", false, true, portalLevel, List.of()));
    assertEquals(exposed, names(member.tools()));
    assertEquals(callable, member.toolNames());
  }

  @Test
  void descriptionsTakePortalThenServerThenUpstreamAndUnknownFieldsPassThrough() {
    McpServer srv = server(List.of("a", "b", "c"), List.of(o("a", null, "server a", null), o("b", null, "server b", null)));
    PortalView.Member member = PortalView.member(srv, new PortalServer("gh", false, true, List.of(o("a", null, "portal a", null)), List.of()));
    List<String> descriptions = member.tools().stream().map(t -> ((JsonObject) t).getString("description")).toList();
    assertEquals(List.of("portal a", "server b", "upstream c"), descriptions);
    assertEquals(1, ((JsonObject) member.tools().getValue(0)).getInteger("x-extra"));
    assertEquals("a", ((JsonObject) srv.tools().getValue(0)).getString("name"), "the synced list is never edited");
  }

  @Test
  void conflictsNameTheCollidingItems() {
    McpServer srv = server(List.of("a", "b", "c"), List.of(o("a", "x", null, null)));
    assertEquals(List.of(new PortalView.Conflict(PortalView.Kind.TOOL, "x", List.of("a", "b"))),
        PortalView.conflicts(srv, new PortalServer("gh", false, true, List.of(o("b", "x", null, null)), List.of())));
    assertEquals(List.of(), PortalView.conflicts(srv, new PortalServer("gh", false, true, List.of(o("b", "x", null, false)), List.of())),
        "a disabled item collides with nothing");
    assertEquals(List.of(), PortalView.conflicts(srv, new PortalServer("gh", false, true, List.of(), List.of())));
  }

  @Test
  void namesSplitOnTheFirstUnderscore() {
    assertEquals(Optional.of(new PortalView.Split("gh", "list_issues")), PortalView.split("gh_list_issues"));
    assertEquals(Optional.empty(), PortalView.split("nounderscore"));
    assertEquals(Optional.empty(), PortalView.split("_leading"));
    assertEquals(Optional.empty(), PortalView.split("trailing_"));
    assertEquals(Optional.empty(), PortalView.split(null));
  }

  private static List<String> names(JsonArray items) {
    return items.stream().map(i -> ((JsonObject) i).getString("name")).toList();
  }
}
