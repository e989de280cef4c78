package dev.mcpgateway.proxy;

import dev.mcpgateway.proxy.stateless.InputRequiredBridge;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateless-era agent (2026-07-28) in front of a session-era upstream that asks its client for
 * input in the middle of a tool call ({@code test-peers/asking-server.mjs}, the official SDK 1.x):
 * the gateway answers the agent with {@code input_required}, holds the upstream's stream, and
 * completes the call when the agent retries with its answer. The official SDK v2 client completes
 * these rounds by itself; raw requests check the {@code requestState} rules.
 */
class SessionInputBridgeTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer asking;

  @BeforeAll
  static void start() {
    asking = NodePeer.start("asking-server.mjs", java.util.Map.of());
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    // the time an agent has to come back with its answer; short, so the lapse test is quick
    config.getJsonObject("upstream").put("request_timeout_ms", 3_000);
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    HttpResponse<Buffer> created = result(admin(HttpMethod.POST, "").sendJsonObject(new JsonObject().put("id", "asking").put("name", "Asking")
        .put("hostname", asking.url("/mcp")).put("auth_type", "unauthenticated")
        .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "confirm").put("alias", "approve")))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    HttpResponse<Buffer> synced = result(admin(HttpMethod.POST, "/asking/sync").send());
    assertEquals("ready", synced.bodyAsJsonObject().getJsonObject("result").getString("status"), synced.bodyAsString());
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    asking.close();
  }

  static HttpRequest<Buffer> admin(HttpMethod method, String path) {
    return gw.client.request(method, TestGateway.servers("acme") + path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN);
  }

  // ------------------------------------------------------------------ the official SDK v2 client

  @Test
  void theSdkClientAnswersAnUpstreamsElicitationThroughInputRequired() {
    JsonObject report = modernAgent(new JsonObject().put("op", "capabilities").put("elicitAnswer", "42"),
        call("approve").put("progress", true), call("interview"));
    assertEquals("modern", report.getString("era"), report.encode());
    assertTrue(text(report, 0).contains("you said 42"), "the aliased tool asked, the answer went upstream: " + report.encode());
    assertTrue(text(report, 1).contains("first 42, second 42"), "two rounds in one call: " + report.encode());
    assertEquals(3, report.getJsonArray("elicited").size(), report.encode());
    assertTrue(stats().getJsonArray("initialized").stream()
        .anyMatch(c -> ((JsonObject) c).containsKey("elicitation")), "the upstream session offers what the agent declared: " + stats());
  }

  @Test
  void samplingAndRootsAreBridgedTooWhenDeclared() {
    JsonObject report = modernAgent(new JsonObject().put("op", "capabilities").put("sampleAnswer", "hello there")
        .put("roots", new JsonArray().add("file:///work/project")), call("sample"), call("roots"));
    assertTrue(text(report, 0).contains("the model said hello there"), report.encode());
    assertTrue(text(report, 1).contains("file:///work/project"), report.encode());
    assertEquals(1, report.getInteger("sampled"), report.encode());
  }

  @Test
  void anAgentThatOffersNoElicitationGetsAFinalAnswerNotAnInputRequest() {
    JsonObject report = modernAgent(call("approve"));
    JsonObject step = report.getJsonArray("steps").getJsonObject(0);
    assertTrue(step.containsKey("error") || Boolean.TRUE.equals(step.getJsonObject("result").getBoolean("isError")), report.encode());
    assertEquals(0, report.getJsonArray("elicited").size(), report.encode());
  }

  // ------------------------------------------------------------------ the wire

  @Test
  void theInputRequestCarriesTheUpstreamsRequestAndAStateBoundToThisRequest() {
    JsonObject first = answerOf(result(modernCall(1, "approve", ELICITATION, null)));
    JsonObject asked = first.getJsonObject("result");
    assertEquals(1, first.getInteger("id"), first.encode());
    assertEquals("input_required", asked.getString("resultType"), first.encode());
    assertEquals(1, asked.getJsonObject("inputRequests").size(), first.encode());
    String key = asked.getJsonObject("inputRequests").fieldNames().iterator().next();
    JsonObject input = asked.getJsonObject("inputRequests").getJsonObject(key);
    assertEquals("elicitation/create", input.getString("method"), first.encode());
    assertEquals("What is your answer?", input.getJsonObject("params").getString("message"), first.encode());
    String state = asked.getString("requestState");

    // another request presenting the state: unknown to it, and the state stays good for its own retry
    JsonObject other = answerOf(result(modernCall(2, "interview", ELICITATION, retry(state, key, accept("x")))));
    assertEquals(-32602, other.getJsonObject("error").getInteger("code"), other.encode());
    // no answer in the retry: asked again, under a new state
    JsonObject again = answerOf(result(modernCall(3, "approve", ELICITATION, retry(state, key, null)))).getJsonObject("result");
    assertEquals("input_required", again.getString("resultType"), again.encode());
    String next = again.getString("requestState");
    assertNotEquals(state, next);
    String nextKey = again.getJsonObject("inputRequests").fieldNames().iterator().next();
    assertNotEquals(key, nextKey, "each round has its own key: an old answer cannot answer a new question");
    JsonObject stale = answerOf(result(modernCall(40, "approve", ELICITATION, retry(next, key, accept("stale"))))).getJsonObject("result");
    assertEquals("input_required", stale.getString("resultType"), "an answer under the old key is no answer: " + stale.encode());
    next = stale.getString("requestState");
    nextKey = stale.getJsonObject("inputRequests").fieldNames().iterator().next();
    JsonObject done = answerOf(result(modernCall(4, "approve", ELICITATION, retry(next, nextKey, accept("7")))));
    assertEquals(4, done.getInteger("id"), "the final response carries the retry's id: " + done.encode());
    assertEquals("complete", done.getJsonObject("result").getString("resultType"), done.encode());
    assertTrue(done.encode().contains("you said 7"), done.encode());
    // used once
    JsonObject replay = answerOf(result(modernCall(5, "approve", ELICITATION, retry(next, nextKey, accept("8")))));
    assertEquals(-32602, replay.getJsonObject("error").getInteger("code"), replay.encode());
  }

  @Test
  void progressSentBeforeTheQuestionReachesTheFirstRequest() {
    HttpResponse<Buffer> first = result(modernCall(6, "approve", ELICITATION, null, "tok-1"));
    assertTrue(first.bodyAsString().contains("notifications/progress") && first.bodyAsString().contains("tok-1"), first.bodyAsString());
    JsonObject asked = answerOf(first).getJsonObject("result");
    String state = asked.getString("requestState");
    String key = asked.getJsonObject("inputRequests").fieldNames().iterator().next();
    JsonObject done = answerOf(result(modernCall(7, "approve", ELICITATION, retry(state, key, accept("yes")), "tok-2")));
    assertTrue(done.encode().contains("you said yes"), done.encode());
  }

  @Test
  void aStateNobodyComesBackForLapsesAndTheUpstreamCallIsCancelled() {
    int aborted = stats().getInteger("aborted");
    JsonObject first = answerOf(result(modernCall(8, "approve", ELICITATION, null)));
    String state = first.getJsonObject("result").getString("requestState");
    String key = first.getJsonObject("result").getJsonObject("inputRequests").fieldNames().iterator().next();
    Await.until(() -> stats().getInteger("aborted") > aborted, "the upstream's tool call is cancelled after the input timeout");
    JsonObject late = answerOf(result(modernCall(9, "approve", ELICITATION, retry(state, key, accept("late")))));
    assertEquals(-32602, late.getJsonObject("error").getInteger("code"), late.encode());
  }

  @Test
  void oneAgentSessionHoldsAtMostFourUpstreamStreams() {
    // its own capability variant, so its own upstream session and its own quota
    JsonObject capabilities = new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject()).put("url", new JsonObject()));
    for (int i = 0; i < InputRequiredBridge.MAX_HELD_PER_PRINCIPAL; i++) {
      JsonObject held = answerOf(result(modernCall(20 + i, "approve", capabilities, null)));
      assertEquals("input_required", held.getJsonObject("result").getString("resultType"), held.encode());
    }
    JsonObject refused = answerOf(result(modernCall(30, "approve", capabilities, null)));
    assertEquals(30, refused.getInteger("id"), refused.encode());
    assertFalse(refused.encode().contains("input_required"), "past the quota the upstream's request is refused upstream: " + refused.encode());
  }

  @Test
  void aForgedStateIsRefusedAndChangesNothing() {
    JsonObject forged = answerOf(result(modernCall(10, "approve", ELICITATION, retry("mcpgw-input.forged", "upstream-1", accept("x")))));
    assertEquals(-32602, forged.getJsonObject("error").getInteger("code"), forged.encode());
    assertFalse(forged.encode().contains("forged"), "the agent's state is not echoed: " + forged.encode());
  }

  // ------------------------------------------------------------------ helpers

  static final JsonObject ELICITATION = new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject()));

  static JsonObject accept(String answer) {
    return new JsonObject().put("action", "accept").put("content", new JsonObject().put("answer", answer));
  }

  /** The retry's additions: the state, and the answer under the input request's key (none when null). */
  static JsonObject retry(String state, String key, JsonObject answer) {
    JsonObject params = new JsonObject().put("requestState", state);
    if (answer != null) params.put("inputResponses", new JsonObject().put(key, answer));
    return params;
  }

  static io.vertx.core.Future<HttpResponse<Buffer>> modernCall(Object id, String tool, JsonObject capabilities, JsonObject extra) {
    return modernCall(id, tool, capabilities, extra, null);
  }

  static io.vertx.core.Future<HttpResponse<Buffer>> modernCall(Object id, String tool, JsonObject capabilities, JsonObject extra,
      String progressToken) {
    JsonObject meta = new JsonObject()
        .put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", capabilities)
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"));
    if (progressToken != null) meta.put("progressToken", progressToken);
    JsonObject params = new JsonObject().put("name", tool).put("arguments", new JsonObject()).put("_meta", meta);
    if (extra != null) params.mergeIn(extra);
    return gw.client.post(TestGateway.mcp("acme", "asking")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28")
        .putHeader("Mcp-Method", "tools/call").putHeader("Mcp-Name", tool)
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call").put("params", params));
  }

  static JsonObject answerOf(HttpResponse<Buffer> response) {
    return ModernAgentTest.answerOf(response);
  }

  static JsonObject modernAgent(JsonObject... steps) {
    return NodeAgent.runModern(gw.mcpUrl("acme", "asking"), TestGateway.AGENT, "auto", new JsonArray(List.of((Object[]) steps)));
  }

  static JsonObject call(String name) {
    return new JsonObject().put("op", "callTool").put("name", name).put("arguments", new JsonObject());
  }

  /** The text of a call step's result; fails on an error step. */
  static String text(JsonObject report, int index) {
    JsonObject step = report.getJsonArray("steps").getJsonObject(index);
    assertNotNull(step.getJsonObject("result"), report.encode());
    return step.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text");
  }

  static JsonObject stats() {
    return result(gw.client.getAbs(asking.url("/stats")).send()).bodyAsJsonObject();
  }
}
