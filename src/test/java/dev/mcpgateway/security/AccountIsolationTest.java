package dev.mcpgateway.security;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.Postgres;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account isolation, table-driven over every route and method: a credential that is not account
 * globex's own gets a refusal on every admin and MCP route of globex — acme's API token 403, acme's
 * client tokens 403, a token of the other surface 401 (an API token is not a client token, nor the
 * reverse), and a session id opened on acme carried to globex's paths (or by another token) 404,
 * which tells an agent to initialize again. A refusal reveals nothing of globex (no field of its
 * servers in any body or header), changes nothing (its list, reads and audit trail are compared
 * before and after; acme's too) and never reaches an upstream (both upstreams record every request).
 *
 * <p>403 comes before 404 and 405: authentication runs before routing (openapi.json: "Authentication
 * runs before routing"; README: "a valid token for another account 403"), so a foreign token cannot
 * even learn which paths or methods exist. The MCP endpoint likewise checks the client token before
 * its 405 handler. HEAD answers carry the status and headers but no body.
 *
 * <p>Runs once per store (embedded and PostgreSQL), each with a gateway of its own.
 */
class AccountIsolationTest {
  /** The account the limited tokens of {@link TestGateway} belong to: the one trying to reach the other. */
  static final String ACME = "acme";
  /** The account whose routes are tried. */
  static final String GLOBEX = "globex";
  /** Globex's upstream credential: never shown by the API, so it must not appear in any answer. */
  static final String GLOBEX_SECRET = "globex-upstream-secret-7d41";
  static final List<String> GLOBEX_SERVERS = List.of("shared", "only", "vault");
  static final List<String> ACME_SERVERS = List.of("shared", "only");
  /** Fields of a server view a stranger knows anyway (the path's id) or that say nothing (enums, token names). */
  static final Set<String> PUBLIC_FIELDS = Set.of("id", "status", "auth_type", "created_by", "modified_by");

  /** A bearer token and how the test names call it. */
  record Credential(String label, String token) {}

  static final Credential ACME_API = new Credential("acme's API token", TestGateway.ACME);
  static final Credential ADMIN_API = new Credential("the all-accounts API token", TestGateway.ADMIN);
  static final Credential AGENT = new Credential("the all-accounts client token", TestGateway.AGENT);
  static final Credential ACME_CLIENT = new Credential("acme's client token", TestGateway.ACME_AGENT);
  static final Credential ONLY_CLIENT = new Credential("the acme/only client token", TestGateway.ONLY_AGENT);

  /** A session id an initialize minted: whose, and on which endpoint. */
  record Minted(Credential owner, String account, String server, String id) {
    String label() {
      return "session of " + owner.label() + " on " + account + "/" + server;
    }
  }

  /**
   * What is sent to an MCP path: the transport's POST (as three kinds of message), GET and DELETE,
   * and methods the endpoint does not have.
   */
  enum McpCall {
    INITIALIZE(HttpMethod.POST, "initialize"),
    PING(HttpMethod.POST, "ping"),
    TOOL_CALL(HttpMethod.POST, "tools/call"),
    STREAM(HttpMethod.GET, null),
    END(HttpMethod.DELETE, null),
    PUT(HttpMethod.PUT, "ping"),
    PATCH(HttpMethod.PATCH, "ping"),
    HEAD(HttpMethod.HEAD, null),
    OPTIONS(HttpMethod.OPTIONS, null);

    /** What a session id is sent with: everything but initialize. */
    static final List<McpCall> IN_A_SESSION = List.of(PING, TOOL_CALL, STREAM, END);

    final HttpMethod method;
    final String rpc;

    McpCall(HttpMethod method, String rpc) {
      this.method = method;
      this.rpc = rpc;
    }

    String label() {
      return method == HttpMethod.POST ? "POST (" + rpc + ")" : method.name();
    }

    /** The JSON-RPC message of the body, or null for a request without one. */
    JsonObject message() {
      if (rpc == null) return null;
      JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", rpc);
      return switch (rpc) {
        case "initialize" -> message.put("params", new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "isolation").put("version", "1")));
        // globex's own tool: what an intruder would be after
        case "tools/call" -> message.put("params", new JsonObject().put("name", "globex_payroll_export").put("arguments", new JsonObject()));
        default -> message;
      };
    }
  }

  /** One row of the table: a request (call is null on the admin API) and the refusal it must get. */
  record Row(HttpMethod method, String path, McpCall call, Credential credential, Minted session, int status) {
    static Row admin(HttpMethod method, String path, Credential credential, int status) {
      return new Row(method, path, null, credential, null, status);
    }

    static Row mcp(McpCall call, String account, String server, Credential credential, Minted session, int status) {
      return new Row(call.method, TestGateway.mcp(account, server), call, credential, session, status);
    }

    boolean onMcp() {
      return call != null;
    }

    /** The error code the body must carry: the envelope's on the admin API, JSON-RPC's on the MCP endpoint. */
    int errorCode() {
      if (!onMcp()) return status == 401 ? 10000 : 10001;
      return status == 404 ? -32001 : -32600;
    }

    String name() {
      String what = onMcp() ? call.label() : method.name();
      return what + " " + path.replace("/access/ai-controls/mcp", "/...") + " with " + credential.label()
          + (session == null ? "" : " + the " + session.label()) + " → " + status;
    }
  }

  /** Both accounts as the all-accounts token sees them: list, every read, audit trail, tool-call analytics. */
  record Snapshot(JsonObject list, Map<String, JsonObject> reads, JsonObject audit, JsonObject toolCalls) {}

  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  String pgSchema;
  FakeUpstream acmeUpstream;
  FakeUpstream globexUpstream;
  /** Every request each upstream received, as "METHOD path". */
  final List<String> seenByAcme = new CopyOnWriteArrayList<>();
  final List<String> seenByGlobex = new CopyOnWriteArrayList<>();
  /** Upstream sessions globex's upstream saw ended (a sync ends its session after answering). */
  final Semaphore globexSessionsEnded = new Semaphore(0);
  /** Every value of globex's servers a stranger could not know. */
  Set<String> globexValues;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (gw != null) result(gw.stop());
    if (acmeUpstream != null) result(acmeUpstream.stop());
    if (globexUpstream != null) result(globexUpstream.stop());
    if (pgSchema != null) result(Postgres.dropSchema(vertx, pgSchema));
    result(vertx.close());
  }

  @TestFactory
  Stream<DynamicNode> embeddedStore() {
    return isolation(null);
  }

  @TestFactory
  Stream<DynamicNode> postgresStore() {
    return isolation(Postgres.newSchema());
  }

  /** Sets both accounts up, snapshots them, and answers the table followed by the checks of what it left behind. */
  Stream<DynamicNode> isolation(String schema) {
    pgSchema = schema;
    acmeUpstream = recordingUpstream("acme_echo", seenByAcme, new Semaphore(0));
    globexUpstream = recordingUpstream("globex_payroll_export", seenByGlobex, globexSessionsEnded);
    gw = result(TestGateway.start(vertx, dataDir, schema));

    // the same ids in both accounts (shared; only, the one server ONLY_AGENT may use in acme), and one of globex's own
    create(GLOBEX, new JsonObject().put("id", "shared").put("name", "Globex Treasury").put("description", "Globex's treasury desk")
        .put("hostname", globexUpstream.url() + "/globex/shared").put("auth_type", "bearer").put("auth_credentials", GLOBEX_SECRET));
    create(GLOBEX, new JsonObject().put("id", "only").put("name", "Globex Lookalike")
        .put("hostname", globexUpstream.url() + "/globex/only").put("auth_type", "unauthenticated"));
    create(GLOBEX, new JsonObject().put("id", "vault").put("name", "Globex Vault").put("description", "Board minutes of Globex")
        .put("hostname", globexUpstream.url() + "/globex/vault").put("auth_type", "unauthenticated")
        .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "globex_payroll_export").put("alias", "globex-payroll"))));
    // synced, so that globex's reads carry tools, sync times and audit entries a leak could show
    for (String id : GLOBEX_SERVERS) {
      assertEquals("ready", adminPost(TestGateway.servers(GLOBEX) + "/" + id + "/sync").getJsonObject("result").getString("status"));
    }
    // each sync ends its upstream session after answering: wait for those, so that from here on the upstream is quiet
    assertTrue(tryAcquire(globexSessionsEnded, GLOBEX_SERVERS.size()), "the syncs ended their upstream sessions: " + seenByGlobex);

    for (String id : ACME_SERVERS) {
      create(ACME, new JsonObject().put("id", id).put("name", "Acme " + id).put("hostname", acmeUpstream.url() + "/acme/" + id)
          .put("auth_type", "unauthenticated"));
    }
    // real sessions, for the rows that carry a session id somewhere it does not belong
    Minted agentOnAcmeShared = initialize(AGENT, ACME, "shared");
    Minted acmeClientOnAcmeShared = initialize(ACME_CLIENT, ACME, "shared");
    Minted onlyClientOnAcmeOnly = initialize(ONLY_CLIENT, ACME, "only");
    List<Minted> minted = List.of(agentOnAcmeShared, acmeClientOnAcmeShared, onlyClientOnAcmeOnly);

    Snapshot globexBefore = snapshot(GLOBEX, GLOBEX_SERVERS);
    Snapshot acmeBefore = snapshot(ACME, ACME_SERVERS);
    globexValues = secretsOf(globexBefore);
    assertTrue(globexValues.containsAll(List.of(GLOBEX_SECRET, "Globex Treasury", "globex-payroll", "Exports the Globex payroll",
        globexUpstream.url() + "/globex/vault")), globexValues.toString());
    int acmeUpstreamQuietFrom = seenByAcme.size();
    int globexUpstreamQuietFrom = seenByGlobex.size();

    return Stream.of(
        dynamicContainer("admin API: foreign and client tokens", tests(adminRows())),
        dynamicContainer("MCP endpoint: foreign client tokens and API tokens", tests(mcpRows())),
        dynamicContainer("MCP endpoint: session ids where they do not belong",
            tests(sessionRows(agentOnAcmeShared, acmeClientOnAcmeShared, onlyClientOnAcmeOnly))),
        dynamicTest("afterwards: globex's list, reads, audit trail and tool-call counts are unchanged",
            () -> assertEquals(globexBefore, snapshot(GLOBEX, GLOBEX_SERVERS))),
        dynamicTest("afterwards: acme's list, reads, audit trail and tool-call counts are unchanged",
            () -> assertEquals(acmeBefore, snapshot(ACME, ACME_SERVERS))),
        dynamicTest("afterwards: no refused request reached an upstream", () -> {
          assertEquals(List.of(), seenByGlobex.subList(globexUpstreamQuietFrom, seenByGlobex.size()), "globex's upstream");
          assertEquals(List.of(), seenByAcme.subList(acmeUpstreamQuietFrom, seenByAcme.size()), "acme's upstream");
        }),
        // last, since it reaches acme's upstream: a refused DELETE or GET did not end or take over the sessions it carried
        dynamicTest("afterwards: the sessions refused requests carried still work for their owners", () -> {
          for (Minted session : minted) {
            HttpResponse<Buffer> ping = mcpRequest(HttpMethod.POST, TestGateway.mcp(session.account(), session.server()),
                session.owner(), session, McpCall.PING.message());
            assertEquals(200, ping.statusCode(), session.label() + ": " + ping.bodyAsString());
            assertNotNull(ping.bodyAsJsonObject().getJsonObject("result"), ping.bodyAsString());
          }
        }));
  }

  // ------------------------------------------------------------------------------------ the table

  /**
   * Every admin path of an account: the documented routes, an id the account does not have, a
   * route that does not exist (an owner would get 404/405 there; a stranger must not learn that).
   */
  static List<String> adminPaths(String account) {
    String servers = TestGateway.servers(account);
    String audit = "/accounts/" + account + "/access/ai-controls/mcp/audit";
    String portals = TestGateway.portals(account);
    String serviceTokens = "/accounts/" + account + "/access/service_tokens";
    String policies = "/accounts/" + account + "/access/policies";
    String someId = "/00000000-0000-4000-8000-000000000000";
    String analytics = "/accounts/" + account + "/access/ai-controls/mcp/analytics";
    return List.of(analytics + "/tool-calls/timeseries", analytics + "/tool-calls/timeseries?granularity=monthly&aggregate=true",
        analytics + "/servers/shared/tool-calls/timeseries", analytics + "/servers/missing/tool-calls/timeseries?days=0",
        analytics + "/portals/team/tool-calls/timeseries?tz=%2B05:30",
        servers, servers + "/shared", servers + "/vault", servers + "/missing", servers + "/shared/sync",
        servers + "/shared/tools", audit, audit + "?server_id=shared", portals, portals + "/team",
        serviceTokens, serviceTokens + someId, serviceTokens + someId + "/rotate", serviceTokens + someId + "/refresh",
        policies, policies + someId, policies + "/explain?email=a@b.example&server_id=shared");
  }

  static final List<HttpMethod> ADMIN_METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
      HttpMethod.PATCH, HttpMethod.HEAD, HttpMethod.OPTIONS);

  static List<Row> adminRows() {
    List<Row> rows = new ArrayList<>();
    for (String path : adminPaths(GLOBEX)) {
      for (HttpMethod method : ADMIN_METHODS) {
        rows.add(Row.admin(method, path, ACME_API, 403));
        // client tokens are no API tokens, not even the one valid for globex's MCP servers
        for (Credential client : List.of(AGENT, ACME_CLIENT, ONLY_CLIENT)) rows.add(Row.admin(method, path, client, 401));
      }
    }
    // nor do acme's client tokens manage acme
    for (String path : adminPaths(ACME)) {
      for (HttpMethod method : ADMIN_METHODS) {
        for (Credential client : List.of(ACME_CLIENT, ONLY_CLIENT)) rows.add(Row.admin(method, path, client, 401));
      }
    }
    return rows;
  }

  static List<Row> mcpRows() {
    List<Row> rows = new ArrayList<>();
    for (McpCall call : McpCall.values()) {
      // globex's servers (the same ids as acme's, its own, one it does not have) refuse acme's client tokens
      for (String server : List.of("shared", "only", "vault", "missing")) {
        rows.add(Row.mcp(call, GLOBEX, server, ACME_CLIENT, null, 403));
        rows.add(Row.mcp(call, GLOBEX, server, ONLY_CLIENT, null, 403));
        // API tokens are no client tokens, not even the one that manages every account
        rows.add(Row.mcp(call, GLOBEX, server, ACME_API, null, 401));
        rows.add(Row.mcp(call, GLOBEX, server, ADMIN_API, null, 401));
      }
      // a token scoped to one server is refused on the account's others
      for (String server : List.of("shared", "missing")) rows.add(Row.mcp(call, ACME, server, ONLY_CLIENT, null, 403));
      for (String server : ACME_SERVERS) {
        rows.add(Row.mcp(call, ACME, server, ACME_API, null, 401));
        rows.add(Row.mcp(call, ACME, server, ADMIN_API, null, 401));
      }
    }
    return rows;
  }

  /** A session id used by someone, somewhere. */
  record Carried(Credential by, Minted session, String account, String server, int status) {}

  static List<Row> sessionRows(Minted agentOnAcmeShared, Minted acmeClientOnAcmeShared, Minted onlyClientOnAcmeOnly) {
    List<Carried> carried = List.of(
        // the all-accounts token may use globex's servers, but not with a session opened on acme's (same id or not)
        new Carried(AGENT, agentOnAcmeShared, GLOBEX, "shared", 404),
        new Carried(AGENT, agentOnAcmeShared, GLOBEX, "only", 404),
        new Carried(AGENT, agentOnAcmeShared, GLOBEX, "vault", 404),
        // a session belongs to the token that opened it: another token cannot use it, on its path or elsewhere
        new Carried(AGENT, acmeClientOnAcmeShared, ACME, "shared", 404),
        new Carried(AGENT, acmeClientOnAcmeShared, GLOBEX, "shared", 404),
        new Carried(AGENT, onlyClientOnAcmeOnly, ACME, "only", 404),
        new Carried(AGENT, onlyClientOnAcmeOnly, GLOBEX, "only", 404),
        new Carried(ACME_CLIENT, onlyClientOnAcmeOnly, ACME, "only", 404),
        // a session widens no token: outside its account or server the token is refused first
        new Carried(ACME_CLIENT, acmeClientOnAcmeShared, GLOBEX, "shared", 403),
        new Carried(ONLY_CLIENT, onlyClientOnAcmeOnly, GLOBEX, "only", 403),
        new Carried(ONLY_CLIENT, onlyClientOnAcmeOnly, ACME, "shared", 403));
    List<Row> rows = new ArrayList<>();
    for (Carried c : carried) {
      for (McpCall call : McpCall.IN_A_SESSION) rows.add(Row.mcp(call, c.account(), c.server(), c.by(), c.session(), c.status()));
    }
    return rows;
  }

  Stream<DynamicNode> tests(List<Row> rows) {
    return rows.stream().map(row -> dynamicTest(row.name(), () -> assertRefused(row, send(row))));
  }

  // ------------------------------------------------------------------------------------ one row

  HttpResponse<Buffer> send(Row row) {
    if (row.onMcp()) return mcpRequest(row.method(), row.path(), row.credential(), row.session(), row.call().message());
    HttpRequest<Buffer> request = gw.client.request(row.method(), row.path())
        .putHeader("Authorization", "Bearer " + row.credential().token());
    JsonObject body = attempt(row.method());
    if (body == null) return result(request.send());
    return result(request.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
  }

  /** What a write through a foreign token would try: a server planted in globex, or one of its servers renamed. */
  static JsonObject attempt(HttpMethod method) {
    if (method == HttpMethod.POST) {
      return new JsonObject().put("id", "planted").put("name", "Planted by acme").put("hostname", "https://attacker.example/mcp")
          .put("auth_type", "unauthenticated");
    }
    if (method == HttpMethod.PUT || method == HttpMethod.PATCH) return new JsonObject().put("name", "Hijacked by acme");
    return null;
  }

  HttpResponse<Buffer> mcpRequest(HttpMethod method, String path, Credential credential, Minted session, JsonObject message) {
    HttpRequest<Buffer> request = gw.client.request(method, path)
        .putHeader("Authorization", "Bearer " + credential.token())
        .putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session.id());
    if (message == null) return result(request.send());
    return result(request.putHeader("Content-Type", "application/json").sendBuffer(message.toBuffer()));
  }

  void assertRefused(Row row, HttpResponse<Buffer> response) {
    String body = response.bodyAsString() == null ? "" : response.bodyAsString();
    assertEquals(row.status(), response.statusCode(), body);
    String headers = response.headers().toString();
    for (String value : globexValues) {
      assertFalse(body.contains(value), "the body reveals globex's \"" + value + "\": " + body);
      assertFalse(headers.contains(value), "the headers reveal globex's \"" + value + "\": " + headers);
    }
    assertNull(response.getHeader("Mcp-Session-Id"), "a refused request opens no session");
    if (row.status() == 401) assertTrue(response.getHeader("WWW-Authenticate").startsWith("Bearer "), headers);
    if (!row.onMcp()) assertEquals("no-store", response.getHeader("Cache-Control"));
    if (row.method() == HttpMethod.HEAD) {
      assertEquals("", body, "a HEAD answer has no body");
      return;
    }
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"), headers);
    JsonObject json = new JsonObject(body);
    if (row.onMcp()) {
      assertEquals("2.0", json.getString("jsonrpc"), body);
      assertFalse(json.containsKey("result"), body);
      assertEquals(row.errorCode(), json.getJsonObject("error").getInteger("code"), body);
    } else {
      // the Cloudflare envelope, with the one error that says who may not do this
      assertEquals(Set.of("success", "errors", "messages", "result"), json.fieldNames(), body);
      assertEquals(false, json.getBoolean("success"), body);
      assertNull(json.getValue("result"), body);
      assertEquals(new JsonArray(), json.getJsonArray("messages"), body);
      assertEquals(1, json.getJsonArray("errors").size(), body);
      assertEquals(row.errorCode(), json.getJsonArray("errors").getJsonObject(0).getInteger("code"), body);
    }
  }

  // ------------------------------------------------------------------------------------ setup helpers

  /** A well-behaved MCP upstream that records every request; {@code ended} counts the sessions ended on it. */
  FakeUpstream recordingUpstream(String tool, List<String> seen, Semaphore ended) {
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", tool)
        .put("description", tool.startsWith("globex") ? "Exports the Globex payroll" : "Echoes for acme"));
    var behaviour = FakeUpstream.wellBehaved(vertx, tools, 0);
    return result(FakeUpstream.start(vertx, request -> {
      seen.add(request.method() + " " + request.uri());
      if (request.method() == HttpMethod.DELETE) ended.release();
      behaviour.handle(request);
    }));
  }

  static boolean tryAcquire(Semaphore semaphore, int permits) {
    try {
      return semaphore.tryAcquire(permits, 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void create(String account, JsonObject server) {
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers(account))
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).sendJsonObject(server));
    assertEquals(200, created.statusCode(), created.bodyAsString());
  }

  JsonObject adminGet(String path) {
    HttpResponse<Buffer> response = result(gw.client.get(path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  JsonObject adminPost(String path) {
    HttpResponse<Buffer> response = result(gw.client.post(path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  Minted initialize(Credential owner, String account, String server) {
    HttpResponse<Buffer> response = mcpRequest(HttpMethod.POST, TestGateway.mcp(account, server), owner, null,
        McpCall.INITIALIZE.message());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String id = response.getHeader("Mcp-Session-Id");
    assertNotNull(id, "initialize answers a session id");
    return new Minted(owner, account, server, id);
  }

  Snapshot snapshot(String account, List<String> ids) {
    Map<String, JsonObject> reads = new LinkedHashMap<>();
    for (String id : ids) reads.put(id, adminGet(TestGateway.servers(account) + "/" + id));
    return new Snapshot(adminGet(TestGateway.servers(account) + "?per_page=100"), reads,
        adminGet("/accounts/" + account + "/access/ai-controls/mcp/audit?per_page=100"),
        adminGet("/accounts/" + account + "/access/ai-controls/mcp/analytics/tool-calls/timeseries"));
  }

  /** Every string of the account's server reads but the public fields, and its upstream credential. */
  static Set<String> secretsOf(Snapshot snapshot) {
    Set<String> values = new TreeSet<>();
    values.add(GLOBEX_SECRET);
    snapshot.reads().values().forEach(read -> collectStrings(read.getJsonObject("result"), null, values));
    return values;
  }

  static void collectStrings(Object value, String field, Set<String> into) {
    if (value instanceof JsonObject object) object.forEach(e -> collectStrings(e.getValue(), e.getKey(), into));
    else if (value instanceof JsonArray array) array.forEach(item -> collectStrings(item, field, into));
    else if (value instanceof String string && !PUBLIC_FIELDS.contains(field)) into.add(string);
  }
}
