package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.TestGateway;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.RawHttp;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portal of real servers — server-everything (2025 sessions) and the SDK v2 test server in its
 * stateless-only mode — reached by the official TypeScript SDK clients of both eras, by path and
 * by {@code Host}: merged lists with {@code {server_id}_} prefixes and both levels of overrides,
 * calls routed to each member in its own era, a prompt, resources fanned out and read back, the
 * built-in {@code portal_list_servers}, and the refusals (unknown names, another account, a token
 * limited to other servers, ended and foreign sessions, members left out).
 */
class PortalEndpointTest {
  static final String HOST = "team.portal.test";
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer everything;
  static NodePeer modern;

  @BeforeAll
  static void start() {
    everything = NodePeer.everything("streamableHttp");
    modern = NodePeer.start("modern-server.mjs", Map.of("LEGACY", "reject"));
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    register("everything", everything.url("/mcp"), new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "say")));
    register("modern", modern.url("/mcp"), new JsonArray());
    register("unsynced", "http://127.0.0.1:9/mcp", new JsonArray());
    sync("everything");
    sync("modern");
    Instant now = Instant.now();
    result(gw.gateway.stores().portals().create(new Portal("acme", "team", "Team portal", HOST, "Tools of the team", CodeMode.OPT_IN, false,
        List.of(
            new PortalServer("everything", false, true, List.of(new CapabilityOverride("get-sum", null, null, false),
                new CapabilityOverride("get-env", "environment", "What the server runs with", null)), List.of()),
            new PortalServer("modern", true, true, List.of(new CapabilityOverride("echo", "shout", null, true)), List.of()),
            new PortalServer("unsynced", false, true, List.of(), List.of())),
        now, "test", now, "test")));
  }

  static void register(String id, String url, JsonArray overrides) {
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", url).put("auth_type", "unauthenticated")
            .put("updated_tools", overrides)));
    assertEquals(200, created.statusCode(), created.bodyAsString());
  }

  static void sync(String id) {
    HttpResponse<Buffer> synced = result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    assertEquals("ready", synced.bodyAsJsonObject().getJsonObject("result").getString("status"), synced.bodyAsString());
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    everything.close();
    modern.close();
  }

  static String portalUrl() {
    return "http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/team";
  }

  static List<String> names(JsonObject step, String field) {
    return step.getJsonObject("result").getJsonArray(field).stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  @Test
  void aSessionEraAgentSeesEveryMemberPrefixedAndCallsEachInItsOwnEra() {
    JsonObject report = NodeAgent.run(portalUrl(), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "everything_say").put("arguments", new JsonObject().put("message", "hi there")))
        .add(new JsonObject().put("op", "callTool").put("name", "modern_shout").put("arguments", new JsonObject().put("text", "loud")))
        .add(new JsonObject().put("op", "callTool").put("name", "everything_get-sum").put("arguments", new JsonObject().put("a", 1).put("b", 2)))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_list_servers"))
        .add(new JsonObject().put("op", "listPrompts"))
        .add(new JsonObject().put("op", "getPrompt").put("name", "everything_simple-prompt")));
    assertNotNull(report.getString("sessionId"), report.encode());
    assertEquals("Team portal", report.getJsonObject("serverInfo").getString("name"));
    List<String> tools = names(NodeAgent.step(report, 0), "tools");
    assertTrue(tools.containsAll(List.of("portal_list_servers", "everything_say", "everything_environment", "modern_shout")), tools.toString());
    assertFalse(tools.contains("everything_echo") || tools.contains("everything_get-sum") || tools.contains("everything_get-env"), tools.toString());
    assertFalse(tools.stream().anyMatch(t -> t.startsWith("modern_") && !t.equals("modern_shout")), "default_disabled: " + tools);
    assertFalse(tools.stream().anyMatch(t -> t.startsWith("unsynced_")), tools.toString());
    JsonObject env = NodeAgent.step(report, 0).getJsonObject("result").getJsonArray("tools").stream().map(t -> (JsonObject) t)
        .filter(t -> t.getString("name").equals("everything_environment")).findFirst().orElseThrow();
    assertEquals("What the server runs with", env.getString("description"));
    assertTrue(NodeAgent.step(report, 1).encode().contains("hi there"), NodeAgent.step(report, 1).encode());
    assertTrue(NodeAgent.step(report, 2).encode().contains("loud"), NodeAgent.step(report, 2).encode());
    assertFalse(NodeAgent.step(report, 2).getJsonObject("result").containsKey("resultType"), "a session agent gets a 2025 result");
    assertTrue(NodeAgent.step(report, 3).encode().contains("Unknown tool"), NodeAgent.step(report, 3).encode());
    JsonObject listed = NodeAgent.step(report, 4).getJsonObject("result").getJsonObject("structuredContent");
    assertEquals(List.of("everything", "modern"), listed.getJsonArray("servers").stream().map(s -> ((JsonObject) s).getString("id")).toList());
    List<String> prompts = names(NodeAgent.step(report, 5), "prompts");
    assertTrue(prompts.contains("everything_simple-prompt") && prompts.stream().noneMatch(p -> p.startsWith("modern_")), prompts.toString());
    assertTrue(NodeAgent.step(report, 6).getBoolean("ok"), NodeAgent.step(report, 6).encode());
  }

  @Test
  void aStatelessEraAgentGetsTheSameThroughThePortal() {
    JsonObject report = NodeAgent.runModern(portalUrl(), TestGateway.AGENT, "pin", new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "everything_say").put("arguments", new JsonObject().put("message", "modern hi")))
        .add(new JsonObject().put("op", "callTool").put("name", "modern_shout").put("arguments", new JsonObject().put("text", "stateless"))));
    assertEquals("2026-07-28", report.getString("version"), report.encode());
    List<String> tools = names(NodeAgent.step(report, 0), "tools");
    assertTrue(tools.containsAll(List.of("everything_say", "modern_shout", "portal_list_servers")), tools.toString());
    assertTrue(NodeAgent.step(report, 1).encode().contains("modern hi"), NodeAgent.step(report, 1).encode());
    assertTrue(NodeAgent.step(report, 2).encode().contains("stateless"), NodeAgent.step(report, 2).encode());
  }

  @Test
  void resourcesAreFannedOutAndReadFromTheMemberThatListedThem() {
    JsonObject report = NodeAgent.run(portalUrl(), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "listResources"))
        .add(new JsonObject().put("op", "readResource").put("uri", "demo://resource/static/document/architecture.md"))
        .add(new JsonObject().put("op", "readResource").put("uri", "demo://nobody/has/this")));
    List<String> uris = NodeAgent.step(report, 0).getJsonObject("result").getJsonArray("resources").stream()
        .map(r -> ((JsonObject) r).getString("uri")).toList();
    assertTrue(uris.contains("demo://resource/static/document/architecture.md"), uris.toString());
    assertTrue(NodeAgent.step(report, 1).getBoolean("ok"), NodeAgent.step(report, 1).encode());
    assertFalse(NodeAgent.step(report, 2).getBoolean("ok"), NodeAgent.step(report, 2).encode());
    assertTrue(NodeAgent.step(report, 2).encode().contains("Resource not found"), NodeAgent.step(report, 2).encode());
  }

  @Test
  void thePortalIsServedAtItsHostnameToo() {
    HttpResponse<Buffer> init = result(atHost(HOST).sendJsonObject(initialize()));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    String session = init.getHeader("Mcp-Session-Id");
    assertNotNull(session);
    HttpResponse<Buffer> list = result(atHost(HOST.toUpperCase() + ":443").putHeader("Mcp-Session-Id", session)
        .sendJsonObject(request("tools/list", new JsonObject())));
    assertEquals(200, list.statusCode(), list.bodyAsString());
    assertTrue(list.bodyAsString().contains("everything_say"), list.bodyAsString());
    HttpResponse<Buffer> none = result(atHost("nobody.portal.test").sendJsonObject(initialize()));
    assertEquals(404, none.statusCode(), none.bodyAsString());
  }

  @Test
  void sessionsAreThePortalsOwnAndEndWithDelete() {
    String session = result(byPath(TestGateway.AGENT).sendJsonObject(initialize())).getHeader("Mcp-Session-Id");
    assertEquals(200, result(byPath(TestGateway.AGENT).putHeader("Mcp-Session-Id", session).sendJsonObject(request("ping", null))).statusCode());
    // another client token cannot use it
    assertEquals(404, result(byPath(TestGateway.ACME_AGENT).putHeader("Mcp-Session-Id", session)
        .sendJsonObject(request("tools/list", null))).statusCode());
    // a server's session id does not open a portal session
    String serverSession = result(gw.client.post(TestGateway.mcp("acme", "everything")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").sendJsonObject(initialize())).getHeader("Mcp-Session-Id");
    assertNotNull(serverSession);
    assertEquals(404, result(byPath(TestGateway.AGENT).putHeader("Mcp-Session-Id", serverSession)
        .sendJsonObject(request("tools/list", null))).statusCode());
    assertEquals(200, result(gw.client.delete("/mcp/acme/portals/team").putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Mcp-Session-Id", session).send()).statusCode());
    assertEquals(404, result(byPath(TestGateway.AGENT).putHeader("Mcp-Session-Id", session).sendJsonObject(request("ping", null))).statusCode());
  }

  @Test
  void tokensSeeOnlyWhatTheyMayUse() {
    // a token limited to server "only" sees none of this portal's members, only the built-in tool
    HttpResponse<Buffer> limited = result(statelessByPath(TestGateway.ONLY_AGENT, "tools/list", null).sendJsonObject(
        stateless("tools/list", new JsonObject())));
    assertEquals(200, limited.statusCode(), limited.bodyAsString());
    List<String> tools = limited.bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList();
    assertEquals(List.of("portal_list_servers", "portal_toggle_single_server", "portal_toggle_servers"), tools);
    HttpResponse<Buffer> call = result(statelessByPath(TestGateway.ONLY_AGENT, "tools/call", "everything_say").sendJsonObject(
        stateless("tools/call", new JsonObject().put("name", "everything_say").put("arguments", new JsonObject().put("message", "x")))));
    assertEquals(-32602, call.bodyAsJsonObject().getJsonObject("error").getInteger("code"), call.bodyAsString());
    // unknown portal, and no such portal in another account
    assertEquals(404, result(gw.client.post("/mcp/acme/portals/nope").putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").sendJsonObject(initialize())).statusCode());
    assertEquals(403, result(gw.client.post("/mcp/beta/portals/team").putHeader("Authorization", "Bearer " + TestGateway.ACME_AGENT)
        .putHeader("Accept", "application/json, text/event-stream").sendJsonObject(initialize())).statusCode());
    // by host, the account comes from the portal: a token of another account is refused
    assertEquals(401, result(atHost(HOST).putHeader("Authorization", "Bearer wrong").sendJsonObject(initialize())).statusCode());
  }

  @Test
  void membersLeftOutAreCountedAndNamesWithoutAMemberAreRefused() {
    result(statelessByPath(TestGateway.AGENT, "tools/list", null).sendJsonObject(stateless("tools/list", new JsonObject())));
    String scrape = result(gw.client.get("/metrics").send()).bodyAsString();
    PrometheusText metrics = PrometheusText.parse(scrape);
    assertTrue(metrics.value( "mcp_gateway_portal_members_left_out_total",
        Map.of("portal", "team", "server", "unsynced", "reason", "not_synced")) >= 1, scrape);
    assertTrue(metrics.value("mcp_gateway_portal_requests_total",
        Map.of("portal", "team", "method", "tools/list", "outcome", "ok")) >= 1, scrape);
    for (String name : List.of("unsynced_anything", "nobody_echo", "noseparator", "everything_echo")) {
      HttpResponse<Buffer> refused = result(statelessByPath(TestGateway.AGENT, "tools/call", name).sendJsonObject(
          stateless("tools/call", new JsonObject().put("name", name).put("arguments", new JsonObject()))));
      assertEquals(-32602, refused.bodyAsJsonObject().getJsonObject("error").getInteger("code"), name + ": " + refused.bodyAsString());
    }
  }

  @Test
  void listChangesReachBothErasListeningAgents() {
    HttpClient http = vertx.createHttpClient();
    String session = result(byPath(TestGateway.AGENT).sendJsonObject(initialize())).getHeader("Mcp-Session-Id");
    StringBuilder sessionEvents = new StringBuilder();
    Promise<Void> sessionOpen = Promise.promise();
    RawHttp.send(http.request(raw(HttpMethod.GET).putHeader("Mcp-Session-Id", session)), null, response -> response.handler(chunk -> {
      sessionEvents.append(chunk);
      sessionOpen.tryComplete();
    }));
    StringBuilder statelessEvents = new StringBuilder();
    Promise<Void> acknowledged = Promise.promise();
    JsonObject listen = stateless("subscriptions/listen", new JsonObject().put("notifications", new JsonObject().put("toolsListChanged", true)));
    RawHttp.send(http.request(raw(HttpMethod.POST).putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "subscriptions/listen")),
        listen.toBuffer(), response -> response.handler(chunk -> {
          statelessEvents.append(chunk);
          if (statelessEvents.toString().contains("notifications/subscriptions/acknowledged")) acknowledged.tryComplete();
        }));
    result(sessionOpen.future());
    result(acknowledged.future());
    Portal before = result(gw.gateway.stores().portals().get("acme", "team"));
    try {
      // the admin enables a tool of the allow-listed member: both agents hear of it
      result(gw.gateway.stores().portals().update("acme", "team", p -> p.withServers(p.servers().stream()
          .map(m -> !m.serverId().equals("modern") ? m : new PortalServer("modern", true, true,
              List.of(new CapabilityOverride("echo", "shout", null, true), new CapabilityOverride("slow", null, null, true)), List.of()))
          .toList())));
      Await.until(() -> sessionEvents.toString().contains("notifications/tools/list_changed"), "session stream: " + sessionEvents);
      Await.until(() -> statelessEvents.toString().contains("notifications/tools/list_changed"), "subscription: " + statelessEvents);
      assertTrue(statelessEvents.toString().contains("io.modelcontextprotocol/subscriptionId"), statelessEvents.toString());
    } finally {
      result(gw.gateway.stores().portals().update("acme", "team", p -> before));
      result(http.close());
    }
  }

  static RequestOptions raw(HttpMethod method) {
    return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(gw.gateway.port()).setURI("/mcp/acme/portals/team")
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream")
        .putHeader("Content-Type", "application/json");
  }

  static HttpRequest<Buffer> byPath(String token) {
    return gw.client.post("/mcp/acme/portals/team").putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "application/json, text/event-stream");
  }

  static HttpRequest<Buffer> atHost(String host) {
    return gw.client.post("/mcp").putHeader("Host", host).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
  }

  static HttpRequest<Buffer> statelessByPath(String token, String method, String name) {
    HttpRequest<Buffer> request = byPath(token).putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", method);
    return name == null ? request : request.putHeader("Mcp-Name", name);
  }

  static JsonObject initialize() {
    return request("initialize", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "raw").put("version", "1")));
  }

  static JsonObject request(String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method);
    return params == null ? message : message.put("params", params);
  }

  static JsonObject stateless(String method, JsonObject params) {
    params.put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1")));
    return request(method, params);
  }
}
