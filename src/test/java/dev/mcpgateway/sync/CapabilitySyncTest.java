package dev.mcpgateway.sync;

import static dev.mcpgateway.support.Await.onContext;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync end to end over the management API, against real MCP peers (server-everything in both
 * transports, an SDK server with pagination and bearer auth) and against misbehaving sockets.
 */
class CapabilitySyncTest {
  static final String TOKEN = "upstream-secret-token";
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  final List<AutoCloseable> peers = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("upstream").put("request_timeout_ms", 1500).put("connect_timeout_ms", 1000);
    gw = result(TestGateway.start(vertx, config, dataDir, null));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable peer : peers) peer.close();
    result(gw.stop());
    result(vertx.close());
  }

  NodePeer peer(NodePeer peer) {
    peers.add(peer);
    return peer;
  }

  FakeUpstream fake(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> behaviour) {
    FakeUpstream upstream = result(FakeUpstream.start(vertx, behaviour));
    peers.add(() -> result(upstream.stop()));
    return upstream;
  }

  JsonObject create(String id, String hostname, String authType, String credentials, JsonObject extra) {
    JsonObject body = new JsonObject().put("id", id).put("name", id).put("hostname", hostname).put("auth_type", authType);
    if (credentials != null) body.put("auth_credentials", credentials);
    if (extra != null) body.mergeIn(extra);
    HttpResponse<Buffer> response = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(body));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  JsonObject sync(String id) {
    HttpResponse<Buffer> response = result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertFalse(response.bodyAsString().contains(TOKEN), "a secret leaked into the sync response");
    return response.bodyAsJsonObject();
  }

  JsonObject read(String id) {
    return result(gw.client.get(TestGateway.servers("acme") + "/" + id).putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send())
        .bodyAsJsonObject().getJsonObject("result");
  }

  static Set<String> names(JsonArray items) {
    return items.stream().map(i -> ((JsonObject) i).getString("name")).collect(Collectors.toSet());
  }

  @Test
  void serverEverythingOverStreamableHttpSyncsAllToolsAndPrompts() {
    NodePeer everything = peer(NodePeer.everything("streamableHttp"));
    create("every", everything.url("/mcp"), "unauthenticated", null, null);
    JsonObject result = sync("every").getJsonObject("result");
    assertEquals(new JsonObject().put("status", "ready"), result);
    JsonObject server = read("every");
    assertEquals("ready", server.getString("status"));
    assertTrue(names(server.getJsonArray("tools")).contains("echo"), server.getJsonArray("tools").encode());
    assertTrue(server.getJsonArray("tools").size() >= 5);
    assertTrue(server.getJsonArray("prompts").size() >= 1);
    assertNotNull(server.getString("last_synced"));
    assertEquals(server.getString("last_synced"), server.getString("last_successful_sync"));
    assertFalse(server.containsKey("error"));
    assertEquals(McpSession.Transport.STREAMABLE_HTTP, gw.gateway.sync().client().rememberedTransport(everything.url("/mcp")));
  }

  @Test
  void serverEverythingOverLegacySseSyncsTheSameToolsAndIsRememberedAsLegacy() {
    NodePeer modern = peer(NodePeer.everything("streamableHttp"));
    NodePeer legacy = peer(NodePeer.everything("sse"));
    create("modern", modern.url("/mcp"), "unauthenticated", null, null);
    create("legacy", legacy.url("/sse"), "unauthenticated", null, null);
    assertEquals("ready", sync("modern").getJsonObject("result").getString("status"));
    assertEquals("ready", sync("legacy").getJsonObject("result").getString("status"), legacy.output());
    assertEquals(names(read("modern").getJsonArray("tools")), names(read("legacy").getJsonArray("tools")));
    assertEquals(names(read("modern").getJsonArray("prompts")), names(read("legacy").getJsonArray("prompts")));
    assertEquals(McpSession.Transport.LEGACY_SSE, gw.gateway.sync().client().rememberedTransport(legacy.url("/sse")));
    // the second sync goes straight to the remembered transport
    assertEquals("ready", sync("legacy").getJsonObject("result").getString("status"));
  }

  @Test
  void aPaginatedBearerServerIsFollowedThroughEveryCursorAndKeepsEveryField() {
    NodePeer paged = peer(NodePeer.start("paged-server.mjs", Map.of("EXPECT_BEARER", TOKEN, "TOOL_COUNT", "120",
        "PROMPT_COUNT", "30", "PAGE_SIZE", "50")));
    create("paged", paged.url("/mcp"), "bearer", TOKEN, null);
    assertEquals("ready", sync("paged").getJsonObject("result").getString("status"), paged.output());
    JsonObject server = read("paged");
    assertEquals(120, server.getJsonArray("tools").size());
    assertEquals(120, names(server.getJsonArray("tools")).size());
    assertEquals(30, server.getJsonArray("prompts").size());
    JsonObject first = server.getJsonArray("tools").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("name").equals("tool-000")).findFirst().orElseThrow();
    for (String field : List.of("title", "description", "inputSchema", "outputSchema", "annotations", "icons", "_meta")) {
      assertTrue(first.containsKey(field), "tool-000 lost " + field + ": " + first.encode());
    }
  }

  @Test
  void sseResponsesAndAServerWithoutPromptsWork() {
    NodePeer paged = peer(NodePeer.start("paged-server.mjs", Map.of("RESPOND_SSE", "1", "PROMPTS", "off", "TOOL_COUNT", "7")));
    create("sse-json", paged.url("/mcp"), "unauthenticated", null, null);
    assertEquals("ready", sync("sse-json").getJsonObject("result").getString("status"), paged.output());
    assertEquals(7, read("sse-json").getJsonArray("tools").size());
    assertEquals(new JsonArray(), read("sse-json").getJsonArray("prompts"));
  }

  @Test
  void customHeaderCredentialsReachTheUpstream() {
    JsonObject headers = new JsonObject().put("X-Api-Key", TOKEN).put("X-Tenant", "acme");
    NodePeer paged = peer(NodePeer.start("paged-server.mjs", Map.of("EXPECT_HEADERS", headers.encode(), "TOOL_COUNT", "3")));
    create("headers", paged.url("/mcp"), "bearer", new JsonObject().put("headers", headers).encode(), null);
    assertEquals("ready", sync("headers").getJsonObject("result").getString("status"), paged.output());
  }

  @Test
  void aWrongTokenIs401NotRetryableAndKeepsWhatWasSyncedBefore() {
    NodePeer paged = peer(NodePeer.start("paged-server.mjs", Map.of("EXPECT_BEARER", TOKEN, "TOOL_COUNT", "4")));
    create("auth", paged.url("/mcp"), "bearer", TOKEN, null);
    assertEquals("ready", sync("auth").getJsonObject("result").getString("status"));
    String lastSuccess = read("auth").getString("last_successful_sync");
    result(gw.client.put(TestGateway.servers("acme") + "/auth").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("auth_credentials", "wrong-token")));
    JsonObject result = sync("auth").getJsonObject("result");
    assertEquals("error", result.getString("status"));
    JsonObject details = result.getJsonObject("error_details");
    assertEquals(401, details.getInteger("status_code"));
    assertEquals(true, details.getBoolean("is_upstream"));
    assertEquals(false, details.getBoolean("retryable"));
    JsonObject server = read("auth");
    assertEquals(4, server.getJsonArray("tools").size(), "previously synced tools are kept");
    assertEquals(lastSuccess, server.getString("last_successful_sync"));
    assertTrue(server.getString("last_synced").compareTo(lastSuccess) > 0);
  }

  @Test
  void aRepeatedCursorIsAProtocolError() {
    NodePeer paged = peer(NodePeer.start("paged-server.mjs", Map.of("REPEAT_CURSOR", "1")));
    create("loop", paged.url("/mcp"), "unauthenticated", null, null);
    JsonObject result = sync("loop").getJsonObject("result");
    assertEquals("error", result.getString("status"));
    assertTrue(result.getJsonObject("error_details").getString("cause").contains("cursor"), result.encode());
    assertEquals(false, result.getJsonObject("error_details").getBoolean("retryable"));
  }

  @Test
  void serverMessagesInterleavedBeforeTheResponseAreHandledAndTheSessionIsEndedWithItsHeaders() throws Exception {
    java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
    FakeUpstream upstream = fake(request -> request.body().onSuccess(body -> {
      String version = request.getHeader("MCP-Protocol-Version");
      String session = request.getHeader("Mcp-Session-Id");
      if (request.method() == io.vertx.core.http.HttpMethod.DELETE) {
        seen.add("DELETE session=" + session);
        request.response().end();
        return;
      }
      JsonObject message = body.toJsonObject();
      String method = message.getString("method");
      if (method == null) {
        seen.add("reply " + message.encode());
        request.response().setStatusCode(202).end();
        return;
      }
      seen.add(method + " version=" + version + " session=" + session);
      if (message.getValue("id") == null) {
        request.response().setStatusCode(202).end();
        return;
      }
      JsonObject result = method.equals("initialize")
          ? new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
          : new JsonObject().put("tools", new JsonArray().add(new JsonObject().put("name", "t")));
      // CRLF line ends, a priming event, a comment, a notification and a server request before the answer
      String stream = "id: p1\r\ndata:\r\n\r\n"
          + ": keep-alive\r\n\r\n"
          + "event: message\r\ndata: " + new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/message")
              .put("params", new JsonObject().put("level", "info").put("data", "working")).encode() + "\r\n\r\n"
          + "event: message\r\ndata: " + new JsonObject().put("jsonrpc", "2.0").put("id", "srv-1").put("method", "ping").encode() + "\r\n\r\n"
          + "event: message\r\ndata: " + new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id")).put("result", result).encode()
          + "\r\n\r\n";
      request.response().putHeader("Content-Type", "text/event-stream").putHeader("Mcp-Session-Id", "s-42")
          .setChunked(true).write(stream.substring(0, stream.length() / 2))
          .onSuccess(v -> request.response().end(stream.substring(stream.length() / 2)));
    }));
    create("chatty", upstream.url(), "unauthenticated", null, null);
    assertEquals("ready", sync("chatty").getJsonObject("result").getString("status"));
    List<String> events = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 5000;
    while (events.stream().noneMatch(e -> e.startsWith("DELETE")) && System.currentTimeMillis() < deadline) {
      String event = seen.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (event != null) events.add(event);
    }
    seen.drainTo(events);
    // the era probe first (this upstream's answer is no discover result: a session-era server), then initialize
    assertEquals("server/discover version=2026-07-28 session=null", events.get(0), events.toString());
    assertTrue(events.contains("initialize version=null session=null"), events.toString());
    assertTrue(events.contains("notifications/initialized version=2025-06-18 session=s-42"), events.toString());
    assertTrue(events.contains("tools/list version=2025-06-18 session=s-42"), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("reply ") && e.contains("\"srv-1\"") && e.contains("\"result\":{}")),
        "the server's ping was answered: " + events);
    assertTrue(events.contains("DELETE session=s-42"), events.toString());
  }

  @Test
  void aRefusedPortIsUnreachableAndRetryable() {
    create("refused", "http://127.0.0.1:1/mcp", "unauthenticated", null, null);
    JsonObject details = sync("refused").getJsonObject("result").getJsonObject("error_details");
    assertEquals(false, details.getBoolean("is_upstream"));
    assertEquals(true, details.getBoolean("retryable"));
    assertNull(details.getInteger("status_code"));
    assertFalse(details.getString("cause").contains("127.0.0.1"), "no upstream address in the cause: " + details.encode());
  }

  @Test
  void aLegacyEndpointEventNamingAnotherOriginIsRefusedAndGetsNoCredentials() {
    java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
    FakeUpstream thief = fake(request -> {
      posts.incrementAndGet();
      request.response().end();
    });
    FakeUpstream legacy = fake(request -> {
      if (request.method() == io.vertx.core.http.HttpMethod.POST) {
        request.response().setStatusCode(405).end(); // not Streamable HTTP: the client falls back to GET
        return;
      }
      request.response().putHeader("Content-Type", "text/event-stream").setChunked(true)
          .write("event: endpoint\ndata: " + thief.url().replace("/mcp", "/steal") + "\n\n");
    });
    create("redirect", legacy.url(), "bearer", TOKEN, null);
    JsonObject result = sync("redirect").getJsonObject("result");
    assertEquals("error", result.getString("status"));
    assertTrue(result.getJsonObject("error_details").getString("cause").contains("another origin"), result.encode());
    assertEquals(0, posts.get(), "nothing, and no credential, was sent to the other origin");
  }

  @Test
  void http500IsUpstreamAndRetryable() {
    FakeUpstream upstream = fake(request -> request.response().setStatusCode(500).end("boom"));
    create("five", upstream.url(), "unauthenticated", null, null);
    JsonObject details = sync("five").getJsonObject("result").getJsonObject("error_details");
    assertEquals(500, details.getInteger("status_code"));
    assertEquals(true, details.getBoolean("is_upstream"));
    assertEquals(true, details.getBoolean("retryable"));
  }

  @Test
  void anUpstreamThatNeverAnswersTimesOutWithinTheConfiguredTime() {
    FakeUpstream upstream = fake(request -> { /* accept, then say nothing */ });
    create("silent", upstream.url(), "unauthenticated", null, null);
    long started = System.nanoTime();
    JsonObject details = sync("silent").getJsonObject("result").getJsonObject("error_details");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(false, details.getBoolean("is_upstream"));
    assertEquals(true, details.getBoolean("retryable"));
    assertTrue(tookMs < 10_000, "the sync hung for " + tookMs + " ms");
  }

  @Test
  void aMalformedSseStreamIsAProtocolError() {
    FakeUpstream upstream = fake(request -> request.response().putHeader("Content-Type", "text/event-stream")
        .end("event: message\ndata: {not json\n\n"));
    create("garbage", upstream.url(), "unauthenticated", null, null);
    JsonObject result = sync("garbage").getJsonObject("result");
    assertEquals("error", result.getString("status"));
    assertEquals(true, result.getJsonObject("error_details").getBoolean("is_upstream"));
    assertEquals(false, result.getJsonObject("error_details").getBoolean("retryable"));
  }

  @Test
  void aJsonRpcErrorCarriesItsCode() {
    FakeUpstream upstream = fake(request -> request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("jsonrpc", "2.0").put("id", body.toJsonObject().getValue("id"))
            .put("error", new JsonObject().put("code", -32603).put("message", "database is down")).encode())));
    create("rpc", upstream.url(), "unauthenticated", null, null);
    JsonObject result = sync("rpc").getJsonObject("result");
    assertEquals(-32603, result.getJsonObject("error_details").getInteger("mcp_code"));
    assertTrue(result.getJsonObject("error_details").getString("cause").contains("database is down"));
  }

  @Test
  void anUnsupportedProtocolVersionIsRefusedClearly() {
    FakeUpstream upstream = fake(request -> request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("jsonrpc", "2.0").put("id", body.toJsonObject().getValue("id"))
            .put("result", new JsonObject().put("protocolVersion", "1999-01-01").put("capabilities", new JsonObject())).encode())));
    create("ancient", upstream.url(), "unauthenticated", null, null);
    JsonObject result = sync("ancient").getJsonObject("result");
    assertTrue(result.getJsonObject("error_details").getString("cause").contains("1999-01-01"), result.encode());
  }

  @Test
  void concurrentSyncsOfOneServerShareOneUpstreamSession() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "only").put("inputSchema", new JsonObject().put("type", "object")));
    java.util.concurrent.atomic.AtomicInteger initializes = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> behaviour = FakeUpstream.wellBehaved(vertx, tools, 300);
    FakeUpstream upstream = fake(request -> {
      if (request.method() == io.vertx.core.http.HttpMethod.POST) request.body().onSuccess(b -> {
        if ("initialize".equals(b.toJsonObject().getString("method"))) initializes.incrementAndGet();
      });
      behaviour.handle(request);
    });
    create("coalesce", upstream.url(), "unauthenticated", null, null);
    List<Future<HttpResponse<Buffer>>> syncs = new ArrayList<>();
    // five: the test's WebClient keeps at most five connections to the gateway, so all are in flight at once
    for (int i = 0; i < 5; i++) {
      syncs.add(gw.client.post(TestGateway.servers("acme") + "/coalesce/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    }
    result(Future.all(syncs));
    syncs.forEach(s -> assertEquals("ready", s.result().bodyAsJsonObject().getJsonObject("result").getString("status")));
    assertEquals(1, initializes.get(), "one upstream session for all five");
  }

  @Test
  void overridesNamingVanishedToolsAreReportedNotDropped() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "present"));
    FakeUpstream upstream = fake(FakeUpstream.wellBehaved(vertx, tools, 0));
    JsonObject overrides = new JsonObject().put("updated_tools", new JsonArray()
        .add(new JsonObject().put("name", "present").put("alias", "here"))
        .add(new JsonObject().put("name", "vanished").put("enabled", false)));
    create("stale", upstream.url(), "unauthenticated", null, overrides);
    JsonObject envelope = sync("stale");
    assertEquals(1, envelope.getJsonArray("messages").size(), envelope.encode());
    assertEquals(3001, envelope.getJsonArray("messages").getJsonObject(0).getInteger("code"));
    assertTrue(envelope.getJsonArray("messages").getJsonObject(0).getString("message").contains("vanished"));
    assertEquals(2, read("stale").getJsonArray("updated_tools").size());
  }

  @Test
  void theCacheServesTheExposedViewAndForgetsItOnUpdate() {
    JsonArray tools = new JsonArray()
        .add(new JsonObject().put("name", "echo").put("description", "upstream echo").put("x-extra", 1))
        .add(new JsonObject().put("name", "danger"))
        .add(new JsonObject().put("name", "plain"));
    FakeUpstream upstream = fake(FakeUpstream.wellBehaved(vertx, tools, 0));
    create("cached", upstream.url(), "unauthenticated", null, new JsonObject().put("updated_tools", new JsonArray()
        .add(new JsonObject().put("name", "echo").put("alias", "say").put("description", "Says it"))
        .add(new JsonObject().put("name", "danger").put("enabled", false))));
    sync("cached");
    CapabilityCache cache = gw.gateway.cache();
    Capabilities capabilities = result(cache.get("acme", "cached"));
    assertEquals(List.of("say", "plain"), capabilities.exposedTools().stream().map(t -> ((JsonObject) t).getString("name")).toList());
    JsonObject say = capabilities.exposedTools().getJsonObject(0);
    assertEquals("Says it", say.getString("description"));
    assertEquals(1, say.getInteger("x-extra"), "unknown fields pass through");
    assertEquals(Map.of("say", "echo", "plain", "plain"), capabilities.toolNames());
    assertTrue(cache.contains("acme", "cached"));
    result(gw.client.put(TestGateway.servers("acme") + "/cached").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("updated_tools", new JsonArray())));
    assertFalse(cache.contains("acme", "cached"), "an update invalidates the entry");
    assertEquals(3, result(cache.get("acme", "cached")).exposedTools().size());
    long misses = cache.stats().missCount();
    result(cache.get("acme", "cached"));
    assertEquals(misses, cache.stats().missCount(), "a warm entry is a hit");
  }

  @Test
  void creatingAServerSyncsItInTheBackgroundWhenEnabled() throws Exception {
    result(gw.stop());
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("sync").put("on_create", true);
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    FakeUpstream upstream = fake(FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "t")), 0));
    assertEquals("waiting", create("auto", upstream.url(), "unauthenticated", null, null).getString("status"));
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"ready".equals(read("auto").getString("status")) && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertEquals("ready", read("auto").getString("status"));
  }

  @Test
  void aSweepSyncsEveryServerThatIsDueAndLeavesFreshOnesAlone() {
    // two servers of one upstream endpoint: their first syncs run at once and share the era probe
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "t"));
    String url = fake(FakeUpstream.wellBehaved(vertx, tools, 0)).url();
    create("due-1", url, "unauthenticated", null, null);
    create("due-2", url, "unauthenticated", null, null);
    assertEquals(2, onContext(vertx, () -> gw.gateway.scheduler().sweep()));
    for (String id : List.of("due-1", "due-2")) {
      JsonObject server = read(id);
      assertEquals("ready", server.getString("status"), server.encode());
    }
    assertEquals(0, onContext(vertx, () -> gw.gateway.scheduler().sweep()), "just synced: not due for two hours");
  }

  @Test
  void syncOfAnUnknownServerIs404() {
    HttpResponse<Buffer> response = result(gw.client.post(TestGateway.servers("acme") + "/nope/sync")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    assertEquals(404, response.statusCode());
    assertEquals(2001, response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    HttpResponse<Buffer> other = result(gw.client.post(TestGateway.servers("acme") + "/nope/sync")
        .putHeader("Authorization", "Bearer " + TestGateway.ACME.replace("acme", "x")).send());
    assertEquals(401, other.statusCode());
  }
}
