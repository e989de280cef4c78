package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.RawHttp;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every agent era in front of every upstream era, with real peers: the official TypeScript SDK v1
 * client (session era) and v2 client (stateless era, 2026-07-28) as agents; server-everything
 * (session era) and a server built on {@code @modelcontextprotocol/server} 2.4.0 as upstreams — one
 * modern-only ({@code test-peers/modern-server.mjs}, {@code LEGACY=reject}, bearer-protected), one
 * dual-era. Each combination lists tools with aliases applied and calls an aliased tool; the
 * bridges are checked on the wire: the upstream sees the mapped {@code Mcp-Name}, the
 * {@code Mcp-Param-*} header its schema asks for, unknown {@code Mcp-Param-*} forwarded, its own
 * credentials; input requests (MRTR) reach a session-era agent as elicitations; progress is
 * streamed; closing the agent's stream cancels upstream; list changes come through.
 */
class EraBridgeTest {
  static final String UPSTREAM_TOKEN = "modern-upstream-secret";
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer modern;
  static NodePeer dual;
  static NodePeer everything;
  /** Lists carry ttlMs 300 and cacheScope public. */
  static NodePeer shortLived;

  @BeforeAll
  static void start() {
    modern = NodePeer.start("modern-server.mjs", Map.of("LEGACY", "reject", "EXPECT_BEARER", UPSTREAM_TOKEN));
    dual = NodePeer.start("modern-server.mjs", Map.of());
    everything = NodePeer.everything("streamableHttp");
    shortLived = NodePeer.start("modern-server.mjs", Map.of("CACHE", "public", "TOOLS_TTL_MS", "300"));
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    JsonArray aliases = new JsonArray()
        .add(new JsonObject().put("name", "echo").put("alias", "shout"))
        .add(new JsonObject().put("name", "headers").put("alias", "hdrs"));
    create(new JsonObject().put("id", "modern").put("name", "Modern").put("hostname", modern.url("/mcp"))
        .put("auth_type", "bearer").put("auth_credentials", UPSTREAM_TOKEN).put("updated_tools", aliases));
    create(new JsonObject().put("id", "dual").put("name", "Dual").put("hostname", dual.url("/mcp"))
        .put("auth_type", "unauthenticated").put("updated_tools", aliases.copy()));
    create(new JsonObject().put("id", "everything").put("name", "Everything").put("hostname", everything.url("/mcp"))
        .put("auth_type", "unauthenticated").put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "shout"))));
    create(new JsonObject().put("id", "short").put("name", "Short").put("hostname", shortLived.url("/mcp")).put("auth_type", "unauthenticated"));
  }

  static void create(JsonObject server) {
    HttpResponse<Buffer> created = result(admin(HttpMethod.POST, "").sendJsonObject(server));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    HttpResponse<Buffer> synced = result(admin(HttpMethod.POST, "/" + server.getString("id") + "/sync").send());
    assertEquals("ready", synced.bodyAsJsonObject().getJsonObject("result").getString("status"), synced.bodyAsString());
  }

  static HttpRequest<Buffer> admin(HttpMethod method, String path) {
    return gw.client.request(method, TestGateway.servers("acme") + path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN);
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    modern.close();
    dual.close();
    everything.close();
    shortLived.close();
  }

  // ------------------------------------------------------------------ the four combinations

  @Test
  void sessionEraAgentSessionEraUpstream() {
    JsonObject report = legacyAgent("everything", steps(listTools(), call("shout", new JsonObject().put("message", "old to old"))));
    assertAliased(report, "shout", "echo");
    assertTrue(step(report, 1).encode().contains("old to old"), report.encode());
  }

  @Test
  void statelessEraAgentSessionEraUpstream() {
    JsonObject report = modernAgent("everything", steps(listTools(), call("shout", new JsonObject().put("message", "new to old"))));
    assertEquals("modern", report.getString("era"), report.encode());
    assertAliased(report, "shout", "echo");
    assertTrue(step(report, 1).encode().contains("new to old"), report.encode());
  }

  @Test
  void sessionEraAgentStatelessEraUpstream() {
    JsonObject report = legacyAgent("modern", steps(listTools(), call("shout", new JsonObject().put("text", "old to new")),
        call("hdrs", new JsonObject().put("region", "eu-west")),
        new JsonObject().put("op", "getPrompt").put("name", "greet").put("arguments", new JsonObject().put("name", "Ada"))));
    assertEquals("2025-11-25", report.getString("protocolVersion"), report.encode());
    assertNotNull(report.getString("sessionId"), "the gateway keeps the session the upstream does not have: " + report.encode());
    assertAliased(report, "shout", "echo");
    assertTrue(step(report, 1).encode().contains("echo: old to new"), report.encode());
    JsonObject seen = headersSeen(step(report, 2));
    assertEquals("headers", seen.getString("mcp-name"), "the upstream's name, not the alias: " + seen);
    assertEquals("tools/call", seen.getString("mcp-method"));
    assertEquals("2026-07-28", seen.getString("mcp-protocol-version"));
    assertEquals("eu-west", seen.getString("mcp-param-region"), "built from the tool's x-mcp-header: " + seen);
    assertEquals("yes", seen.getString("authorization"), "the server's own bearer credentials: " + seen);
    assertTrue(step(report, 3).encode().contains("Hello Ada"), report.encode());
  }

  @Test
  void statelessEraAgentStatelessEraUpstream() {
    JsonObject report = modernAgent("modern", steps(listTools(), call("shout", new JsonObject().put("text", "new to new")),
        call("hdrs", new JsonObject().put("region", "ap-south"))));
    assertEquals("modern", report.getString("era"), report.encode());
    assertAliased(report, "shout", "echo");
    assertTrue(step(report, 1).encode().contains("echo: new to new"), report.encode());
    JsonObject seen = headersSeen(step(report, 2));
    assertEquals("headers", seen.getString("mcp-name"), "Mcp-Name rewritten with the alias mapping: " + seen);
    assertEquals("ap-south", seen.getString("mcp-param-region"), seen.encode());
    assertEquals("yes", seen.getString("authorization"), seen.encode());
  }

  @Test
  void aBridgedSessionGetsPingAndItsLogLevelOnEveryRequest() {
    // "modern" speaks only the stateless era, which has neither ping nor logging/setLevel
    JsonObject report = legacyAgent("modern", steps(new JsonObject().put("op", "ping"), call("meta", new JsonObject()),
        new JsonObject().put("op", "setLoggingLevel").put("level", "debug"), call("meta", new JsonObject()),
        new JsonObject().put("op", "setLoggingLevel").put("level", "loud")));
    assertTrue(step(report, 0).getBoolean("ok"), "ping answered: " + report.encode());
    JsonObject before = new JsonObject(step(report, 1).getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
    assertFalse(before.containsKey("io.modelcontextprotocol/logLevel"), before.encode());
    assertTrue(step(report, 2).getBoolean("ok"), report.encode());
    JsonObject after = new JsonObject(step(report, 3).getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("debug", after.getString("io.modelcontextprotocol/logLevel"), "carried on the next request: " + after.encode());
    assertFalse(step(report, 4).getBoolean("ok"), "an unknown level is refused: " + report.encode());
    // with the level set, a tool's log message during the call reaches the agent (the era sends none without it)
    JsonObject logged = legacyAgent("modern", steps(call("log", new JsonObject()),
        new JsonObject().put("op", "setLoggingLevel").put("level", "info"), call("log", new JsonObject())));
    assertEquals(List.of("notifications/message info \"logged during the call\""), logged.getJsonArray("notifications").getList(),
        "one message, from the call made after setLevel: " + logged.encode());
  }

  @Test
  void aDualEraUpstreamIsSpokenToInEachAgentsOwnEra() {
    // a session-era agent gets a real upstream session (nothing bridged): its version on the wire, ping answered upstream
    JsonObject legacy = legacyAgent("dual", steps(call("hdrs", new JsonObject()), new JsonObject().put("op", "ping")));
    String version = headersSeen(step(legacy, 0)).getString("mcp-protocol-version");
    assertTrue(McpProtocol.SUPPORTED_VERSIONS.contains(version), "a 2025 session, not the stateless era: " + legacy.encode());
    assertTrue(step(legacy, 1).getBoolean("ok"), legacy.encode());
    JsonObject modernReport = modernAgent("dual", steps(call("shout", new JsonObject().put("text", "dual"))));
    assertTrue(step(modernReport, 0).encode().contains("echo: dual"), modernReport.encode());
  }

  // ------------------------------------------------------------------ bridges on the wire

  @Test
  void inputRequestsReachASessionEraAgentAsElicitations() {
    JsonObject report = legacyAgent("modern", steps(new JsonObject().put("op", "capabilities").put("elicitAnswer", "42"), call("ask", new JsonObject())));
    assertTrue(step(report, 1).encode().contains("you said 42"), report.encode());
    assertEquals(1, report.getJsonArray("elicited").size(), report.encode());
  }

  @Test
  void inputRequiredResultsPassThroughToStatelessAgents() {
    JsonObject capabilities = new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject()));
    HttpResponse<Buffer> first = result(modernRequest("modern", 1, "tools/call", new JsonObject().put("name", "ask").put("arguments", new JsonObject()),
        capabilities, Map.of("Mcp-Name", "ask")));
    JsonObject asked = first.bodyAsJsonObject().getJsonObject("result");
    assertEquals("input_required", asked.getString("resultType"), first.bodyAsString());
    String key = asked.getJsonObject("inputRequests").fieldNames().iterator().next();
    JsonObject retry = new JsonObject().put("name", "ask").put("arguments", new JsonObject())
        .put("inputResponses", new JsonObject().put(key, new JsonObject().put("action", "accept").put("content", new JsonObject().put("answer", "7"))))
        .put("requestState", asked.getValue("requestState"));
    HttpResponse<Buffer> second = result(modernRequest("modern", 2, "tools/call", retry, capabilities, Map.of("Mcp-Name", "ask")));
    assertTrue(second.bodyAsString().contains("you said 7"), second.bodyAsString());
  }

  @Test
  void unknownMcpParamHeadersAreForwardedAndAliasesRewriteMcpName() {
    HttpResponse<Buffer> answer = result(modernRequest("modern", 3, "tools/call", new JsonObject().put("name", "hdrs")
        .put("arguments", new JsonObject()), new JsonObject(), Map.of("Mcp-Name", "hdrs", "Mcp-Param-Tenant", "blue")));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject seen = new JsonObject(answer.bodyAsJsonObject().getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("blue", seen.getString("mcp-param-tenant"), seen.encode());
    assertEquals("headers", seen.getString("mcp-name"), seen.encode());
  }

  @Test
  void theUpstreamsModernRefusalsReachTheAgent() {
    // no elicitation capability declared: the upstream's -32021 names what is missing
    HttpResponse<Buffer> answer = result(modernRequest("modern", 4, "tools/call", new JsonObject().put("name", "ask").put("arguments", new JsonObject()),
        new JsonObject(), Map.of("Mcp-Name", "ask")));
    assertEquals(400, answer.statusCode(), answer.bodyAsString());
    assertEquals(-32021, answer.bodyAsJsonObject().getJsonObject("error").getInteger("code"), answer.bodyAsString());
  }

  @Test
  void progressIsStreamedToBothEras() {
    JsonObject legacy = legacyAgent("modern", steps(call("slow", new JsonObject().put("ms", 450)).put("progress", true)));
    assertTrue(step(legacy, 0).encode().contains("slept 450"), legacy.encode());
    assertTrue(step(legacy, 0).getJsonArray("progress").size() >= 2, legacy.encode());
    String stream = result(rawModern("modern", slowCall(350, "p1"), null));
    assertTrue(stream.contains("notifications/progress") && stream.contains("slept 350"), stream);
  }

  @Test
  void closingTheStreamCancelsUpstream() {
    int before = stats(modern).getInteger("cancelled");
    // a stateless agent closes its response stream after the first progress event
    result(rawModern("modern", slowCall(5_000, "p2"), "notifications/progress"));
    awaitStat(modern, "cancelled", before + 1);
  }

  @Test
  void aSessionEraAgentsCancellationReachesTheStatelessUpstream() {
    int before = stats(modern).getInteger("cancelled");
    HttpClient http = vertx.createHttpClient();
    String session = result(legacyInitialize(http, "modern"));
    Promise<String> firstEvent = Promise.promise();
    RequestOptions call = legacyPost("modern", session);
    RawHttp.send(http.request(call), new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "slow").put("arguments", new JsonObject().put("ms", 5_000))
            .put("_meta", new JsonObject().put("progressToken", "c1"))).toBuffer(),
        response -> response.handler(chunk -> firstEvent.tryComplete(chunk.toString())));
    assertTrue(result(firstEvent.future()).contains("notifications/progress"));
    HttpResponse<Buffer> cancelled = result(gw.client.post(TestGateway.mcp("acme", "modern")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Mcp-Session-Id", session).putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/cancelled")
            .put("params", new JsonObject().put("requestId", 9))));
    assertEquals(202, cancelled.statusCode());
    awaitStat(modern, "cancelled", before + 1);
    result(http.close());
  }

  @Test
  void listChangesReachBothErasAndRefreshTheCache() {
    // a session-era agent's GET stream is a stateless-only upstream's subscriptions/listen (a dual-era upstream gets the
    // agent's own session instead: what it sends there is what the agent would get direct)
    JsonObject report = legacyAgent("modern", steps(new JsonObject().put("op", "wait").put("ms", 500), call("change", new JsonObject()),
        new JsonObject().put("op", "wait").put("ms", 1_000)));
    assertTrue(report.getJsonArray("notifications").contains("notifications/tools/list_changed"), report.encode());
    awaitTool("modern", "added-");
    // a stateless agent's subscription is relayed, with the upstream's acknowledgement first
    Promise<String> acknowledged = Promise.promise();
    StringBuilder events = new StringBuilder();
    HttpClient http = vertx.createHttpClient();
    JsonObject listen = envelope(21, "subscriptions/listen", new JsonObject().put("notifications", new JsonObject().put("toolsListChanged", true)),
        new JsonObject());
    RawHttp.send(http.request(modernPost("modern", "subscriptions/listen", Map.of())), listen.toBuffer(), response ->
        response.handler(chunk -> {
          events.append(chunk);
          if (events.toString().contains("notifications/subscriptions/acknowledged")) acknowledged.tryComplete(events.toString());
        }));
    result(acknowledged.future());
    JsonObject changed = modernAgent("modern", steps(call("change", new JsonObject())));
    assertFalse(step(changed, 0).containsKey("error"), changed.encode());
    dev.mcpgateway.support.Await.until(() -> events.toString().contains("notifications/tools/list_changed"), "list_changed relayed: " + events);
    awaitTool("modern", "added-");
    result(http.close());
  }

  @Test
  void theStatelessUpstreamIsSyncedAndDiscovered() {
    JsonObject server = result(admin(HttpMethod.GET, "/modern").send()).bodyAsJsonObject().getJsonObject("result");
    assertEquals("ready", server.getString("status"), server.encode());
    HttpResponse<Buffer> discovered = result(modernRequest("modern", 5, "server/discover", new JsonObject(), new JsonObject(), Map.of()));
    JsonObject capabilities = discovered.bodyAsJsonObject().getJsonObject("result").getJsonObject("capabilities");
    assertTrue(capabilities.getJsonObject("tools").getBoolean("listChanged"), discovered.bodyAsString());
  }

  @Test
  void aListPastTheUpstreamsTtlIsRefreshed() throws InterruptedException {
    // the upstream changes without telling anyone (no subscription is open); its lists are fresh for 300 ms
    // (a raw request: the SDK client would open a subscription, whose list_changed refreshes the cache anyway)
    HttpResponse<Buffer> changed = result(modernRequest("short", 29, "tools/call", new JsonObject().put("name", "change").put("arguments", new JsonObject()),
        new JsonObject(), Map.of("Mcp-Name", "change")));
    assertTrue(changed.bodyAsString().contains("added"), changed.bodyAsString());
    Thread.sleep(400);
    dev.mcpgateway.support.Await.until(() -> result(modernRequest("short", 30, "tools/list", new JsonObject(), new JsonObject(), Map.of()))
        .bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").stream().anyMatch(t -> ((JsonObject) t).getString("name").startsWith("added-")),
        "a list past its ttl is refreshed from the upstream");
  }

  @Test
  void progressFromASessionEraUpstreamIsStreamedToAStatelessAgent() {
    JsonObject call = envelope(12, "tools/call", new JsonObject().put("name", "trigger-long-running-operation")
        .put("arguments", new JsonObject().put("duration", 1).put("steps", 3)).put("_meta", new JsonObject().put("progressToken", "lr")), new JsonObject());
    String stream = result(rawModern("everything", call, null));
    assertTrue(stream.contains("notifications/progress"), stream);
    assertTrue(stream.contains("\"resultType\":\"complete\""), stream);
  }

  @Test
  void aStatelessAgentClosingItsStreamCancelsOnASessionEraUpstream() {
    java.util.concurrent.BlockingQueue<JsonObject> cancelled = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicReference<Object> callId = new java.util.concurrent.atomic.AtomicReference<>();
    dev.mcpgateway.support.FakeUpstream upstream = result(dev.mcpgateway.support.FakeUpstream.start(vertx, request -> request.body().onSuccess(body -> {
      JsonObject message = body.toJsonObject();
      String method = message.getString("method");
      var response = request.response();
      if (request.getHeader("Mcp-Session-Id") == null && !"initialize".equals(method)) { // a stateful SDK server's answer to the probe
        response.setStatusCode(400).putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0").put("id", (Object) null)
            .put("error", new JsonObject().put("code", -32000).put("message", "Bad Request: No valid session ID provided")).encode());
      } else if ("initialize".equals(method)) {
        response.putHeader("Mcp-Session-Id", "legacy-1").putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0")
            .put("id", message.getValue("id")).put("result", new JsonObject().put("protocolVersion", "2025-11-25")
                .put("capabilities", new JsonObject().put("tools", new JsonObject())).put("serverInfo", new JsonObject().put("name", "fake").put("version", "1")))
            .encode());
      } else if ("tools/list".equals(method)) {
        response.putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id"))
            .put("result", new JsonObject().put("tools", new JsonArray().add(new JsonObject().put("name", "wait")
                .put("inputSchema", new JsonObject().put("type", "object")))))
            .encode());
      } else if ("tools/call".equals(method)) { // one progress event, then nothing until cancelled
        callId.set(message.getValue("id"));
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").write("event: message\ndata: " + new JsonObject().put("jsonrpc", "2.0")
            .put("method", "notifications/progress").put("params", new JsonObject().put("progressToken", "w").put("progress", 1)).encode() + "\n\n");
      } else {
        if ("notifications/cancelled".equals(method)) cancelled.add(message.getJsonObject("params"));
        response.setStatusCode(202).end();
      }
    })));
    create(new JsonObject().put("id", "fake").put("name", "Fake").put("hostname", upstream.url()).put("auth_type", "unauthenticated"));
    String seen = result(rawModern("fake", envelope(13, "tools/call", new JsonObject().put("name", "wait").put("arguments", new JsonObject())
        .put("_meta", new JsonObject().put("progressToken", "w")), new JsonObject()), "notifications/progress"));
    assertTrue(seen.contains("notifications/progress"), seen);
    JsonObject notice;
    try {
      notice = cancelled.poll(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertNotNull(notice, "the upstream was told the request is cancelled");
    assertEquals(callId.get(), notice.getValue("requestId"), "the call as the upstream knows it (the gateway's own id): " + notice.encode());
  }

  @Test
  void anUpstreamRefusalThatIsNotAModernErrorBecomesAStructuredErrorNotTheUpstreamsStatus() {
    HttpResponse<Buffer> created = result(admin(HttpMethod.POST, "").sendJsonObject(new JsonObject().put("id", "wrong-token").put("name", "Wrong")
        .put("hostname", modern.url("/mcp")).put("auth_type", "bearer").put("auth_credentials", "not-the-token")));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    HttpResponse<Buffer> answer = result(modernRequest("wrong-token", 40, "tools/call", new JsonObject().put("name", "echo")
        .put("arguments", new JsonObject().put("text", "x")), new JsonObject(), Map.of("Mcp-Name", "echo")));
    assertEquals(200, answer.statusCode(), "the agent's own credentials were fine: " + answer.bodyAsString());
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(401, error.getJsonObject("data").getInteger("status_code"), answer.bodyAsString());
    assertFalse(answer.bodyAsString().contains("not-the-token"), answer.bodyAsString());
  }

  @Test
  void aMalformedAnswerToAnInputRequestEndsTheCallWithAnError() {
    HttpClient http = vertx.createHttpClient();
    JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params", new JsonObject()
        .put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject().put("elicitation", new JsonObject()))
        .put("clientInfo", new JsonObject().put("name", "raw").put("version", "1")));
    String session = result(RawHttp.exchange(http.request(legacyPost("modern", null)), initialize.toBuffer())).header("Mcp-Session-Id");
    Promise<String> elicitation = Promise.promise();
    Promise<String> ended = Promise.promise();
    StringBuilder stream = new StringBuilder();
    RawHttp.send(http.request(legacyPost("modern", session)), new JsonObject().put("jsonrpc", "2.0").put("id", 2)
        .put("method", "tools/call").put("params", new JsonObject().put("name", "ask").put("arguments", new JsonObject())).toBuffer(),
        response -> {
          response.handler(chunk -> {
            stream.append(chunk);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\":\"(mcpgw-input-[^\"]+)\"").matcher(stream);
            if (id.find()) elicitation.tryComplete(id.group(1));
          });
          response.endHandler(v -> ended.tryComplete(stream.toString()));
        });
    String inputId = result(elicitation.future());
    HttpResponse<Buffer> malformed = result(gw.client.post(TestGateway.mcp("acme", "modern")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Mcp-Session-Id", session).putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", inputId).put("error", "boom")));
    assertEquals(202, malformed.statusCode(), malformed.bodyAsString());
    String answer = result(ended.future());
    assertTrue(answer.contains("\"error\"") && answer.contains("the client refused"), answer);
    result(http.close());
  }

  @Test
  void largeDeclaredCapabilitiesStillMakeAWorkingSession() {
    JsonObject capabilities = new JsonObject().put("elicitation", new JsonObject()).put("roots", new JsonObject());
    for (int i = 0; i < 40; i++) capabilities.put("x-" + "é".repeat(150) + i, new JsonObject().put("v", "ü".repeat(100)));
    JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params", new JsonObject()
        .put("protocolVersion", "2025-11-25").put("capabilities", capabilities)
        .put("clientInfo", new JsonObject().put("name", "n".repeat(5_000)).put("version", "1")));
    HttpClient http = vertx.createHttpClient();
    String session = result(RawHttp.exchange(http.request(legacyPost("modern", null)), initialize.toBuffer())).header("Mcp-Session-Id");
    assertTrue(session.length() < 4096, "session id of " + session.length() + " characters");
    HttpResponse<Buffer> listed = result(gw.client.post(TestGateway.mcp("acme", "modern")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Mcp-Session-Id", session).putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/list")));
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    result(http.close());
  }

  @Test
  void aSessionSealedForAStatelessUpstreamEndsWhenTheUpstreamRollsBackToSessions() {
    java.util.concurrent.atomic.AtomicBoolean statelessEra = new java.util.concurrent.atomic.AtomicBoolean(true);
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "which").put("inputSchema", new JsonObject().put("type", "object")));
    dev.mcpgateway.support.FakeUpstream upstream = result(dev.mcpgateway.support.FakeUpstream.start(vertx, request -> request.body().onSuccess(body -> {
      var response = request.response().putHeader("Content-Type", "application/json");
      if (request.method() != HttpMethod.POST) {
        response.setStatusCode(request.method() == HttpMethod.DELETE ? 200 : 405).end();
        return;
      }
      JsonObject message = body.toJsonObject();
      Object id = message.getValue("id");
      String method = message.getString("method");
      if (id == null) {
        response.setStatusCode(202).end();
        return;
      }
      JsonObject result;
      if (statelessEra.get()) { // as a 2026-07-28 server: no sessions
        result = switch (method) {
          case "server/discover" -> new JsonObject().put("supportedVersions", new JsonArray().add("2026-07-28"))
              .put("capabilities", new JsonObject().put("tools", new JsonObject()));
          case "tools/list" -> new JsonObject().put("tools", tools).put("resultType", "complete");
          case "tools/call" -> new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "stateless era")))
              .put("resultType", "complete");
          default -> null;
        };
      } else if ("initialize".equals(method)) { // rolled back: a 2025-11-25 server with sessions
        response.putHeader("Mcp-Session-Id", "rolled-back");
        result = new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject().put("tools", new JsonObject()))
            .put("serverInfo", new JsonObject().put("name", "fake").put("version", "1"));
      } else if (request.getHeader("Mcp-Session-Id") == null) {
        response.setStatusCode(400).end(new JsonObject().put("jsonrpc", "2.0").put("id", (Object) null)
            .put("error", new JsonObject().put("code", -32000).put("message", "Bad Request: No valid session ID provided")).encode());
        return;
      } else {
        result = "tools/list".equals(method) ? new JsonObject().put("tools", tools)
            : new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "session era")));
      }
      if (result == null) {
        response.setStatusCode(404).end(new JsonObject().put("jsonrpc", "2.0").put("id", id)
            .put("error", new JsonObject().put("code", -32601).put("message", "Method not found")).encode());
        return;
      }
      response.end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
    })));
    create(new JsonObject().put("id", "rollback").put("name", "Rollback").put("hostname", upstream.url()).put("auth_type", "unauthenticated"));
    HttpClient http = vertx.createHttpClient();
    try {
      JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call")
          .put("params", new JsonObject().put("name", "which").put("arguments", new JsonObject()));
      String sealed = result(legacyInitialize(http, "rollback"));
      assertTrue(result(legacyCall("rollback", sealed, call)).bodyAsString().contains("stateless era"));

      statelessEra.set(false);
      HttpResponse<Buffer> ended = result(legacyCall("rollback", sealed, call));
      assertEquals(404, ended.statusCode(), "the sealed session is over: " + ended.bodyAsString());
      assertEquals(-32001, ended.bodyAsJsonObject().getJsonObject("error").getInteger("code"), ended.bodyAsString());

      String renewed = result(legacyInitialize(http, "rollback"));
      HttpResponse<Buffer> again = result(legacyCall("rollback", renewed, call));
      assertTrue(again.bodyAsString().contains("session era"), "the new session meets the upstream as it is now: " + again.bodyAsString());
    } finally {
      http.close();
    }
  }

  /** One message over a session-era agent's session, answered whole (JSON or an event stream as text). */
  static Future<HttpResponse<Buffer>> legacyCall(String server, String session, JsonObject message) {
    return gw.client.post(TestGateway.mcp("acme", server)).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("Mcp-Session-Id", session)
        .putHeader("MCP-Protocol-Version", "2025-11-25").sendJsonObject(message);
  }

  @Test
  void aStatelessAgentsSubscriptionIsMappedToASessionEraUpstreamsStream() {
    java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();
    Promise<Void> streamClosed = Promise.promise();
    dev.mcpgateway.support.FakeUpstream upstream = result(dev.mcpgateway.support.FakeUpstream.start(vertx, request -> {
      if (request.method() == HttpMethod.GET) { // the session's stream: one list change, then quiet
        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write("event: message\ndata: "
            + new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed").encode() + "\n\n");
        request.connection().closeHandler(v -> streamClosed.tryComplete());
        return;
      }
      request.body().onSuccess(body -> {
        JsonObject message = body.toJsonObject();
        String method = message.getString("method");
        var response = request.response().putHeader("Content-Type", "application/json");
        if (request.getHeader("Mcp-Session-Id") == null && !"initialize".equals(method)) {
          response.setStatusCode(400).end(new JsonObject().put("jsonrpc", "2.0").put("id", (Object) null)
              .put("error", new JsonObject().put("code", -32000).put("message", "Bad Request: No valid session ID provided")).encode());
        } else if ("initialize".equals(method)) {
          response.putHeader("Mcp-Session-Id", "listen-1").end(new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id"))
              .put("result", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject().put("tools",
                  new JsonObject().put("listChanged", true))).put("serverInfo", new JsonObject().put("name", "fake").put("version", "1"))).encode());
        } else if ("tools/list".equals(method)) {
          lists.incrementAndGet();
          response.end(new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id")).put("result", new JsonObject()
              .put("tools", new JsonArray().add(new JsonObject().put("name", "t").put("inputSchema", new JsonObject().put("type", "object"))))).encode());
        } else {
          response.setStatusCode(202).end();
        }
      });
    }));
    create(new JsonObject().put("id", "listened").put("name", "Listened").put("hostname", upstream.url()).put("auth_type", "unauthenticated"));
    int listsAfterSync = lists.get();
    JsonObject listen = envelope(21, "subscriptions/listen", new JsonObject().put("notifications", new JsonObject()
        .put("toolsListChanged", true).put("resourcesListChanged", true)), new JsonObject());
    String events = result(rawModern("listened", listen, "notifications/tools/list_changed"));
    assertTrue(events.contains("\"notifications\":{\"toolsListChanged\":true}"), "acknowledged with what can be honoured: " + events);
    assertTrue(events.indexOf("notifications/subscriptions/acknowledged") < events.indexOf("notifications/tools/list_changed"), events);
    assertTrue(events.contains("\"io.modelcontextprotocol/subscriptionId\":21"), events);
    dev.mcpgateway.support.Await.until(() -> lists.get() > listsAfterSync, "the list change started a resync");
    result(streamClosed.future()); // the agent left: the upstream stream is closed too
    // nothing it can honour: acknowledged with nothing, then ended
    String none = result(rawModern("listened", envelope(22, "subscriptions/listen", new JsonObject().put("notifications",
        new JsonObject().put("resourcesListChanged", true)), new JsonObject()), null));
    assertTrue(none.contains("\"notifications\":{}") && none.contains("\"resultType\":\"complete\""), none);
  }

  // ------------------------------------------------------------------ helpers

  static JsonArray steps(JsonObject... steps) {
    return new JsonArray(List.of((Object[]) steps));
  }

  static JsonObject listTools() {
    return new JsonObject().put("op", "listTools");
  }

  static JsonObject call(String name, JsonObject arguments) {
    return new JsonObject().put("op", "callTool").put("name", name).put("arguments", arguments);
  }

  static JsonObject step(JsonObject report, int index) {
    return report.getJsonArray("steps").getJsonObject(index);
  }

  static void assertAliased(JsonObject report, String alias, String upstreamName) {
    List<String> names = step(report, 0).getJsonObject("result").getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")).toList();
    assertTrue(names.contains(alias), names.toString());
    assertFalse(names.contains(upstreamName), names.toString());
  }

  /** What the {@code headers} tool reported it received. */
  static JsonObject headersSeen(JsonObject step) {
    assertFalse(step.containsKey("error") || Boolean.FALSE.equals(step.getBoolean("ok")), step.encode());
    return new JsonObject(step.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
  }

  static JsonObject legacyAgent(String server, JsonArray steps) {
    return NodeAgent.run(gw.mcpUrl("acme", server), TestGateway.AGENT, steps);
  }

  static JsonObject modernAgent(String server, JsonArray steps) {
    return NodeAgent.runModern(gw.mcpUrl("acme", server), TestGateway.AGENT, "auto", steps);
  }

  static JsonObject envelope(Object id, String method, JsonObject params, JsonObject capabilities) {
    JsonObject meta = params.getJsonObject("_meta", new JsonObject())
        .put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", capabilities)
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"));
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params.put("_meta", meta));
  }

  static Future<HttpResponse<Buffer>> modernRequest(String server, Object id, String method, JsonObject params, JsonObject capabilities,
      Map<String, String> headers) {
    HttpRequest<Buffer> request = gw.client.post(TestGateway.mcp("acme", server)).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", method);
    headers.forEach(request::putHeader);
    return request.sendJsonObject(envelope(id, method, params, capabilities));
  }

  static RequestOptions modernPost(String server, String method, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gw.gateway.port())
        .setURI(TestGateway.mcp("acme", server)).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("Content-Type", "application/json")
        .putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", method);
    headers.forEach(options::putHeader);
    return options;
  }

  static JsonObject slowCall(int ms, String progressToken) {
    return envelope(11, "tools/call", new JsonObject().put("name", "slow").put("arguments", new JsonObject().put("ms", ms))
        .put("_meta", new JsonObject().put("progressToken", progressToken)), new JsonObject());
  }

  /**
   * A raw stateless-era call; answers the whole stream, or, with {@code stopAt}, what arrived up to
   * the first chunk containing it, then closes the connection (cancellation in this era).
   */
  static Future<String> rawModern(String server, JsonObject message, String stopAt) {
    HttpClient http = vertx.createHttpClient();
    Promise<String> done = Promise.promise();
    StringBuilder seen = new StringBuilder();
    String name = message.getJsonObject("params").getString("name");
    RawHttp.send(http.request(modernPost(server, message.getString("method"), name == null ? Map.of() : Map.of("Mcp-Name", name))),
        message.toBuffer(), response -> {
          response.handler(chunk -> {
            seen.append(chunk);
            if (stopAt != null && seen.toString().contains(stopAt)) {
              response.request().connection().close();
              done.tryComplete(seen.toString());
            }
          });
          response.endHandler(v -> done.tryComplete(seen.toString()));
        }).onFailure(done::tryFail);
    return done.future().eventually(http::close);
  }

  static Future<String> legacyInitialize(HttpClient http, String server) {
    JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params", new JsonObject()
        .put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "raw").put("version", "1")));
    return RawHttp.exchange(http.request(legacyPost(server, null)), initialize.toBuffer()).map(answer -> {
      assertEquals(200, answer.status(), answer.body().toString());
      return answer.header("Mcp-Session-Id");
    });
  }

  static RequestOptions legacyPost(String server, String session) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gw.gateway.port())
        .setURI(TestGateway.mcp("acme", server)).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("Content-Type", "application/json");
    if (session != null) options.putHeader("Mcp-Session-Id", session);
    return options;
  }

  static JsonObject stats(NodePeer peer) {
    return result(gw.client.getAbs(peer.url("/stats")).send()).bodyAsJsonObject();
  }

  static void awaitStat(NodePeer peer, String field, int atLeast) {
    dev.mcpgateway.support.Await.until(() -> stats(peer).getInteger(field) >= atLeast, field + " reaches " + atLeast);
  }

  static void awaitTool(String server, String prefix) {
    dev.mcpgateway.support.Await.until(() -> result(admin(HttpMethod.GET, "/" + server).send()).bodyAsJsonObject().getJsonObject("result")
        .getJsonArray("tools").stream().anyMatch(t -> ((JsonObject) t).getString("name").startsWith(prefix)), server + " synced a tool " + prefix + "*");
  }
}
