package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.AdminApiContract.codes;
import static dev.mcpgateway.admin.AdminApiContract.envelope;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portals management API over real HTTP, run against a gateway on each store: the life cycle,
 * members as the API shows them, pagination and search, every validation rule (each refused with
 * its own error, and nothing changed: the state is read back after every refusal), hostnames
 * unique across accounts, account isolation, the code_mode / allow_code_mode rules, servers that
 * portals use, and the audit trail.
 *
 * <p>Each test starts with account {@code acme}'s servers {@code github} (unauthenticated, synced:
 * tools {@code list_issues}, {@code create_issue}, {@code close_issue}; the server disables
 * {@code close_issue} and describes {@code list_issues}) and {@code jira} (bearer, never synced),
 * and account {@code globex}'s server {@code theirs}.
 */
abstract class PortalApiContract {
  static final String SECRET = "sk-live-PORTAL-PLANTED-7d2e";
  static final JsonArray TOOLS = new JsonArray()
      .add(new JsonObject().put("name", "list_issues").put("description", "List issues").put("inputSchema", new JsonObject().put("type", "object")))
      .add(new JsonObject().put("name", "create_issue").put("inputSchema", new JsonObject().put("type", "object")))
      .add(new JsonObject().put("name", "close_issue").put("inputSchema", new JsonObject().put("type", "object")));

  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  FakeUpstream upstream;

