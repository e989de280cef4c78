package dev.mcpgateway.metrics;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context cost through a real gateway: the management API's {@code context_tokens} of a server
 * and of a portal (per mode) are exactly the tokens of what the MCP endpoints answer an agent, the
 * gauges carry them, a change is counted again (never a stale number), and the budget warns once
 * per server or portal over it.
 */
class ContextCostsTest {
  static final long BUDGET = 1_000;

  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  FakeUpstream big;
  FakeUpstream small;
  final List<LogRecord> budgetLog = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      budgetLog.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** 30 tools with the descriptions and schemas real servers have: a few thousand tokens. */
  static JsonArray bigTools() {
    JsonArray tools = new JsonArray();
    for (int i = 0; i < 30; i++) {
      tools.add(new JsonObject().put("name", "tool_" + i)
          .put("description", "Searches the issues of a repository by label, state, assignee and free text, and answers each "
              + "issue's number, title, state, labels and last update (variant " + i + ").")
          .put("inputSchema", new JsonObject().put("type", "object")
              .put("properties", new JsonObject()
                  .put("repository", new JsonObject().put("type", "string").put("description", "owner/name of the repository"))
                  .put("state", new JsonObject().put("type", "string").put("enum", new JsonArray().add("open").add("closed").add("all")))
                  .put("limit", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100)))
              .put("required", new JsonArray().add("repository"))));
    }
    return tools;
  }

  @BeforeEach
  void start() {
    Logger.getLogger(ContextBudget.class.getName()).addHandler(capture);
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("metrics", new JsonObject().put("context_token_budget", BUDGET));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    big = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, bigTools(), 0)));
    small = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx,
        new JsonArray().add(new JsonObject().put("name", "echo").put("description", "Echoes the message")), 0)));
  }

  @AfterEach
  void stop() {
    Logger.getLogger(ContextBudget.class.getName()).removeHandler(capture);
    result(big.stop());
    result(small.stop());
    result(gw.stop());
    result(vertx.close());
  }

  HttpRequest<Buffer> admin(io.vertx.core.http.HttpMethod method, String path) {
    return gw.client.request(method, path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN);
  }

  JsonObject ok(HttpResponse<Buffer> response) {
    assertTrue(response.statusCode() / 100 == 2, response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  void register(String id, String url) {
    JsonObject created = ok(result(admin(io.vertx.core.http.HttpMethod.POST, TestGateway.servers("acme"))
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", url).put("auth_type", "unauthenticated"))));
    assertNull(created.getValue("context_tokens"), "not synced yet: no cost to show");
    assertEquals("ready", ok(result(admin(io.vertx.core.http.HttpMethod.POST, TestGateway.servers("acme") + "/" + id + "/sync").send()))
        .getString("status"));
  }

  /** What an agent's tools/list answers on {@code path} (a 2026-07-28 request: one POST, no session). */
  JsonArray toolsList(String path) {
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list").put("params", new JsonObject()
        .put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
            .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
            .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"))));
    HttpResponse<Buffer> response = result(gw.client.post(path).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28")
        .putHeader("Mcp-Method", "tools/list").sendJsonObject(message));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String body = response.bodyAsString();
    if (body.startsWith("event:") || body.startsWith("data:")) { // an SSE answer: its one message
      body = body.lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).strip()).reduce("", String::concat);
    }
    return new JsonObject(body).getJsonObject("result").getJsonArray("tools");
  }

  PrometheusText scrape() {
    return PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString());
  }

  long warnings(String subject) {
    return budgetLog.stream().filter(r -> r.getLevel() == Level.WARNING && r.getMessage().startsWith(subject + ":")).count();
  }

  @Test
  void serversAndPortalsShowWhatTheirListsCostAgentsExactly() {
    register("big", big.url());
    register("small", small.url());

    JsonObject server = ok(result(admin(io.vertx.core.http.HttpMethod.GET, TestGateway.servers("acme") + "/big").send()));
    ContextCost served = ContextCost.of(toolsList(TestGateway.mcp("acme", "big")));
    assertEquals(served.tokens(), server.getLong("context_tokens"), server.encode());
    assertEquals(served.bytes(), server.getLong("context_bytes"));
    assertTrue(served.tokens() > BUDGET, "the fixture is over the budget: " + served);
    JsonArray items = result(admin(io.vertx.core.http.HttpMethod.GET, TestGateway.servers("acme")).send()).bodyAsJsonObject().getJsonArray("result");
    assertEquals(served.tokens(), items.stream().map(o -> (JsonObject) o).filter(s -> s.getString("id").equals("big")).findFirst()
        .orElseThrow().getLong("context_tokens"), "list items carry it too");

    JsonObject portal = ok(result(admin(io.vertx.core.http.HttpMethod.POST, TestGateway.portals("acme")).sendJsonObject(new JsonObject()
        .put("id", "team").put("name", "Team").put("hostname", "team.example.com")
        .put("servers", new JsonArray().add(new JsonObject().put("server_id", "big")).add(new JsonObject().put("server_id", "small"))))));
    JsonObject tokens = portal.getJsonObject("context_tokens");
    JsonObject bytes = portal.getJsonObject("context_bytes");
    for (String mode : List.of("full", "minimize_tools", "search_and_execute")) {
      ContextCost agentGets = ContextCost.of(toolsList("/mcp/acme/portals/team" + (mode.equals("full") ? "" : "?optimize_context=" + mode)));
      assertEquals(agentGets.tokens(), tokens.getLong(mode), mode + ": " + portal.encode());
      assertEquals(agentGets.bytes(), bytes.getLong(mode), mode);
    }
    assertTrue(tokens.getLong("full") > tokens.getLong("minimize_tools") && tokens.getLong("minimize_tools") > tokens.getLong("search_and_execute"),
        tokens.encode());

    // the gauges: set when counted
    PrometheusText metrics = scrape();
    assertEquals((double) served.tokens(), metrics.value("mcp_gateway_server_context_tokens", Map.of("account", "acme", "server", "big")));
    for (String mode : List.of("full", "minimize_tools", "search_and_execute")) {
      assertEquals((double) tokens.getLong(mode), metrics.value("mcp_gateway_portal_context_tokens", Map.of("account", "acme", "portal", "team", "mode", mode)),
          mode);
    }

    // the budget: one warning per server or portal over it, however often it is read
    for (int i = 0; i < 3; i++) {
      ok(result(admin(io.vertx.core.http.HttpMethod.GET, TestGateway.servers("acme") + "/big").send()));
      ok(result(admin(io.vertx.core.http.HttpMethod.GET, TestGateway.portals("acme") + "/team").send()));
      toolsList("/mcp/acme/portals/team");
    }
    assertEquals(1, warnings("server acme/big"), budgetLog.toString());
    assertEquals(1, warnings("portal acme/team"), budgetLog.toString());
    assertEquals(0, warnings("server acme/small"), budgetLog.toString());
    String warning = budgetLog.stream().filter(r -> r.getMessage().startsWith("portal acme/team:")).findFirst().orElseThrow().getMessage();
    assertTrue(warning.contains(Long.toString(tokens.getLong("full"))) && warning.contains("search_and_execute pay " + tokens.getLong("search_and_execute")),
        warning);
  }

  @Test
  void aChangeIsCountedAgainAndTheGaugesFollow() {
    register("big", big.url());
    register("small", small.url());
    JsonObject before = ok(result(admin(io.vertx.core.http.HttpMethod.POST, TestGateway.portals("acme")).sendJsonObject(new JsonObject()
        .put("id", "team").put("name", "Team").put("hostname", "team.example.com")
        .put("servers", new JsonArray().add(new JsonObject().put("server_id", "big")).add(new JsonObject().put("server_id", "small"))))));
    long portalBefore = before.getJsonObject("context_tokens").getLong("full");
    long serverBefore = ok(result(admin(io.vertx.core.http.HttpMethod.GET, TestGateway.servers("acme") + "/big").send())).getLong("context_tokens");

    // disable all but two of big's tools: the update's answer, the gauges and the portal follow
    JsonArray disabled = new JsonArray();
    for (int i = 2; i < 30; i++) disabled.add(new JsonObject().put("name", "tool_" + i).put("enabled", false));
    JsonObject updated = ok(result(admin(io.vertx.core.http.HttpMethod.PUT, TestGateway.servers("acme") + "/big")
        .sendJsonObject(new JsonObject().put("updated_tools", disabled))));
    ContextCost served = ContextCost.of(toolsList(TestGateway.mcp("acme", "big")));
    assertEquals(2, toolsList(TestGateway.mcp("acme", "big")).size());
    assertEquals(served.tokens(), updated.getLong("context_tokens"), "the update's answer is the new cost, never the cached old one");
    assertTrue(served.tokens() < serverBefore && served.tokens() < BUDGET, served + " vs " + serverBefore);
    Await.until(() -> scrape().value("mcp_gateway_server_context_tokens", Map.of("account", "acme", "server", "big")) == served.tokens(),
        "the server gauge follows the change");
    long portalAfter = ContextCost.of(toolsList("/mcp/acme/portals/team")).tokens();
    assertTrue(portalAfter < portalBefore, portalAfter + " vs " + portalBefore);
    Await.until(() -> scrape().value("mcp_gateway_portal_context_tokens", Map.of("account", "acme", "portal", "team", "mode", "full"))
        == portalAfter, "the portal gauge follows its member's change, with no read of the portal");
    assertEquals(portalAfter, ok(result(admin(io.vertx.core.http.HttpMethod.GET, TestGateway.portals("acme") + "/team").send()))
        .getJsonObject("context_tokens").getLong("full"));
    // back within the budget: said once, at INFO
    Await.until(() -> budgetLog.stream().anyMatch(r -> r.getLevel() == Level.INFO && r.getMessage().startsWith("server acme/big: back within")),
        "the server is back within the budget");
    assertEquals(1, warnings("server acme/big"), budgetLog.toString());

    // a deleted portal loses its gauges
    ok(result(admin(io.vertx.core.http.HttpMethod.DELETE, TestGateway.portals("acme") + "/team").send()));
    Await.until(() -> !scrape().samples("mcp_gateway_portal_context_tokens").stream()
        .anyMatch(s -> s.encode().contains("\"team\"")), "the portal's gauges go with it");
    assertFalse(scrape().samples("mcp_gateway_server_context_tokens").isEmpty(), "the servers' stay");
    assertNotNull(updated.getValue("context_bytes"));
  }
}
