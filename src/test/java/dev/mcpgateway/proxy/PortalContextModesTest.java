package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * Context minimisation on a portal of real servers (server-everything and the SDK v2 test server),
 * through the official TypeScript SDK clients: {@code ?optimize_context=minimize_tools} lists names
 * only and a search tool that answers full definitions; {@code search_and_execute} lists only the
 * search and execute tools, and the execute tool reaches members through the ordinary call path
 * (overrides and all).
 */
class PortalContextModesTest {
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
    Instant now = Instant.now();
    result(gw.gateway.stores().portals().create(new Portal("acme", "team", "Team", "team.portal.test", null, CodeMode.OPT_IN, false,
        List.of(new PortalServer("everything", false, true, List.of(new dev.mcpgateway.model.CapabilityOverride("get-env", null, null, false)),
            List.of()), new PortalServer("modern", false, true, List.of(), List.of())), now, "test", now, "test")));
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    everything.close();
    modern.close();
  }

  static String url(String mode) {
    return "http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/team?optimize_context=" + mode;
  }

  static List<JsonObject> tools(JsonObject step) {
    return step.getJsonObject("result").getJsonArray("tools").stream().map(t -> (JsonObject) t).toList();
  }

  @Test
  void minimizeToolsListsNamesOnlyAndTheSearchAnswersFullDefinitions() {
    JsonObject report = NodeAgent.run(url("minimize_tools"), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_query_tools").put("arguments", new JsonObject()
            .put("query", "add two numbers together").put("limit", 3)))
        .add(new JsonObject().put("op", "callTool").put("name", "everything_get-sum").put("arguments", new JsonObject().put("a", 2).put("b", 3))));
    List<JsonObject> listed = tools(NodeAgent.step(report, 0));
    JsonObject sum = listed.stream().filter(t -> t.getString("name").equals("everything_get-sum")).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("name", "everything_get-sum").put("inputSchema", new JsonObject().put("type", "object")), sum);
    assertTrue(listed.stream().anyMatch(t -> t.getString("name").equals("portal_query_tools")), listed.toString());
    assertFalse(listed.stream().anyMatch(t -> t.getString("name").equals("everything_get-env")), "overrides still apply");
    JsonObject found = NodeAgent.step(report, 1).getJsonObject("result").getJsonObject("structuredContent");
    JsonObject first = found.getJsonArray("tools").getJsonObject(0);
    assertEquals("everything_get-sum", first.getString("name"), found.encode());
    assertTrue(first.getString("description").contains("sum"), "full definitions: " + first.encode());
    assertTrue(first.getJsonObject("inputSchema").containsKey("properties"), first.encode());
    assertTrue(found.getJsonArray("tools").size() <= 3, found.encode());
    assertTrue(NodeAgent.step(report, 2).encode().contains("5"), NodeAgent.step(report, 2).encode());
  }

  @Test
  void searchAndExecuteListsTwoToolsAndExecutesThroughTheCallPath() {
    JsonObject report = NodeAgent.run(url("search_and_execute"), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_execute").put("arguments", new JsonObject()
            .put("name", "everything_echo").put("arguments", new JsonObject().put("message", "executed"))))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_execute").put("arguments", new JsonObject()
            .put("name", "everything_get-env")))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_execute").put("arguments", new JsonObject().put("arguments", 7)))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_query_tools").put("arguments", new JsonObject()
            .put("query", "environment variables"))));
    List<String> names = tools(NodeAgent.step(report, 0)).stream().map(t -> t.getString("name")).toList();
    assertTrue(names.contains("portal_query_tools") && names.contains("portal_execute"), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("everything_") || n.startsWith("modern_")), names.toString());
    assertTrue(NodeAgent.step(report, 1).encode().contains("executed"), NodeAgent.step(report, 1).encode());
    assertTrue(NodeAgent.step(report, 2).encode().contains("Unknown tool"), "a disabled tool stays disabled: " + NodeAgent.step(report, 2).encode());
    assertTrue(NodeAgent.step(report, 3).getJsonObject("result").getBoolean("isError"), NodeAgent.step(report, 3).encode());
    JsonArray found = NodeAgent.step(report, 4).getJsonObject("result").getJsonObject("structuredContent").getJsonArray("tools");
    assertFalse(found.stream().anyMatch(t -> ((JsonObject) t).getString("name").equals("everything_get-env")),
        "the search sees only what the agent may call: " + found.encode());
  }

  @Test
  void aStatelessAgentExecutesAcrossMembersToo() {
    JsonObject report = NodeAgent.runModern(url("search_and_execute"), TestGateway.AGENT, "pin", new JsonArray()
        .add(new JsonObject().put("op", "callTool").put("name", "portal_execute").put("arguments", new JsonObject()
            .put("name", "modern_echo").put("arguments", new JsonObject().put("text", "stateless member"))))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_execute").put("arguments", new JsonObject()
            .put("name", "everything_echo").put("arguments", new JsonObject().put("message", "session member")))));
    assertTrue(NodeAgent.step(report, 0).encode().contains("stateless member"), report.encode());
    assertTrue(NodeAgent.step(report, 1).encode().contains("session member"), report.encode());
  }

  @Test
  void anUnknownModeIsRefused() {
    HttpResponse<Buffer> refused = result(gw.client.post("/mcp/acme/portals/team?optimize_context=everything_at_once")
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params", new JsonObject()
            .put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("optimize_context"), refused.bodyAsString());
  }
}
