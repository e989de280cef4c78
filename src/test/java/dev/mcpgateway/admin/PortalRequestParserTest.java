package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Portal bodies below the HTTP layer: every field rule, one error per problem, and the code_mode / allow_code_mode table. */
class PortalRequestParserTest {
  final PortalRequestParser parser = new PortalRequestParser();

  static JsonObject valid() {
    return new JsonObject().put("id", "my-portal").put("name", "My portal").put("hostname", "mcp.example.com");
  }

  PortalRequestParser.Parsed create(JsonObject body) {
    return parser.parse(body, PortalRequestParser.Mode.CREATE, null);
  }

  /** The errors as "code pointer". */
  static List<String> problems(PortalRequestParser.Parsed parsed) {
    return parsed.errors().stream().map(e -> e.code().code() + " " + e.pointer()).toList();
  }

  @Test
  void aMinimalCreateHasTheDefaults() {
    PortalRequestParser.Parsed parsed = create(valid());
    assertEquals(List.of(), parsed.errors());
    Portal portal = new PortalChanges(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
        .create("acme", parsed.fields(), "bot");
    assertEquals(CodeMode.OPT_IN, portal.codeMode());
    assertEquals(false, portal.secureWebGateway());
    assertEquals(List.of(), portal.servers());
    assertNull(portal.description());
    assertEquals("bot", portal.createdBy());
  }

  @Test
  void aServerItemHasItsDefaultsAndTheOverridesAsSent() {
    JsonObject body = valid().put("servers", new JsonArray()
        .add(new JsonObject().put("server_id", "github"))
        .add(new JsonObject().put("server_id", "jira").put("default_disabled", true).put("on_behalf", false)
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "create_issue").put("alias", "new-issue")
                .put("description", "Files an issue").put("enabled", true)))
            .put("updated_prompts", new JsonArray().add(new JsonObject().put("name", "triage").put("enabled", false)))));
    PortalRequestParser.Parsed parsed = create(body);
    assertEquals(List.of(), parsed.errors());
    assertEquals(List.of(
        new PortalServer("github", false, true, List.of(), List.of()),
        new PortalServer("jira", true, false, List.of(new CapabilityOverride("create_issue", "new-issue", "Files an issue", true)),
            List.of(new CapabilityOverride("triage", null, null, false)))), parsed.fields().servers());
  }

  @Test
  void aMemberMayBeNamedByIdAsCloudflaresDocsWriteIt() {
    PortalRequestParser.Parsed parsed = create(valid().put("servers", new JsonArray()
        .add(new JsonObject().put("id", "github"))
        .add(new JsonObject().put("server_id", "jira").put("id", "jira"))));
    assertEquals(List.of(), parsed.errors());
    assertEquals(List.of("github", "jira"), parsed.fields().servers().stream().map(PortalServer::serverId).toList());
    // both, disagreeing: refused rather than guessed
    assertEquals(List.of("1105 /servers/0/id"), problems(create(valid().put("servers", new JsonArray()
        .add(new JsonObject().put("server_id", "jira").put("id", "github"))))));
  }

  @Test
  void theHostnameIsStoredLowerCased() {
    assertEquals("mcp.example.com", create(valid().put("hostname", "MCP.Example.COM")).fields().hostname());
  }

  static Stream<Arguments> refusals() {
    JsonArray twoOfOne = new JsonArray().add(new JsonObject().put("server_id", "a")).add(new JsonObject().put("server_id", "b"))
        .add(new JsonObject().put("server_id", "a"));
    JsonArray eightyOne = new JsonArray();
    for (int i = 0; i < Portal.MAX_SERVERS + 1; i++) eightyOne.add(new JsonObject().put("server_id", "s" + i));
    return Stream.of(
        Arguments.of("no id", valid().copy().putNull("id"), List.of("1101 /id")),
        Arguments.of("id too long", valid().put("id", "x".repeat(33)), List.of("1103 /id")),
        Arguments.of("id with _", valid().put("id", "my_portal"), List.of("1104 /id")),
        Arguments.of("id a number", valid().put("id", 7), List.of("1102 /id")),
        Arguments.of("nothing", new JsonObject(), List.of("1101 /id", "1101 /name", "1101 /hostname")),
        Arguments.of("blank name", valid().put("name", "  "), List.of("1103 /name")),
        Arguments.of("name too long", valid().put("name", "n".repeat(351)), List.of("1103 /name")),
        Arguments.of("name with a control", valid().put("name", "a\u0007b"), List.of("1104 /name")),
        Arguments.of("URL hostname", valid().put("hostname", "https://mcp.example.com"), List.of("1104 /hostname")),
        Arguments.of("hostname too long", valid().put("hostname", "a".repeat(254)), List.of("1103 /hostname")),
        Arguments.of("description too long", valid().put("description", "d".repeat(513)), List.of("1103 /description")),
        Arguments.of("description a number", valid().put("description", 5), List.of("1102 /description")),
        Arguments.of("code_mode unknown", valid().put("code_mode", "on"), List.of("1105 /code_mode")),
        Arguments.of("code_mode null", valid().putNull("code_mode"), List.of("1102 /code_mode")),
        Arguments.of("allow_code_mode a string", valid().put("allow_code_mode", "true"), List.of("1102 /allow_code_mode")),
        Arguments.of("off but allowed", valid().put("code_mode", "off").put("allow_code_mode", true), List.of("1105 /allow_code_mode")),
        Arguments.of("enforced but not allowed", valid().put("code_mode", "enforced").put("allow_code_mode", false),
            List.of("1105 /allow_code_mode")),
        Arguments.of("secure_web_gateway a string", valid().put("secure_web_gateway", "yes"), List.of("1102 /secure_web_gateway")),
        Arguments.of("servers an object", valid().put("servers", new JsonObject()), List.of("1102 /servers")),
        Arguments.of("81 servers", valid().put("servers", eightyOne), List.of("1103 /servers")),
        Arguments.of("a server twice", valid().put("servers", twoOfOne), List.of("1110 /servers/2/server_id")),
        Arguments.of("server item a string", valid().put("servers", new JsonArray().add("github")), List.of("1102 /servers/0")),
        Arguments.of("server item without id", valid().put("servers", new JsonArray().add(new JsonObject().put("on_behalf", true))),
            List.of("1101 /servers/0/server_id")),
        Arguments.of("server id with _", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "git_hub"))),
            List.of("1104 /servers/0/server_id")),
        Arguments.of("server id with a dot", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "git.hub"))),
            List.of("1104 /servers/0/server_id")),
        Arguments.of("server id by id, with _", valid().put("servers", new JsonArray().add(new JsonObject().put("id", "a_b"))),
            List.of("1104 /servers/0/id")),
        Arguments.of("default_disabled a number", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a")
            .put("default_disabled", 1))), List.of("1102 /servers/0/default_disabled")),
        Arguments.of("on_behalf a string", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a")
            .put("on_behalf", "false"))), List.of("1102 /servers/0/on_behalf")),
        Arguments.of("override alias format", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a")
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "t").put("alias", "two words"))))),
            List.of("1104 /servers/0/updated_tools/0/alias")),
        Arguments.of("override without name", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a")
            .put("updated_prompts", new JsonArray().add(new JsonObject().put("alias", "x"))))),
            List.of("1101 /servers/0/updated_prompts/0/name")),
        Arguments.of("two overrides of one name", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a")
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "t")).add(new JsonObject().put("name", "t"))))),
            List.of("1106 /servers/0/updated_tools/1/name")),
        Arguments.of("one alias twice", valid().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a")
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "t").put("alias", "x"))
                .add(new JsonObject().put("name", "u").put("alias", "x"))))),
            List.of("1107 /servers/0/updated_tools/1/alias")),
        Arguments.of("an alias that is another override's name", valid().put("servers", new JsonArray().add(new JsonObject()
            .put("server_id", "a").put("updated_tools", new JsonArray().add(new JsonObject().put("name", "t").put("alias", "u"))
                .add(new JsonObject().put("name", "u"))))),
            List.of("1107 /servers/0/updated_tools/0/alias")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void eachProblemIsReportedAtItsPointer(String why, JsonObject body, List<String> expected) {
    PortalRequestParser.Parsed parsed = create(body);
    assertEquals(expected, problems(parsed));
    for (ApiError e : parsed.errors()) {
      assertTrue(e.message().startsWith(e.pointer().substring(1).replace('/', '.') + ": "), e.message());
    }
  }

  @Test
  void everyProblemOfOneBodyIsItsOwnEntryAndSoundItemsStayCheckable() {
    JsonObject body = new JsonObject().put("id", "bad id").put("name", 5).put("hostname", "10.0.0.1").put("code_mode", "sometimes")
        .put("servers", new JsonArray()
            .add(new JsonObject().put("server_id", "good"))
            .add(new JsonObject().put("server_id", "x_y"))
            .add(new JsonObject().put("server_id", "other").put("on_behalf", "no"))
            .add(new JsonObject().put("server_id", "good")));
    PortalRequestParser.Parsed parsed = create(body);
    assertEquals(List.of("1104 /id", "1102 /name", "1104 /hostname", "1105 /code_mode", "1104 /servers/1/server_id",
        "1102 /servers/2/on_behalf", "1110 /servers/3/server_id"), problems(parsed));
    List<PortalServer> servers = parsed.fields().servers();
    assertEquals(4, servers.size());
    assertEquals("good", servers.get(0).serverId());
    assertNull(servers.get(1));
    assertNull(servers.get(2));
    assertNull(servers.get(3));
  }

  @Test
  void anUpdateMayOmitEverythingButNotChangeTheId() {
    assertEquals(List.of(), parser.parse(new JsonObject(), PortalRequestParser.Mode.UPDATE, "p").errors());
    assertEquals(List.of(), parser.parse(new JsonObject().put("id", "p"), PortalRequestParser.Mode.UPDATE, "p").errors());
    assertEquals(List.of("1108 /id"), problems(parser.parse(new JsonObject().put("id", "q"), PortalRequestParser.Mode.UPDATE, "p")));
    assertEquals(List.of("1102 /name", "1102 /hostname"),
        problems(parser.parse(new JsonObject().putNull("name").putNull("hostname"), PortalRequestParser.Mode.UPDATE, "p")));
    PortalFields cleared = parser.parse(new JsonObject().putNull("description").putNull("servers"), PortalRequestParser.Mode.UPDATE, "p")
        .fields();
    assertEquals(Optional.empty(), cleared.description());
    assertEquals(List.of(), cleared.servers());
    PortalFields untouched = parser.parse(new JsonObject(), PortalRequestParser.Mode.UPDATE, "p").fields();
    assertNull(untouched.description());
    assertNull(untouched.servers());
    assertNull(untouched.codeMode());
  }

  /**
   * The code_mode / allow_code_mode table: what a portal's policy becomes, for each current policy
   * ("-" on create), each code_mode sent ("-" not sent) and each allow_code_mode sent.
   */
  @ParameterizedTest(name = "current {0}, code_mode {1}, allow_code_mode {2} → {3}")
  @CsvSource({
      "-, -, -, opt_in",
      "-, -, true, opt_in",
      "-, -, false, off",
      "-, enforced, -, enforced",
      "-, default_on, true, default_on",
      "-, off, false, off",
      "-, off, true, 400",
      "-, opt_in, false, 400",
      "opt_in, -, -, opt_in",
      "off, -, -, off",
      "enforced, -, -, enforced",
      "default_on, -, true, default_on",
      "enforced, -, true, enforced",
      "opt_in, -, true, opt_in",
      "off, -, true, opt_in",
      "enforced, -, false, off",
      "off, -, false, off",
      "off, enforced, -, enforced",
      "enforced, off, -, off",
      "enforced, off, true, 400",
      "off, default_on, false, 400",
  })
  void codeModeAndTheDeprecatedAllowCodeMode(String current, String codeMode, String allow, String expected) {
    JsonObject body = current.equals("-") ? valid() : new JsonObject();
    if (!codeMode.equals("-")) body.put("code_mode", codeMode);
    if (!allow.equals("-")) body.put("allow_code_mode", Boolean.parseBoolean(allow));
    PortalRequestParser.Parsed parsed = parser.parse(body, current.equals("-") ? PortalRequestParser.Mode.CREATE
        : PortalRequestParser.Mode.UPDATE, "my-portal");
    if (expected.equals("400")) {
      assertEquals(List.of("1105 /allow_code_mode"), problems(parsed));
      return;
    }
    assertEquals(List.of(), parsed.errors());
    PortalChanges changes = new PortalChanges(Clock.systemUTC());
    Portal portal = current.equals("-") ? changes.create("acme", parsed.fields(), "bot")
        : changes.update(new Portal("acme", "my-portal", "P", "p.example.com", null, CodeMode.fromWire(current).orElseThrow(), false,
            List.of(), Instant.EPOCH, "creator", Instant.EPOCH, "creator"), parsed.fields(), "bot");
    assertEquals(expected, portal.codeMode().wire());
  }

  @Test
  void anUpdateChangesWhatItSendsAndAServersArrayReplacesTheMappings() {
    Portal current = new Portal("acme", "p", "Name", "old.example.com", "kept", CodeMode.ENFORCED, true,
        List.of(new PortalServer("a", false, true, List.of(), List.of()), new PortalServer("b", true, true, List.of(), List.of())),
        Instant.parse("2026-01-01T00:00:00Z"), "creator", Instant.parse("2026-01-01T00:00:00Z"), "creator");
    PortalChanges changes = new PortalChanges(Clock.fixed(Instant.parse("2026-02-01T00:00:00.123456Z"), ZoneOffset.UTC));
    Portal renamed = changes.update(current, parser.parse(new JsonObject().put("name", "New"), PortalRequestParser.Mode.UPDATE, "p")
        .fields(), "editor");
    assertEquals(new Portal("acme", "p", "New", "old.example.com", "kept", CodeMode.ENFORCED, true, current.servers(),
        current.createdAt(), "creator", Instant.parse("2026-02-01T00:00:00.123Z"), "editor"), renamed);
    List<Object> changed = new ArrayList<>();
    Portal replaced = changes.update(current, parser.parse(new JsonObject().put("hostname", "New.Example.com").putNull("description")
        .put("secure_web_gateway", false).put("servers", new JsonArray().add(new JsonObject().put("server_id", "c"))),
        PortalRequestParser.Mode.UPDATE, "p").fields(), "editor");
    changed.add(replaced.hostname());
    changed.add(replaced.description());
    changed.add(replaced.secureWebGateway());
    changed.add(replaced.servers());
    assertEquals(java.util.Arrays.asList("new.example.com", null, false, List.of(new PortalServer("c", false, true, List.of(), List.of()))),
        changed);
  }
}
