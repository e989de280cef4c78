package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript SDK client, through the gateway, to server-everything: it sees the
 * overridden view and works as if connected to the upstream.
 */
class ProxyEndToEndTest {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  NodePeer everything;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
  }

  @AfterEach
  void stop() {
    if (everything != null) everything.close();
    result(gw.stop());
    result(vertx.close());
  }

  static final JsonObject OVERRIDES = new JsonObject()
      .put("updated_tools", new JsonArray()
          .add(new JsonObject().put("name", "echo").put("alias", "say").put("description", "Says it back"))
          .add(new JsonObject().put("name", "get-sum").put("enabled", false)))
      .put("updated_prompts", new JsonArray()
          .add(new JsonObject().put("name", "simple-prompt").put("alias", "greeting")));

  void register(String id, String hostname, boolean sync) {
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", hostname).put("auth_type", "unauthenticated")
            .mergeIn(OVERRIDES)));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    if (sync) {
      HttpResponse<Buffer> synced = result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
          .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
      assertEquals("ready", synced.bodyAsJsonObject().getJsonObject("result").getString("status"), synced.bodyAsString());
    }
  }

  static JsonArray agentSteps() {
    return new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "say").put("arguments", new JsonObject().put("message", "hello gateway")))
        .add(new JsonObject().put("op", "callTool").put("name", "get-sum").put("arguments", new JsonObject().put("a", 1).put("b", 2)))
        .add(new JsonObject().put("op", "callTool").put("name", "echo").put("arguments", new JsonObject().put("message", "x")))
        .add(new JsonObject().put("op", "listPrompts"))
        .add(new JsonObject().put("op", "getPrompt").put("name", "greeting"))
        .add(new JsonObject().put("op", "callTool").put("name", "trigger-long-running-operation").put("progress", true)
            .put("arguments", new JsonObject().put("duration", 2).put("steps", 4)))
        .add(new JsonObject().put("op", "listResources"))
        .add(new JsonObject().put("op", "readResource").put("uri", "demo://resource/static/document/architecture.md"));
  }

  static List<String> names(JsonArray items) {
    return items.stream().map(i -> ((JsonObject) i).getString("name")).toList();
  }

  void assertOverriddenRoundTrip(JsonObject report) {
    assertFalse(report.containsKey("error"), report.encode());
    JsonObject tools = NodeAgent.step(report, 0);
    assertTrue(tools.getBoolean("ok"), tools.encode());
    List<String> toolNames = names(tools.getJsonObject("result").getJsonArray("tools"));
    assertTrue(toolNames.contains("say"), toolNames.toString());
    assertFalse(toolNames.contains("echo"), "the upstream name of an aliased tool is hidden: " + toolNames);
    assertFalse(toolNames.contains("get-sum"), "a disabled tool is absent: " + toolNames);
    JsonObject say = tools.getJsonObject("result").getJsonArray("tools").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("name").equals("say")).findFirst().orElseThrow();
    assertEquals("Says it back", say.getString("description"));
    assertNotNull(say.getJsonObject("inputSchema"), "fields the gateway does not change pass through");

    JsonObject called = NodeAgent.step(report, 1);
    assertTrue(called.getBoolean("ok"), called.encode());
    assertTrue(called.getJsonObject("result").encode().contains("hello gateway"), called.encode());

    for (int refused : new int[] {2, 3}) {
      JsonObject step = NodeAgent.step(report, refused);
      boolean isError = !step.getBoolean("ok") || step.getJsonObject("result").getBoolean("isError", false);
      assertTrue(isError, "refused by the gateway: " + step.encode());
      assertTrue(step.encode().contains("Unknown tool") || step.encode().contains("-32602"), step.encode());
    }

    List<String> promptNames = names(NodeAgent.step(report, 4).getJsonObject("result").getJsonArray("prompts"));
    assertTrue(promptNames.contains("greeting") && !promptNames.contains("simple-prompt"), promptNames.toString());
    JsonObject prompt = NodeAgent.step(report, 5);
    assertTrue(prompt.getBoolean("ok"), prompt.encode());
    assertFalse(prompt.getJsonObject("result").getJsonArray("messages").isEmpty());

    JsonObject longRunning = NodeAgent.step(report, 6);
    assertTrue(longRunning.getBoolean("ok"), longRunning.encode());
    JsonArray progress = longRunning.getJsonArray("progress");
    assertTrue(progress.size() >= 3, "progress notifications relayed: " + longRunning.encode());
    // incremental: the first progress arrives well before the result (a 2 s operation in 4 steps)
    assertTrue(progress.getLong(0) < longRunning.getLong("ms") - 900,
        "progress must arrive as it happens, not with the result: " + longRunning.encode());

    assertTrue(NodeAgent.step(report, 7).getBoolean("ok"), NodeAgent.step(report, 7).encode());
    JsonObject resource = NodeAgent.step(report, 8);
    assertTrue(resource.getBoolean("ok"), resource.encode());
    assertFalse(resource.getJsonObject("result").getJsonArray("contents").isEmpty());
  }

  @Test
  void theTypeScriptSdkClientSeesTheOverriddenViewOfServerEverything() {
    everything = NodePeer.everything("streamableHttp");
    register("everything", everything.url("/mcp"), true);
    JsonObject report = NodeAgent.run(gw.mcpUrl("acme", "everything"), TestGateway.AGENT, agentSteps());
    assertOverriddenRoundTrip(report);
    assertTrue(report.getString("sessionId").startsWith("v1."), "the gateway issues its own session ids");
  }

  @Test
  void beforeTheFirstSyncListsAreForwardedAndRewritten() {
    everything = NodePeer.everything("streamableHttp");
    register("unsynced", everything.url("/mcp"), false);
    JsonObject report = NodeAgent.run(gw.mcpUrl("acme", "unsynced"), TestGateway.AGENT, agentSteps());
    assertOverriddenRoundTrip(report);
  }

  @Test
  void theSameClientWorksAgainstALegacySseUpstream() {
    everything = NodePeer.everything("sse");
    register("legacy", everything.url("/sse"), true);
    JsonArray steps = agentSteps();
    JsonObject report = NodeAgent.run(gw.mcpUrl("acme", "legacy"), TestGateway.AGENT, steps);
    assertFalse(report.containsKey("error"), report.encode());
    List<String> toolNames = names(NodeAgent.step(report, 0).getJsonObject("result").getJsonArray("tools"));
    assertTrue(toolNames.contains("say") && !toolNames.contains("get-sum"), toolNames.toString());
    assertTrue(NodeAgent.step(report, 1).encode().contains("hello gateway"), NodeAgent.step(report, 1).encode());
    assertTrue(NodeAgent.step(report, 5).getBoolean("ok"), NodeAgent.step(report, 5).encode());
    assertTrue(NodeAgent.step(report, 8).getBoolean("ok"), NodeAgent.step(report, 8).encode());
  }
}
