package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code Mode on portals of real servers (server-everything in the session era, the SDK v2 test
 * server stateless), through the official TypeScript SDK clients of both eras: the policy table
 * ({@code code_mode} × {@code ?codemode=}), the two tools listed instead of the members' tools, a
 * search script, and an execute script that calls two tools of two servers and combines them —
 * through the ordinary call path (overrides hold, metrics count each call). Hostile code through
 * the gateway is stopped with an {@code isError} result while other calls keep being served.
 */
class PortalCodeModeTest {
  static final String SECRET = "upstream-secret-7f3a9c";
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
    gw.addSyncedServer("acme", "everything", everything.url("/mcp"));
    gw.addSyncedServer("acme", "modern", modern.url("/mcp"));
    // a server with a credential, a member of one portal only
    HttpResponse<Buffer> outside = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "outside").put("name", "outside").put("hostname", everything.url("/mcp"))
            .put("auth_type", "bearer").put("auth_credentials", SECRET)));
    assertEquals(200, outside.statusCode(), outside.bodyAsString());
    result(gw.client.post(TestGateway.servers("acme") + "/outside/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    Instant now = Instant.now();
    result(gw.gateway.stores().portals().create(new Portal("acme", "guarded", "Guarded", "guarded.portal.test", null, CodeMode.ENFORCED, false,
        List.of(new PortalServer("outside", false, true, List.of(), List.of())), now, "test", now, "test")));
    for (CodeMode policy : CodeMode.values()) {
      List<PortalServer> members = List.of(
          new PortalServer("everything", false, true, List.of(new CapabilityOverride("get-env", null, null, false)), List.of()),
          new PortalServer("modern", false, true, List.of(), List.of()));
      result(gw.gateway.stores().portals().create(new Portal("acme", policy.wire().replace('_', '-'), "Team " + policy.wire(),
          policy.wire().replace('_', '-') + ".portal.test", null, policy, false, members, now, "test", now, "test")));
    }
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    everything.close();
    modern.close();
  }

  static String url(CodeMode policy, String codemode) {
    return "http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/" + policy.wire().replace('_', '-')
        + (codemode == null ? "" : "?codemode=" + codemode);
  }

  static JsonArray execute(String code) {
    return new JsonArray().add(new JsonObject().put("op", "callTool").put("name", "portal_codemode_execute")
        .put("arguments", new JsonObject().put("code", code)));
  }

  static String text(JsonObject step) {
    return step.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text");
  }

  static boolean isError(JsonObject step) {
    return step.getJsonObject("result").getBoolean("isError", false);
  }

  /** tools/list of a stateless request, raw: the names listed. */
  static Future<List<String>> listed(CodeMode policy, String codemode) {
    String path = url(policy, codemode).substring(url(policy, codemode).indexOf("/mcp/"));
    JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"));
    return gw.client.post(path).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28")
        .putHeader("Mcp-Method", "tools/list")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list").put("params", new JsonObject().put("_meta", meta)))
        .map(response -> {
          if (response.statusCode() != 200) return List.of("HTTP " + response.statusCode());
          List<String> names = new ArrayList<>();
          response.bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").forEach(t -> names.add(((JsonObject) t).getString("name")));
          return names;
        });
  }

  @Test
  void thePolicyAndTheParameterDecideAsCloudflaresTableSays() {
    // policy, ?codemode=, on?
    Object[][] table = {
        {CodeMode.OFF, null, false}, {CodeMode.OFF, "search_and_execute", false}, {CodeMode.OFF, "off", false},
        {CodeMode.OPT_IN, null, false}, {CodeMode.OPT_IN, "search_and_execute", true}, {CodeMode.OPT_IN, "off", false},
        {CodeMode.DEFAULT_ON, null, true}, {CodeMode.DEFAULT_ON, "search_and_execute", true}, {CodeMode.DEFAULT_ON, "off", false},
        {CodeMode.ENFORCED, null, true}, {CodeMode.ENFORCED, "search_and_execute", true}, {CodeMode.ENFORCED, "off", true}};
    for (Object[] row : table) {
      List<String> names = result(listed((CodeMode) row[0], (String) row[1]));
      boolean on = (boolean) row[2];
      String where = row[0] + " ?codemode=" + row[1] + ": " + names;
      assertEquals(on, names.contains("portal_codemode_search") && names.contains("portal_codemode_execute"), where);
      assertEquals(!on, names.contains("everything_echo") && names.contains("modern_echo"), where);
      assertTrue(names.contains("portal_list_servers"), "the built-in tools stay: " + where);
    }
    assertEquals(List.of("HTTP 400"), result(listed(CodeMode.OPT_IN, "sometimes")));
  }

  @Test
  void aSessionAgentSearchesThenRunsCodeThatCallsTwoServersAndCombinesTheResults() {
    JsonObject report = NodeAgent.run(url(CodeMode.OPT_IN, "search_and_execute"), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_codemode_search").put("arguments", new JsonObject()
            .put("code", "async () => codemode.tools().filter(t => /echo/i.test(t.description)).map(t => t.name).sort()")))
        .addAll(execute("async () => { const [sum, echoed] = await Promise.all([codemode.everything_get_sum({a: 2, b: 3}), "
            + "codemode.modern_echo({text: 'hi'})]); return {sum, echoed}; }"))
        .addAll(execute("async () => codemode.everything_get_env({})"))
        .addAll(execute("async () => codemode.tools().map(t => t.name)")));
    List<String> listed = NodeAgent.step(report, 0).getJsonObject("result").getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList();
    assertTrue(listed.contains("portal_codemode_search") && listed.contains("portal_codemode_execute"), listed.toString());
    assertTrue(listed.stream().noneMatch(n -> n.startsWith("everything_") || n.startsWith("modern_")), listed.toString());
    assertEquals(new JsonArray().add("everything_echo").add("modern_echo"), new JsonArray(text(NodeAgent.step(report, 1))));
    JsonObject combined = new JsonObject(text(NodeAgent.step(report, 2)));
    assertTrue(combined.getString("sum").contains("5"), combined.encode());
    assertEquals("echo: hi", combined.getString("echoed"));
    assertTrue(isError(NodeAgent.step(report, 3)), "a disabled tool stays out of reach: " + NodeAgent.step(report, 3).encode());
    assertTrue(text(NodeAgent.step(report, 3)).contains("no such tool"), text(NodeAgent.step(report, 3)));
    JsonArray names = new JsonArray(text(NodeAgent.step(report, 4)));
    assertTrue(names.contains("everything_get_sum") && names.contains("modern_echo") && !names.contains("everything_get_env"), names.encode());
  }

  @Test
  void aStatelessAgentRunsCodeToo() {
    JsonObject report = NodeAgent.runModern(url(CodeMode.ENFORCED, null), TestGateway.AGENT, "pin",
        execute("async () => (await codemode.modern_echo({text: 'stateless'})) + ' / ' + (await codemode.everything_echo({message: 'session'}))"));
    JsonObject step = NodeAgent.step(report, 0);
    assertFalse(isError(step), step.encode());
    assertEquals("echo: stateless / Echo: session", text(step));
  }

  @Test
  void eachCallOutOfTheSandboxIsMeteredAsAPortalCall() {
    NodeAgent.run(url(CodeMode.DEFAULT_ON, null), TestGateway.AGENT, execute("async () => codemode.everything_get_sum({a: 1, b: 1})"));
    PrometheusText metrics = PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString());
    assertTrue(metrics.value("mcp_gateway_tool_calls_total", Map.of("server", "everything", "tool", "everything_get-sum", "outcome", "ok")) >= 1,
        "the call counts under its portal name");
    assertTrue(metrics.count("mcp_gateway_codemode_run_duration_seconds", Map.of("portal", "default-on",
        "tool", "portal_codemode_execute", "outcome", "ok")) >= 1);
    assertTrue(metrics.value("mcp_gateway_codemode_sandboxes", Map.of()) >= 1);
  }

  @Test
  void hostileCodeGetsAnErrorResultAndOtherCallsAreServedMeanwhile() {
    List<Future<JsonObject>> hostile = new ArrayList<>();
    for (String code : List.of("async () => { while (true) {} }", "async () => { const a = []; for (;;) a.push('x'.repeat(1000)); }",
        "async () => Java.type('java.lang.System').exit(1)")) {
      hostile.add(vertx.executeBlocking(() -> NodeAgent.run(url(CodeMode.ENFORCED, null), TestGateway.AGENT, execute(code))));
    }
    // meanwhile, ordinary calls through a portal and a server endpoint
    JsonObject ordinary = NodeAgent.run(url(CodeMode.OFF, null), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "callTool").put("name", "everything_echo").put("arguments", new JsonObject().put("message", "still here")))
        .add(new JsonObject().put("op", "callTool").put("name", "modern_echo").put("arguments", new JsonObject().put("text", "me too"))));
    assertTrue(NodeAgent.step(ordinary, 0).encode().contains("still here"), ordinary.encode());
    assertTrue(NodeAgent.step(ordinary, 1).encode().contains("me too"), ordinary.encode());
    for (Future<JsonObject> run : hostile) {
      JsonObject step = NodeAgent.step(result(run), 0);
      assertTrue(isError(step), step.encode());
      assertFalse(step.encode().contains("at org.graalvm") || step.encode().contains("at dev.mcpgateway"), "no stack trace: " + step.encode());
    }
    // and the sandboxes serve the next run
    JsonObject after = NodeAgent.step(NodeAgent.run(url(CodeMode.ENFORCED, null), TestGateway.AGENT,
        execute("async () => (await codemode.modern_echo({text: 'after'}))")), 0);
    assertEquals("echo: after", text(after));
  }

  @Test
  void aToolOutsideThePortalIsOutOfReachAndNoCredentialEntersTheSandbox() {
    JsonObject refused = NodeAgent.step(NodeAgent.run(url(CodeMode.ENFORCED, null), TestGateway.AGENT,
        execute("async () => codemode.outside_echo({message: 'x'})")), 0);
    assertTrue(isError(refused), refused.encode());
    assertTrue(text(refused).contains("no such tool"), text(refused));
    // the member with a bearer credential works through the gateway, and nothing the code can reach holds the credential
    String guarded = "http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/guarded";
    JsonObject report = NodeAgent.run(guarded, TestGateway.AGENT, new JsonArray()
        .addAll(execute("async () => (await codemode.outside_echo({message: 'with a credential'}))"))
        .addAll(execute("async () => { const seen = []; for (const name of Object.getOwnPropertyNames(globalThis)) { "
            + "try { seen.push(name + '=' + JSON.stringify(globalThis[name])); } catch (e) { seen.push(name); } } "
            + "return JSON.stringify({seen, tools: codemode.tools(), keys: Reflect.ownKeys(codemode)}); }")));
    assertEquals("Echo: with a credential", text(NodeAgent.step(report, 0)), NodeAgent.step(report, 0).encode());
    String dump = text(NodeAgent.step(report, 1));
    assertFalse(isError(NodeAgent.step(report, 1)), dump);
    assertTrue(dump.contains("outside_echo"), dump);
    assertFalse(dump.contains(SECRET) || dump.contains(TestGateway.AGENT) || dump.contains("Bearer"), dump);
  }

  @Test
  void aRunWhoseAgentGoesAwayIsStoppedRatherThanLeftToCallTools() throws InterruptedException {
    String path = url(CodeMode.ENFORCED, null).substring(url(CodeMode.ENFORCED, null).indexOf("/mcp/"));
    JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"));
    // the agent gives up after half a second: the client resets the request, which closes its connection
    String outcome = result(gw.client.post(path).timeout(500)
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream")
        .putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/call").putHeader("Mcp-Name", "portal_codemode_execute")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call").put("params", new JsonObject()
            .put("name", "portal_codemode_execute").put("_meta", meta)
            .put("arguments", new JsonObject().put("code", "async () => { await codemode.modern_slow({ms: 20000}); "
                + "return codemode.modern_echo({text: 'nobody is listening'}); }"))))
        .map(r -> "answered " + r.statusCode()).otherwise(e -> "gave up"));
    assertEquals("gave up", outcome);
    Map<String, String> cancelled = Map.of("portal", "enforced", "tool", "portal_codemode_execute", "outcome", "cancelled");
    double count = 0;
    for (int i = 0; i < 300 && count < 1; i++) { // before the slow call would end (20 s) or the run reach its own limit (30 s)
      Thread.sleep(50);
      count = PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString())
          .count("mcp_gateway_codemode_run_duration_seconds", cancelled);
    }
    assertEquals(1, count, "the run ended as cancelled, before its slow call could return");
  }

  @Test
  void codeWithoutCodeIsRefusedClearly() {
    JsonObject step = NodeAgent.step(NodeAgent.run(url(CodeMode.ENFORCED, null), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "callTool").put("name", "portal_codemode_execute").put("arguments", new JsonObject().put("code", 7)))), 0);
    assertTrue(isError(step), step.encode());
    assertTrue(text(step).contains("needs 'code'"), text(step));
  }
}