  /** The PostgreSQL schema for this test, or null for the embedded store. */
  abstract String pgSchema();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, pgSchema()));
    upstream = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, TOOLS, 0)));
    ok(HttpMethod.POST, TestGateway.servers("acme"), new JsonObject().put("id", "github").put("name", "GitHub")
        .put("hostname", upstream.url()).put("auth_type", "unauthenticated")
        .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "close_issue").put("enabled", false))
            .add(new JsonObject().put("name", "list_issues").put("description", "Issues, server-level"))), 200);
    ok(HttpMethod.POST, TestGateway.servers("acme") + "/github/sync", null, 200);
    ok(HttpMethod.POST, TestGateway.servers("acme"), new JsonObject().put("id", "jira").put("name", "Jira")
        .put("hostname", "https://jira.example.com/mcp").put("auth_type", "bearer").put("auth_credentials", SECRET), 200);
    ok(HttpMethod.POST, TestGateway.servers("globex"), new JsonObject().put("id", "theirs").put("name", "Theirs")
        .put("hostname", "https://theirs.example.com/mcp").put("auth_type", "unauthenticated"), 200);
  }

  @AfterEach
  void stop() {
    result(upstream.stop());
    result(gw.stop());
    result(vertx.close());
  }

  // ------------------------------------------------------------------------------------ helpers

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = gw.client.request(method, path);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (body == null) return result(request.send());
    request.putHeader("Content-Type", "application/json");
    return result(request.sendBuffer(body instanceof Buffer raw ? raw : Buffer.buffer(body.toString())));
  }

  /** The result of a request the admin token makes, which must answer {@code status}. */
  JsonObject ok(HttpMethod method, String path, Object body, int status) {
    return envelope(send(method, path, TestGateway.ADMIN, body), status).getJsonObject("result");
  }

  /** The items of a list the admin token reads. */
  JsonArray items(String path) {
    return envelope(send(HttpMethod.GET, path, TestGateway.ADMIN, null), 200).getJsonArray("result");
  }

  static String portals(String account) {
    return TestGateway.portals(account);
  }

  static String portal(String id) {
    return portals("acme") + "/" + id;
  }

  static JsonObject minimal(String id) {
    return new JsonObject().put("id", id).put("name", "Portal " + id).put("hostname", id + ".portals.example.com");
  }

  static JsonObject member(String serverId) {
    return new JsonObject().put("server_id", serverId);
  }

  /** The errors of a refusal as "code pointer" (the pointer "-" when the error names no field). */
  static List<String> problems(JsonObject envelope) {
    return envelope.getJsonArray("errors").stream().map(o -> (JsonObject) o)
        .map(e -> e.getInteger("code") + " " + (e.containsKey("source") ? e.getJsonObject("source").getString("pointer") : "-")).toList();
  }

  /** Everything a request could change: both accounts' portals and servers, and their audit trails. */
  JsonObject state() {
    JsonObject state = new JsonObject();
    for (String account : List.of("acme", "globex")) {
      for (String list : List.of(portals(account), TestGateway.servers(account), AdminApiContract.audit(account))) {
        state.put(list, envelope(send(HttpMethod.GET, list + "?per_page=100", TestGateway.ADMIN, null), 200));
      }
    }
    return state;
  }

  List<JsonObject> trail(String query) {
    List<JsonObject> entries = new ArrayList<>();
    items(AdminApiContract.audit("acme") + "?per_page=100" + query).forEach(o -> entries.add((JsonObject) o));
    return entries;
  }

  // ------------------------------------------------------------------------------------ life cycle

  @Test
  void createReadUpdateListDeleteLifeCycle() {
    JsonObject body = new JsonObject().put("id", "main").put("name", "Main portal").put("hostname", "MCP.Example.COM")
        .put("description", "everything in one place")
        .put("servers", new JsonArray()
            .add(member("github").put("default_disabled", true).put("on_behalf", false)
                .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "create_issue").put("alias", "new-issue")
                    .put("description", "File an issue").put("enabled", true))))
            .add(member("jira")));
    HttpResponse<Buffer> createdResponse = send(HttpMethod.POST, portals("acme"), TestGateway.ACME, body);
    JsonObject created = envelope(createdResponse, 201).getJsonObject("result");
    assertEquals(List.of("id", "name", "hostname", "description", "code_mode", "allow_code_mode", "secure_web_gateway", "servers",
        "context_tokens", "context_bytes", "created_at", "created_by", "modified_at", "modified_by"), List.copyOf(created.fieldNames()));
    for (String cost : List.of("context_tokens", "context_bytes")) {
      JsonObject byMode = created.getJsonObject(cost);
      assertEquals(List.of("full", "minimize_tools", "search_and_execute", "codemode"), List.copyOf(byMode.fieldNames()), cost);
      assertTrue(byMode.getLong("search_and_execute") > 0, "the built-in tools cost something even without members: " + byMode);
    }
    assertEquals("main", created.getString("id"));
    assertEquals("mcp.example.com", created.getString("hostname"), "stored lower-cased");
    assertEquals("opt_in", created.getString("code_mode"));
    assertEquals(true, created.getBoolean("allow_code_mode"));
    assertEquals(false, created.getBoolean("secure_web_gateway"));
    assertEquals("acme-bot", created.getString("created_by"));
    assertEquals(created.getString("created_at"), created.getString("modified_at"));
    Instant.parse(created.getString("created_at"));

    JsonArray servers = created.getJsonArray("servers");
    assertEquals(2, servers.size());
    JsonObject github = servers.getJsonObject(0);
    JsonObject githubServer = ok(HttpMethod.GET, TestGateway.servers("acme") + "/github", null, 200);
    assertEquals("github", github.getString("id"));
    assertEquals("github", github.getString("server_id"));
    for (String field : List.of("name", "hostname", "auth_type", "status", "tools", "prompts", "last_synced", "created_at", "created_by")) {
      assertEquals(githubServer.getValue(field), github.getValue(field), field);
    }
    assertEquals(3, github.getJsonArray("tools").size());
    assertEquals(true, github.getBoolean("default_disabled"));
    assertEquals(false, github.getBoolean("on_behalf"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("name", "create_issue").put("enabled", true).put("portal_alias", "new-issue")
            .put("portal_description", "File an issue"))
        .add(new JsonObject().put("name", "close_issue").put("enabled", false))
        .add(new JsonObject().put("name", "list_issues").put("server_description", "Issues, server-level")),
        github.getJsonArray("updated_tools"));
    JsonObject jira = servers.getJsonObject(1);
    assertEquals(false, jira.getBoolean("default_disabled"));
    assertEquals(true, jira.getBoolean("on_behalf"), "on_behalf defaults to true");
    assertEquals("waiting", jira.getString("status"));
    assertFalse(createdResponse.bodyAsString().contains("PLANTED"), "a member's credentials never leave the gateway");
    assertFalse(jira.containsKey("auth_credentials"));

    assertEquals(created, envelope(send(HttpMethod.GET, portal("main"), TestGateway.ACME, null), 200).getJsonObject("result"));

    JsonObject updated = ok(HttpMethod.PUT, portal("main"), new JsonObject().put("name", "Renamed").put("secure_web_gateway", true), 200);
    assertEquals("Renamed", updated.getString("name"));
    assertEquals(true, updated.getBoolean("secure_web_gateway"));
    for (String kept : List.of("hostname", "description", "code_mode", "servers", "created_at", "created_by")) {
      assertEquals(created.getValue(kept), updated.getValue(kept), kept);
    }
    assertEquals("test-admin", updated.getString("modified_by"));
    assertFalse(Instant.parse(updated.getString("modified_at")).isBefore(Instant.parse(created.getString("modified_at"))));

    JsonObject list = envelope(send(HttpMethod.GET, portals("acme"), TestGateway.ACME, null), 200);
    assertEquals(new JsonArray().add(updated), list.getJsonArray("result"), "list items embed their servers too");
    assertEquals(new JsonObject().put("page", 1).put("per_page", 25).put("count", 1).put("total_count", 1).put("total_pages", 1),
        list.getJsonObject("result_info"));

    JsonObject deleted = ok(HttpMethod.DELETE, portal("main"), null, 200);
    JsonObject expected = updated.copy();
    expected.remove("servers");
    expected.remove("context_tokens");
    expected.remove("context_bytes");
    assertEquals(expected, deleted, "delete answers the portal without servers (and without what it cost: it is gone)");
    assertEquals(List.of(2101), codes(envelope(send(HttpMethod.GET, portal("main"), TestGateway.ADMIN, null), 404)));
    assertEquals(List.of(2101), codes(envelope(send(HttpMethod.DELETE, portal("main"), TestGateway.ADMIN, null), 404)));
    assertEquals(List.of(2101), codes(envelope(send(HttpMethod.PUT, portal("main"), TestGateway.ADMIN,
        new JsonObject().put("name", "x")), 404)));
    assertEquals(new JsonArray(), items(portals("acme")));
  }

  @Test
  void aMinimalPortalHasTheDocumentedDefaults() {
    JsonObject created = ok(HttpMethod.POST, portals("acme"), minimal("bare"), 201);
    assertEquals("opt_in", created.getString("code_mode"));
    assertEquals(true, created.getBoolean("allow_code_mode"));
    assertEquals(false, created.getBoolean("secure_web_gateway"));
    assertEquals(new JsonArray(), created.getJsonArray("servers"));
    assertFalse(created.containsKey("description"));
    JsonObject described = ok(HttpMethod.PUT, portal("bare"), new JsonObject().put("description", "now described"), 200);
    assertEquals("now described", described.getString("description"));
    assertFalse(ok(HttpMethod.PUT, portal("bare"), new JsonObject().putNull("description"), 200).containsKey("description"),
        "null clears the description");
  }

  @Test
  void aSentServersArrayReplacesTheMappingsAndOmittedFieldsStay() {
    ok(HttpMethod.POST, portals("acme"), minimal("p").put("code_mode", "enforced").put("description", "d")
        .put("servers", new JsonArray().add(member("github")).add(member("jira"))), 201);
    JsonObject onlyJira = ok(HttpMethod.PUT, portal("p"), new JsonObject().put("servers", new JsonArray()
        .add(new JsonObject().put("id", "jira").put("default_disabled", true))), 200);
    assertEquals(List.of("jira"), onlyJira.getJsonArray("servers").stream().map(o -> ((JsonObject) o).getString("server_id")).toList());
    assertEquals(true, onlyJira.getJsonArray("servers").getJsonObject(0).getBoolean("default_disabled"));
    assertEquals("enforced", onlyJira.getString("code_mode"));
    assertEquals("d", onlyJira.getString("description"));
    assertEquals("p.portals.example.com", onlyJira.getString("hostname"));
    JsonObject same = ok(HttpMethod.PUT, portal("p"), new JsonObject().put("id", "p").put("name", "Still p"), 200);
    assertEquals(onlyJira.getJsonArray("servers"), same.getJsonArray("servers"));
    assertEquals(new JsonArray(), ok(HttpMethod.PUT, portal("p"), new JsonObject().put("servers", new JsonArray()), 200)
        .getJsonArray("servers"));
  }

  @Test
  void everyAcknowledgedPortalWriteSurvivesARestart() {
    ok(HttpMethod.POST, portals("acme"), minimal("kept").put("servers", new JsonArray().add(member("github"))), 201);
    ok(HttpMethod.POST, portals("acme"), minimal("gone"), 201);
    ok(HttpMethod.PUT, portal("kept"), new JsonObject().put("code_mode", "off"), 200);
    ok(HttpMethod.DELETE, portal("gone"), null, 200);
    JsonObject before = state();
    result(gw.stop());
    gw = result(TestGateway.start(vertx, dataDir, pgSchema()));
    assertEquals(before, state());
  }

  // ------------------------------------------------------------------------------------ list

  @Test
  void theListPagesAndSearchesIdNameAndHostnameWithTheServersRules() {
    for (String id : List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7")) {
      ok(HttpMethod.POST, portals("acme"), minimal(id).put("name", id.equals("p5") ? "Finance tools" : "Portal " + id)
          .put("hostname", id.equals("p6") ? "tools.corp.example" : id + ".portals.example.com"), 201);
    }
    ok(HttpMethod.POST, portals("globex"), minimal("p8"), 201);
    JsonObject first = envelope(send(HttpMethod.GET, portals("acme") + "?per_page=3", TestGateway.ACME, null), 200);
    assertEquals(List.of("p1", "p2", "p3"), ids(first));
    assertEquals(new JsonObject().put("page", 1).put("per_page", 3).put("count", 3).put("total_count", 7).put("total_pages", 3),
        first.getJsonObject("result_info"));
    assertEquals(List.of("p7"), ids(envelope(send(HttpMethod.GET, portals("acme") + "?per_page=3&page=3", TestGateway.ACME, null), 200)));
    JsonObject beyond = envelope(send(HttpMethod.GET, portals("acme") + "?per_page=3&page=4", TestGateway.ACME, null), 200);
    assertEquals(List.of(), ids(beyond));
    assertEquals(7, beyond.getJsonObject("result_info").getInteger("total_count"));

    assertEquals(List.of("p5"), ids(envelope(send(HttpMethod.GET, portals("acme") + "?search=FINANCE", TestGateway.ACME, null), 200)));
    assertEquals(List.of("p5", "p6"), ids(envelope(send(HttpMethod.GET, portals("acme") + "?search=tools", TestGateway.ACME, null), 200)));
    assertEquals(List.of("p6"), ids(envelope(send(HttpMethod.GET, portals("acme") + "?search=corp.example", TestGateway.ACME, null), 200)));
    assertEquals(List.of("p3"), ids(envelope(send(HttpMethod.GET, portals("acme") + "?search=p3", TestGateway.ACME, null), 200)));
    assertEquals(List.of(), ids(envelope(send(HttpMethod.GET, portals("acme") + "?search=p8", TestGateway.ACME, null), 200)));
    assertEquals(7, envelope(send(HttpMethod.GET, portals("acme") + "?search=", TestGateway.ACME, null), 200)
        .getJsonObject("result_info").getInteger("total_count"));

    for (String query : List.of("per_page=0", "per_page=101", "page=0", "page=x", "page=21474837", "search=" + "s".repeat(351))) {
      assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, portals("acme") + "?" + query, TestGateway.ACME, null), 400)), query);
    }
    assertEquals(List.of(1201, 1201), codes(envelope(send(HttpMethod.GET, portals("acme") + "?per_page=0&page=0", TestGateway.ACME,
        null), 400)));
    assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, portals("acme") + "?search=%ZZ", TestGateway.ACME, null), 400)));
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("result").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void listedPortalsEmbedTheirMembers() {
    ok(HttpMethod.POST, portals("acme"), minimal("a").put("servers", new JsonArray().add(member("github")).add(member("jira"))), 201);
    ok(HttpMethod.POST, portals("acme"), minimal("b").put("servers", new JsonArray().add(member("jira").put("on_behalf", false))), 201);
    JsonArray listed = items(portals("acme"));
    assertEquals(ok(HttpMethod.GET, portal("a"), null, 200), listed.getJsonObject(0));
    assertEquals(ok(HttpMethod.GET, portal("b"), null, 200), listed.getJsonObject(1));
    assertEquals(false, listed.getJsonObject(1).getJsonArray("servers").getJsonObject(0).getBoolean("on_behalf"));
  }

  // ------------------------------------------------------------------------------------ validation

  /** One refused request: what is sent and the errors expected ("code pointer", in order). */
  record Refusal(String why, HttpMethod method, String path, Object body, List<String> problems) {}

  @Test
  void everyValidationRuleIsRefusedWithItsOwnErrorAndChangesNothing() {
    ok(HttpMethod.POST, portals("acme"), minimal("existing").put("servers", new JsonArray().add(member("github"))), 201);
    JsonArray eightyOne = new JsonArray();
    for (int i = 0; i < 81; i++) eightyOne.add(member("s" + i));
    JsonObject aliasCollision = member("github").put("updated_tools", new JsonArray()
        .add(new JsonObject().put("name", "create_issue").put("alias", "list_issues")));
    List<Refusal> refusals = List.of(
        new Refusal("nothing", HttpMethod.POST, portals("acme"), new JsonObject(), List.of("1101 /id", "1101 /name", "1101 /hostname")),
        new Refusal("id pattern", HttpMethod.POST, portals("acme"), minimal("x").put("id", "my_portal"), List.of("1104 /id")),
        new Refusal("id length", HttpMethod.POST, portals("acme"), minimal("x").put("id", "p".repeat(33)), List.of("1103 /id")),
        new Refusal("name type", HttpMethod.POST, portals("acme"), minimal("x").put("name", 12), List.of("1102 /name")),
        new Refusal("name length", HttpMethod.POST, portals("acme"), minimal("x").put("name", "n".repeat(351)), List.of("1103 /name")),
        new Refusal("hostname URL", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "https://x.example.com"),
            List.of("1104 /hostname")),
        new Refusal("hostname port", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "x.example.com:8443"),
            List.of("1104 /hostname")),
        new Refusal("hostname path", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "x.example.com/mcp"),
            List.of("1104 /hostname")),
        new Refusal("hostname user info", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "me@x.example.com"),
            List.of("1104 /hostname")),
        new Refusal("hostname IPv4", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "192.0.2.1"), List.of("1104 /hostname")),
        new Refusal("hostname IPv6", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "[2001:db8::1]"),
            List.of("1104 /hostname")),
        new Refusal("hostname label", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "-x.example.com"),
            List.of("1104 /hostname")),
        new Refusal("hostname too long", HttpMethod.POST, portals("acme"), minimal("x").put("hostname", "h".repeat(254)),
            List.of("1103 /hostname")),
        new Refusal("description length", HttpMethod.POST, portals("acme"), minimal("x").put("description", "d".repeat(513)),
            List.of("1103 /description")),
        new Refusal("code_mode value", HttpMethod.POST, portals("acme"), minimal("x").put("code_mode", "always"), List.of("1105 /code_mode")),
        new Refusal("code_mode disagrees", HttpMethod.POST, portals("acme"), minimal("x").put("code_mode", "off")
            .put("allow_code_mode", true), List.of("1105 /allow_code_mode")),
        new Refusal("allow_code_mode type", HttpMethod.POST, portals("acme"), minimal("x").put("allow_code_mode", 1),
            List.of("1102 /allow_code_mode")),
        new Refusal("secure_web_gateway type", HttpMethod.POST, portals("acme"), minimal("x").put("secure_web_gateway", "true"),
            List.of("1102 /secure_web_gateway")),
        new Refusal("servers type", HttpMethod.POST, portals("acme"), minimal("x").put("servers", "github"), List.of("1102 /servers")),
        new Refusal("81 servers", HttpMethod.POST, portals("acme"), minimal("x").put("servers", eightyOne), List.of("1103 /servers")),
        new Refusal("a server twice", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("github")).add(member("github"))), List.of("1110 /servers/1/server_id")),
        new Refusal("a server id with _", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("git_hub"))), List.of("1104 /servers/0/server_id")),
        new Refusal("an unknown server", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("github")).add(member("nope"))), List.of("1109 /servers/1/server_id")),
        new Refusal("another account's server", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("theirs"))), List.of("1109 /servers/0/server_id")),
        new Refusal("an item without server_id", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(new JsonObject().put("default_disabled", true))), List.of("1101 /servers/0/server_id")),
        new Refusal("an item field type", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("github").put("on_behalf", "yes"))), List.of("1102 /servers/0/on_behalf")),
        new Refusal("an override alias", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("github").put("updated_tools", new JsonArray().add(new JsonObject().put("name", "a").put("alias", "-bad-"))))),
            List.of("1104 /servers/0/updated_tools/0/alias")),
        new Refusal("two overrides of one tool", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("github").put("updated_prompts", new JsonArray().add(new JsonObject().put("name", "p"))
                .add(new JsonObject().put("name", "p"))))), List.of("1106 /servers/0/updated_prompts/1/name")),
        new Refusal("names collide after aliasing", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(aliasCollision)), List.of("1107 /servers/0/updated_tools/0/alias")),
        new Refusal("re-enabling a tool onto an alias", HttpMethod.POST, portals("acme"), minimal("x").put("servers", new JsonArray()
            .add(member("github").put("updated_tools", new JsonArray()
                .add(new JsonObject().put("name", "close_issue").put("enabled", true).put("alias", "create_issue"))))),
            List.of("1107 /servers/0/updated_tools/0/alias")),
        new Refusal("every problem at once", HttpMethod.POST, portals("acme"), new JsonObject().put("id", "ok-id").put("name", "")
            .put("hostname", "10.1.2.3").put("code_mode", "enforced").put("allow_code_mode", false)
            .put("servers", new JsonArray().add(member("nope")).add(member("a_b")).add(aliasCollision).add(member("jira"))
                .add(member("jira"))),
            List.of("1103 /name", "1104 /hostname", "1105 /allow_code_mode", "1104 /servers/1/server_id", "1110 /servers/4/server_id",
                "1109 /servers/0/server_id", "1107 /servers/2/updated_tools/0/alias")),
        new Refusal("update: id differs", HttpMethod.PUT, portal("existing"), new JsonObject().put("id", "other"), List.of("1108 /id")),
        new Refusal("update: null name", HttpMethod.PUT, portal("existing"), new JsonObject().putNull("name"), List.of("1102 /name")),
        new Refusal("update: hostname", HttpMethod.PUT, portal("existing"), new JsonObject().put("hostname", "bad host"),
            List.of("1104 /hostname")),
        new Refusal("update: code_mode disagrees", HttpMethod.PUT, portal("existing"), new JsonObject().put("code_mode", "default_on")
            .put("allow_code_mode", false), List.of("1105 /allow_code_mode")),
        new Refusal("update: unknown server", HttpMethod.PUT, portal("existing"), new JsonObject().put("servers", new JsonArray()
            .add(member("jira")).add(member("gone"))), List.of("1109 /servers/1/server_id")),
        new Refusal("update: names collide", HttpMethod.PUT, portal("existing"), new JsonObject().put("servers", new JsonArray()
            .add(aliasCollision)), List.of("1107 /servers/0/updated_tools/0/alias")));
    JsonObject before = state();
    for (Refusal refusal : refusals) {
      JsonObject answer = envelope(send(refusal.method(), refusal.path(), TestGateway.ACME, refusal.body()), 400);
      assertEquals(refusal.problems(), problems(answer), refusal.why());
      for (Object o : answer.getJsonArray("errors")) {
        JsonObject error = (JsonObject) o;
        String pointer = error.getJsonObject("source").getString("pointer");
        assertTrue(error.getString("message").startsWith(pointer.substring(1).replace('/', '.') + ": "), refusal.why() + ": " + error);
      }
      assertEquals(before, state(), refusal.why() + " changed something");
    }
  }

  @Test
  void collisionsCountOnlyItemsThePortalShows() {
    // with default_disabled, list_issues is hidden: create_issue may take its name
    JsonObject allowList = member("github").put("default_disabled", true).put("updated_tools", new JsonArray()
        .add(new JsonObject().put("name", "create_issue").put("alias", "list_issues").put("enabled", true)));
    ok(HttpMethod.POST, portals("acme"), minimal("allow").put("servers", new JsonArray().add(allowList)), 201);
    // close_issue is disabled on the server: a portal alias onto its name is free while it stays off
    ok(HttpMethod.POST, portals("acme"), minimal("closed").put("servers", new JsonArray().add(member("github")
        .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "create_issue").put("alias", "close_issue"))))), 201);
  }

  @Test
  void strictJsonContentTypeBodyLimitAndImpossibleIdsAsForServers() {
    ok(HttpMethod.POST, portals("acme"), minimal("p"), 201);
    JsonObject before = state();
    String duplicate = "{\"id\":\"dup\",\"id\":\"dup2\",\"name\":\"n\",\"hostname\":\"dup.example.com\"}";
    assertEquals(List.of(1001), codes(envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ACME, Buffer.buffer(duplicate)), 400)));
    assertEquals(List.of(1001), codes(envelope(send(HttpMethod.PUT, portal("p"), TestGateway.ACME,
        Buffer.buffer("{\"name\":\"a\",\"name\":\"b\"}")), 400)));
    assertEquals(List.of(1001), codes(envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ACME, Buffer.buffer("{\"id\":")), 400)));
    assertEquals(List.of(1002), codes(envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ACME, Buffer.buffer("[]")), 400)));
    assertEquals(List.of(1002), codes(envelope(send(HttpMethod.PUT, portal("p"), TestGateway.ACME, Buffer.buffer("")), 400)));
    HttpResponse<Buffer> text = result(gw.client.post(portals("acme")).bearerTokenAuthentication(TestGateway.ACME)
        .putHeader("Content-Type", "text/plain").sendBuffer(minimal("t").toBuffer()));
    assertEquals(List.of(1004), codes(envelope(text, 415)));
    JsonObject huge = minimal("huge").put("description", "x".repeat(70_000));
    assertEquals(List.of(1003), codes(envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ACME, huge), 413)));
    for (String id : List.of("a_b", "x".repeat(33), "a.b", "%20")) {
      assertEquals(List.of(2101), codes(envelope(send(HttpMethod.GET, portal(id), TestGateway.ACME, null), 404)), id);
      assertEquals(List.of(2101), codes(envelope(send(HttpMethod.PUT, portal(id), TestGateway.ACME, new JsonObject()), 404)), id);
      assertEquals(List.of(2101), codes(envelope(send(HttpMethod.DELETE, portal(id), TestGateway.ACME, null), 404)), id);
    }
    assertEquals(List.of(7001), codes(envelope(send(HttpMethod.PATCH, portal("p"), TestGateway.ACME, new JsonObject()), 405)));
    assertEquals(List.of(7001), codes(envelope(send(HttpMethod.DELETE, portals("acme"), TestGateway.ACME, null), 405)));
    assertEquals(List.of(7000), codes(envelope(send(HttpMethod.GET, portal("p") + "/servers", TestGateway.ACME, null), 404)));
    assertEquals(before, state());
  }

  // ------------------------------------------------------------------------------------ uniqueness, accounts

  @Test
  void aDuplicateIdIs409AndTheSameIdInAnotherAccountIsAnotherPortal() {
    ok(HttpMethod.POST, portals("acme"), minimal("twin"), 201);
    JsonObject before = state();
    JsonObject conflict = envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ADMIN,
        minimal("twin").put("hostname", "other.example.com")), 409);
    assertEquals(List.of("2102 -"), problems(conflict));
    assertEquals(before, state());
    ok(HttpMethod.POST, portals("globex"), minimal("twin").put("hostname", "globex-twin.example.com"), 201);
    assertEquals("twin.portals.example.com", ok(HttpMethod.GET, portal("twin"), null, 200).getString("hostname"));
  }

  @Test
  void aHostnameIsUniqueAcrossTheGatewayCaseInsensitively() {
    ok(HttpMethod.POST, portals("acme"), minimal("first").put("hostname", "mcp.example.com"), 201);
    ok(HttpMethod.POST, portals("acme"), minimal("second"), 201);
    JsonObject before = state();
    JsonObject taken = envelope(send(HttpMethod.POST, portals("globex"), TestGateway.ADMIN,
        minimal("theirs").put("hostname", "MCP.Example.com")), 409);
    assertEquals(List.of("2103 /hostname"), problems(taken));
    assertTrue(taken.getJsonArray("errors").getJsonObject(0).getString("message").startsWith("hostname: "));
    assertFalse(taken.encode().contains("acme") || taken.encode().contains("first"), "another account's portal is not named: " + taken);
    assertEquals(List.of("2103 /hostname"), problems(envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ADMIN,
        minimal("third").put("hostname", "mcp.example.com")), 409)));
    assertEquals(List.of("2103 /hostname"), problems(envelope(send(HttpMethod.PUT, portal("second"), TestGateway.ADMIN,
        new JsonObject().put("hostname", "mcp.EXAMPLE.com")), 409)));
    assertEquals(before, state());
    // its own hostname is no conflict; a freed hostname can be taken
    ok(HttpMethod.PUT, portal("first"), new JsonObject().put("hostname", "MCP.example.com"), 200);
    ok(HttpMethod.PUT, portal("first"), new JsonObject().put("hostname", "moved.example.com"), 200);
    assertEquals("mcp.example.com", ok(HttpMethod.POST, portals("globex"), minimal("theirs").put("hostname", "mcp.example.com"), 201)
        .getString("hostname"));
  }

  @Test
  void anotherAccountsTokenIs403AndAnotherAccountsPortalIs404() {
    ok(HttpMethod.POST, portals("globex"), minimal("secret").put("servers", new JsonArray().add(member("theirs"))), 201);
    JsonObject before = state();
    String base = portals("globex");
    Map<HttpMethod, List<String>> routes = Map.of(
        HttpMethod.GET, List.of(base, base + "/secret", base + "/missing", AdminApiContract.audit("globex") + "?portal_id=secret"),
        HttpMethod.POST, List.of(base),
        HttpMethod.PUT, List.of(base + "/secret"),
        HttpMethod.DELETE, List.of(base + "/secret"));
    routes.forEach((method, paths) -> paths.forEach(path -> {
      Object body = method == HttpMethod.POST ? minimal("mine") : method == HttpMethod.PUT ? new JsonObject().put("name", "hijacked") : null;
      assertEquals(List.of(10001), codes(envelope(send(method, path, TestGateway.ACME, body), 403)), method + " " + path);
    }));
    // under acme's path, globex's portal does not exist
    assertEquals(List.of(2101), codes(envelope(send(HttpMethod.GET, portal("secret"), TestGateway.ACME, null), 404)));
    assertEquals(List.of(2101), codes(envelope(send(HttpMethod.PUT, portal("secret"), TestGateway.ACME, new JsonObject().put("name", "x")),
        404)));
    assertEquals(List.of(2101), codes(envelope(send(HttpMethod.DELETE, portal("secret"), TestGateway.ACME, null), 404)));
    for (String token : new String[] {null, "wrong-token"}) {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
        String path = method == HttpMethod.POST ? portals("acme") : portal("x");
        HttpResponse<Buffer> response = send(method, path, token, method == HttpMethod.POST || method == HttpMethod.PUT ? minimal("x") : null);
        assertEquals(List.of(10000), codes(envelope(response, 401)), method + " " + path);
      }
    }
    assertEquals(before, state());
  }

  // ------------------------------------------------------------------------------------ code mode

  @Test
  void codeModeAndTheDeprecatedAllowCodeModeOverHttp() {
    assertEquals("off", ok(HttpMethod.POST, portals("acme"), minimal("a").put("allow_code_mode", false), 201).getString("code_mode"));
    assertEquals("opt_in", ok(HttpMethod.POST, portals("acme"), minimal("b").put("allow_code_mode", true), 201).getString("code_mode"));
    JsonObject enforced = ok(HttpMethod.POST, portals("acme"), minimal("c").put("code_mode", "enforced").put("allow_code_mode", true), 201);
    assertEquals("enforced", enforced.getString("code_mode"));
    assertEquals(true, enforced.getBoolean("allow_code_mode"));
    // allow_code_mode true keeps a policy that already allows Code Mode, and turns off into opt_in
    assertEquals("enforced", ok(HttpMethod.PUT, portal("c"), new JsonObject().put("allow_code_mode", true), 200).getString("code_mode"));
    assertEquals("opt_in", ok(HttpMethod.PUT, portal("a"), new JsonObject().put("allow_code_mode", true), 200).getString("code_mode"));
    JsonObject off = ok(HttpMethod.PUT, portal("c"), new JsonObject().put("allow_code_mode", false), 200);
    assertEquals("off", off.getString("code_mode"));
    assertEquals(false, off.getBoolean("allow_code_mode"));
    assertEquals("default_on", ok(HttpMethod.PUT, portal("c"), new JsonObject().put("code_mode", "default_on"), 200).getString("code_mode"));
    assertEquals("default_on", ok(HttpMethod.PUT, portal("c"), new JsonObject().put("name", "unrelated"), 200).getString("code_mode"));
  }

  // ------------------------------------------------------------------------------------ servers in use

  @Test
  void aServerThatPortalsUseCannotBeDeletedUntilNoneDoes() {
    ok(HttpMethod.POST, portals("acme"), minimal("uses-both").put("servers", new JsonArray().add(member("github")).add(member("jira"))), 201);
    ok(HttpMethod.POST, portals("acme"), minimal("uses-jira").put("servers", new JsonArray().add(member("jira"))), 201);
    JsonObject before = state();
    JsonObject refused = envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/jira", TestGateway.ACME, null), 409);
    assertEquals(List.of(2003), codes(refused));
    String message = refused.getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(message.contains("uses-both") && message.contains("uses-jira"), message);
    assertEquals(before, state(), "the server and its portals are untouched");

    ok(HttpMethod.PUT, portal("uses-both"), new JsonObject().put("servers", new JsonArray().add(member("github"))), 200);
    String still = envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/jira", TestGateway.ACME, null), 409)
        .getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(still.contains("uses-jira") && !still.contains("uses-both"), still);
    ok(HttpMethod.DELETE, portal("uses-jira"), null, 200);
    assertEquals("jira", ok(HttpMethod.DELETE, TestGateway.servers("acme") + "/jira", null, 200).getString("id"));
    // the same id in another account is another server: globex's portals do not hold acme's back
    ok(HttpMethod.POST, TestGateway.servers("globex"), new JsonObject().put("id", "github").put("name", "G")
        .put("hostname", "https://g.example.com/mcp").put("auth_type", "unauthenticated"), 200);
    ok(HttpMethod.POST, portals("globex"), minimal("g").put("servers", new JsonArray().add(member("github"))), 201);
    ok(HttpMethod.PUT, portal("uses-both"), new JsonObject().put("servers", new JsonArray()), 200);
    ok(HttpMethod.DELETE, TestGateway.servers("acme") + "/github", null, 200);
  }

  // ------------------------------------------------------------------------------------ audit trail

  @Test
  void portalChangesAreAuditedWithActorAndThePortalBeforeAndAfter() {
    JsonObject created = envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ACME, minimal("watched")
        .put("servers", new JsonArray().add(member("github").put("updated_tools", new JsonArray()
            .add(new JsonObject().put("name", "list_issues").put("alias", "issues")))))), 201).getJsonObject("result");
    JsonObject updated = ok(HttpMethod.PUT, portal("watched"), new JsonObject().put("code_mode", "enforced")
        .put("servers", new JsonArray().add(member("jira").put("default_disabled", true))), 200);
    JsonObject deleted = ok(HttpMethod.DELETE, portal("watched"), null, 200);
    // refused requests leave nothing
    envelope(send(HttpMethod.PUT, portal("watched"), TestGateway.ADMIN, new JsonObject().put("name", "late")), 404);
    envelope(send(HttpMethod.POST, portals("acme"), TestGateway.ADMIN, minimal("bad").put("hostname", "bad host")), 400);

    List<JsonObject> trail = trail("&portal_id=watched");
    assertEquals(List.of("delete", "update", "create"), trail.stream().map(e -> e.getString("action")).toList());
    assertEquals(List.of("test-admin", "test-admin", "acme-bot"), trail.stream().map(e -> e.getString("actor")).toList());
    for (JsonObject entry : trail) {
      assertEquals(Set.of("id", "account_id", "portal_id", "action", "actor", "at", "before", "after"), entry.fieldNames());
      assertEquals("watched", entry.getString("portal_id"));
      Instant.parse(entry.getString("at"));
    }
    JsonObject create = trail.get(2);
    JsonObject update = trail.get(1);
    JsonObject delete = trail.get(0);
    assertNull(create.getValue("before"));
    assertEquals(auditForm(created, new JsonArray().add(new JsonObject().put("server_id", "github").put("default_disabled", false)
        .put("on_behalf", true).put("updated_tools", new JsonArray().add(new JsonObject().put("name", "list_issues").put("alias", "issues")))
        .put("updated_prompts", new JsonArray()))), create.getJsonObject("after"));
    assertEquals(create.getJsonObject("after"), update.getJsonObject("before"));
    JsonArray jira = new JsonArray().add(new JsonObject().put("server_id", "jira").put("default_disabled", true).put("on_behalf", true)
        .put("updated_tools", new JsonArray()).put("updated_prompts", new JsonArray()));
    assertEquals(auditForm(updated, jira), update.getJsonObject("after"));
    assertEquals(auditForm(deleted, jira), delete.getJsonObject("before"));
    assertNull(delete.getValue("after"));

    // the trail holds the servers' entries beside the portals'; each filter finds its own
    List<JsonObject> all = trail("");
    assertEquals(3, all.stream().filter(e -> e.containsKey("portal_id")).count());
    assertTrue(all.stream().filter(e -> !e.containsKey("portal_id")).allMatch(e -> e.containsKey("server_id") && !e.containsKey("portal_id")));
    assertEquals(List.of(), trail("&portal_id=github"));
    assertTrue(trail("&server_id=github").stream().noneMatch(e -> e.containsKey("portal_id")));
    assertEquals(List.of(), trail("&server_id=github&portal_id=watched"));
    for (String query : List.of("portal_id=a_b", "portal_id=" + "p".repeat(33))) {
      assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, AdminApiContract.audit("acme") + "?" + query, TestGateway.ACME, null),
          400)), query);
    }
    assertEquals(all, trail("&portal_id="), "an empty portal_id is no filter");
  }

  /** A portal as its audit entries keep it: the API's fields, and the mappings instead of the member servers. */
  private static JsonObject auditForm(JsonObject shown, JsonArray mappings) {
    JsonObject form = shown.copy();
    // what the lists cost agents changes with the members' syncs, not with the portal: not in its audit form
    form.remove("context_tokens");
    form.remove("context_bytes");
    form.put("servers", mappings);
    return form;
  }
}
