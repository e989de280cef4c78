package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.RawHttp;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP endpoint's rules at the HTTP level, against an upstream that records every request it
 * receives: authentication, sessions, the transport specification's status codes, refusals that
 * never reach upstream, failures, cancellation and list changes.
 */
class ProxyBehaviourTest {
  static final String UPSTREAM_TOKEN = "upstream-only-token";
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  FakeUpstream upstream;
  /** What the upstream received: "METHOD jsonrpc-method headers body". */
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** How the upstream answers tools/call: "json" (default), "slow-sse", "silent", "die-mid-stream". */
  volatile String callMode = "json";
  /** The upstream connections tools/call answers travelled on (mode "sse"). */
  final java.util.Set<io.vertx.core.http.HttpConnection> callConnections = java.util.concurrent.ConcurrentHashMap.newKeySet();

  record Received(HttpMethod method, String rpcMethod, MultiMap headers, JsonObject body) {}

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("upstream").put("request_timeout_ms", 1500);
    config.put("proxy", new JsonObject().put("max_body_bytes", 10_000).put("keepalive_ms", 200).put("session_idle_ms", 60_000)
        .put("allowed_origins", new JsonArray().add("https://app.example")));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    upstream = result(FakeUpstream.start(vertx, this::upstream));
    register("srv", upstream.url());
  }

  @AfterEach
  void stop() {
    result(upstream.stop());
    result(gw.stop());
    result(vertx.close());
  }

  void register(String id, String hostname) {
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", hostname).put("auth_type", "bearer")
            .put("auth_credentials", UPSTREAM_TOKEN)
            .put("updated_tools", new JsonArray()
                .add(new JsonObject().put("name", "echo").put("alias", "say"))
                .add(new JsonObject().put("name", "danger").put("enabled", false)))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals("ready", result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()).bodyAsJsonObject().getJsonObject("result").getString("status"));
    received.clear();
  }

  /** A small MCP server: JSON answers, a session id, tools echo/danger/plain, and call modes for failures. */
  void upstream(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      JsonObject message = body.length() == 0 ? null : body.toJsonObject();
      received.add(new Received(request.method(), message == null ? null : message.getString("method"), request.headers(), message));
      if (request.method() == HttpMethod.DELETE) {
        request.response().end();
        return;
      }
      if (request.method() == HttpMethod.GET) {
        request.response().putHeader("Content-Type", "text/event-stream").setChunked(true).write(": open\n\n");
        vertx.setTimer(100, t -> request.response().write("event: message\ndata: "
            + new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed").encode() + "\n\n"));
        return;
      }
      Object id = message.getValue("id");
      String method = message.getString("method");
      if (id == null || method == null) { // a notification, or the agent's response to a server request
        request.response().setStatusCode(202).end();
        return;
      }
      JsonObject result = switch (method) {
        case "initialize" -> new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject().put("tools", new JsonObject().put("listChanged", true)))
            .put("serverInfo", new JsonObject().put("name", "recording").put("version", "1"));
        case "tools/list" -> new JsonObject().put("tools", new JsonArray()
            .add(new JsonObject().put("name", "echo").put("inputSchema", new JsonObject().put("type", "object")))
            .add(new JsonObject().put("name", "danger").put("inputSchema", new JsonObject().put("type", "object")))
            .add(new JsonObject().put("name", "plain").put("inputSchema", new JsonObject().put("type", "object"))));
        case "tools/call" -> new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text")
            .put("text", "called " + message.getJsonObject("params").getString("name"))));
        default -> new JsonObject();
      };
      JsonObject answer = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
      if (method.equals("tools/call") && !callMode.equals("json")) {
        var response = request.response().putHeader("Content-Type", "text/event-stream").setChunked(true);
        switch (callMode) {
          case "slow-sse" -> {
            response.write("event: message\ndata: " + new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/progress")
                .put("params", new JsonObject().put("progressToken", 1).put("progress", 1)).encode() + "\n\n");
            vertx.setTimer(1000, t -> response.end("event: message\ndata: " + answer.encode() + "\n\n"));
          }
          case "sse" -> {
            callConnections.add(request.connection());
            response.end("event: message\ndata: " + answer.encode() + "\n\n");
          }
          case "die-mid-stream" -> response.write("event: message\ndata: " + new JsonObject().put("jsonrpc", "2.0")
              .put("method", "notifications/progress").put("params", new JsonObject().put("progressToken", 1).put("progress", 1)).encode()
              + "\n\n").onSuccess(v -> vertx.setTimer(100, t -> request.connection().close()));
          default -> { } // silent: the stream stays open and says nothing
        }
        return;
      }
      request.response().putHeader("Content-Type", "application/json").putHeader("Mcp-Session-Id", "upstream-session-1")
          .end(answer.encode());
    });
  }

  HttpRequest<Buffer> mcp(HttpMethod method, String account, String server, String token, String session) {
    HttpRequest<Buffer> request = gw.client.request(method, TestGateway.mcp(account, server))
        .putHeader("Accept", "application/json, text/event-stream")
        .putHeader("Content-Type", "application/json");
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }

  static JsonObject rpc(Object id, String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("method", method);
    if (id != null) message.put("id", id);
    if (params != null) message.put("params", params);
    return message;
  }

  String initialize(String token) {
    HttpResponse<Buffer> response = result(mcp(HttpMethod.POST, "acme", "srv", token, null).sendJsonObject(rpc(1, "initialize",
        new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("2025-06-18", response.bodyAsJsonObject().getJsonObject("result").getString("protocolVersion"));
    String session = response.getHeader("Mcp-Session-Id");
    assertNotNull(session);
    assertEquals(202, result(mcp(HttpMethod.POST, "acme", "srv", token, session).sendJsonObject(rpc(null, "notifications/initialized", null)))
        .statusCode());
    return session;
  }

  List<Received> drain() throws InterruptedException {
    Thread.sleep(100);
    List<Received> all = new java.util.ArrayList<>();
    received.drainTo(all);
    return all;
  }

  @Test
  void agentsNeedAValidClientTokenForTheAccountAndServer() {
    HttpResponse<Buffer> none = result(mcp(HttpMethod.POST, "acme", "srv", null, null).sendJsonObject(rpc(1, "initialize", new JsonObject())));
    assertEquals(401, none.statusCode());
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"));
    assertEquals(401, result(mcp(HttpMethod.POST, "acme", "srv", "bogus", null).sendJsonObject(rpc(1, "initialize", new JsonObject()))).statusCode());
    assertEquals(401, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.ADMIN, null).sendJsonObject(rpc(1, "initialize", new JsonObject())))
        .statusCode(), "an API token is not a client token");
    assertEquals(403, result(mcp(HttpMethod.POST, "globex", "srv", TestGateway.ACME_AGENT, null)
        .sendJsonObject(rpc(1, "initialize", new JsonObject()))).statusCode());
    assertEquals(403, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.ONLY_AGENT, null)
        .sendJsonObject(rpc(1, "initialize", new JsonObject()))).statusCode());
    assertEquals(404, result(mcp(HttpMethod.POST, "acme", "missing", TestGateway.AGENT, null)
        .sendJsonObject(rpc(1, "initialize", new JsonObject()))).statusCode());
  }

  @Test
  void theAgentsTokenNeverReachesTheUpstreamOnlyTheServersOwnCredentials() throws Exception {
    String session = initialize(TestGateway.AGENT);
    result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(2, "tools/call",
        new JsonObject().put("name", "say").put("arguments", new JsonObject()))));
    result(mcp(HttpMethod.DELETE, "acme", "srv", TestGateway.AGENT, session).send());
    List<Received> all = drain();
    assertTrue(all.size() >= 4, all.toString());
    for (Received r : all) {
      assertEquals("Bearer " + UPSTREAM_TOKEN, r.headers().get("Authorization"), r.toString());
      assertFalse(r.headers().toString().contains(TestGateway.AGENT), "the agent's token leaked upstream: " + r);
    }
  }

  @Test
  void callsAreMappedByAliasAndRefusalsNeverReachTheUpstream() throws Exception {
    String session = initialize(TestGateway.AGENT);
    drain();
    JsonObject listed = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(2, "tools/list", null)))
        .bodyAsJsonObject();
    assertEquals(List.of("say", "plain"), listed.getJsonObject("result").getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList());
    assertTrue(drain().isEmpty(), "a warm cache answers tools/list without an upstream round trip");

    JsonObject said = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(3, "tools/call",
        new JsonObject().put("name", "say").put("arguments", new JsonObject().put("x", 1)).put("_meta", new JsonObject().put("k", "v")))))
        .bodyAsJsonObject();
    assertEquals("called echo", said.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
    Received call = drain().get(0);
    assertEquals("echo", call.body().getJsonObject("params").getString("name"));
    assertEquals(new JsonObject().put("k", "v"), call.body().getJsonObject("params").getJsonObject("_meta"), "unknown fields pass through");
    assertEquals(3, call.body().getInteger("id"));

    for (String refused : List.of("danger", "echo", "nonexistent")) {
      JsonObject answer = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(4, "tools/call",
          new JsonObject().put("name", refused).put("arguments", new JsonObject())))).bodyAsJsonObject();
      assertEquals(-32602, answer.getJsonObject("error").getInteger("code"), refused + ": " + answer.encode());
      assertEquals(4, answer.getInteger("id"));
    }
    assertTrue(drain().isEmpty(), "refused calls never reach the upstream");
  }

  @Test
  void sessionIdsAreSealedBoundToTheirClientAndEndedWithDelete() throws Exception {
    String session = initialize(TestGateway.AGENT);
    assertNotEquals("upstream-session-1", session, "the upstream's session id is never shown to the agent");
    assertTrue(session.chars().allMatch(c -> c >= 0x21 && c <= 0x7e), "visible ASCII only");
    String tampered = session.substring(0, session.length() - 3) + (session.endsWith("A") ? "BBB" : "AAA");
    for (String bad : List.of(tampered, "v1.garbage", "not-even-close", session + "x")) {
      HttpResponse<Buffer> answer = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, bad).sendJsonObject(rpc(2, "ping", null)));
      assertEquals(404, answer.statusCode(), bad);
    }
    // another client token, or another server of the account, cannot use it
    assertEquals(404, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.ACME_AGENT, session).sendJsonObject(rpc(2, "ping", null))).statusCode());
    register("other", upstream.url());
    assertEquals(404, result(mcp(HttpMethod.POST, "acme", "other", TestGateway.AGENT, session).sendJsonObject(rpc(2, "ping", null))).statusCode());

    drain();
    assertEquals(200, result(mcp(HttpMethod.DELETE, "acme", "srv", TestGateway.AGENT, session).send()).statusCode());
    Received delete = drain().stream().filter(r -> r.method() == HttpMethod.DELETE).findFirst().orElseThrow();
    assertEquals("upstream-session-1", delete.headers().get("Mcp-Session-Id"), "DELETE ends the upstream session");
  }

  @Test
  void theTransportSpecificationsStatusCodes() {
    String session = initialize(TestGateway.AGENT);
    assertEquals(415, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("{}"))).statusCode());
    assertEquals(406, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).putHeader("Accept", "text/html")
        .sendJsonObject(rpc(2, "ping", null))).statusCode());
    assertEquals(413, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session)
        .sendJsonObject(rpc(2, "ping", new JsonObject().put("pad", "x".repeat(20_000))))).statusCode());
    HttpResponse<Buffer> malformed = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendBuffer(Buffer.buffer("{nope")));
    assertEquals(400, malformed.statusCode());
    assertEquals(-32700, malformed.bodyAsJsonObject().getJsonObject("error").getInteger("code"));
    assertEquals(400, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendBuffer(Buffer.buffer("[]"))).statusCode());
    assertEquals(400, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session)
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 3).put("method", "tools/call").put("params", new JsonArray())))
        .statusCode(), "params must be an object");
    assertEquals(400, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, null).sendJsonObject(rpc(2, "ping", null))).statusCode(),
        "no session id outside initialize");
    assertEquals(400, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).putHeader("MCP-Protocol-Version", "1999-01-01")
        .sendJsonObject(rpc(2, "ping", null))).statusCode());
    assertEquals(400, result(mcp(HttpMethod.GET, "acme", "srv", TestGateway.AGENT, null).send()).statusCode());
    HttpResponse<Buffer> put = result(mcp(HttpMethod.PUT, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(new JsonObject()));
    assertEquals(405, put.statusCode());
    assertEquals("GET, POST, DELETE", put.getHeader("Allow"));
    assertEquals(202, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session)
        .sendJsonObject(rpc(null, "notifications/roots/list_changed", null))).statusCode());
    assertEquals(202, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session)
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", "srv-req-1").put("result", new JsonObject()))).statusCode(),
        "the agent's response to a server request is accepted with 202");
  }

  @Test
  void browserOriginsOutsideTheAllowedListAre403() {
    String session = initialize(TestGateway.AGENT);
    assertEquals(403, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).putHeader("Origin", "https://evil.example")
        .sendJsonObject(rpc(5, "ping", null))).statusCode());
    assertEquals(200, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).putHeader("Origin", "https://app.example")
        .sendJsonObject(rpc(6, "ping", null))).statusCode());
    assertEquals(200, result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(7, "ping", null))).statusCode(),
        "agents that are not browsers send no Origin");
  }

  @Test
  void upstreamConnectionsAreReusedAfterAnEventStreamAnswer() throws Exception {
    callMode = "sse";
    String session = initialize(TestGateway.AGENT);
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> answer = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session)
          .sendJsonObject(rpc(10 + i, "tools/call", new JsonObject().put("name", "say"))));
      assertTrue(answer.bodyAsString().contains("called echo"), answer.bodyAsString());
    }
    assertTrue(callConnections.size() <= 2, "20 streamed answers used " + callConnections.size() + " upstream connections");
  }

  @Test
  void anUpstreamThatNeverAnswersGivesAJsonRpcErrorWithErrorDetails() {
    String session = initialize(TestGateway.AGENT);
    callMode = "silent";
    long started = System.nanoTime();
    HttpResponse<Buffer> answer = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(9, "tools/call",
        new JsonObject().put("name", "plain"))));
    assertTrue((System.nanoTime() - started) / 1_000_000 < 8000);
    String body = answer.bodyAsString();
    JsonObject error = lastMessage(body).getJsonObject("error");
    assertEquals(-32001, error.getInteger("code"), body);
    assertEquals(false, error.getJsonObject("data").getBoolean("is_upstream"));
    assertEquals(true, error.getJsonObject("data").getBoolean("retryable"));
    assertEquals(9, lastMessage(body).getInteger("id"));
  }

  @Test
  void anUpstreamThatDiesMidStreamGivesTheAgentAnErrorForItsOpenRequest() {
    String session = initialize(TestGateway.AGENT);
    callMode = "die-mid-stream";
    HttpResponse<Buffer> answer = result(mcp(HttpMethod.POST, "acme", "srv", TestGateway.AGENT, session).sendJsonObject(rpc(10, "tools/call",
        new JsonObject().put("name", "plain"))));
    String body = answer.bodyAsString();
    assertTrue(body.contains("notifications/progress"), "what arrived before the failure was relayed: " + body);
    JsonObject last = lastMessage(body);
    assertEquals(10, last.getInteger("id"), body);
    assertNotNull(last.getJsonObject("error"), body);
  }

  @Test
  void progressIsRelayedAsItArrivesAndQuietStreamsGetKeepAlives() throws Exception {
    String session = initialize(TestGateway.AGENT);
    callMode = "slow-sse";
    HttpClient http = vertx.createHttpClient();
    BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    long started = System.nanoTime();
    HttpClientResponse response = result(RawHttp.send(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(gw.gateway.port()).setURI(TestGateway.mcp("acme", "srv"))
            .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Mcp-Session-Id", session)
            .putHeader("Accept", "application/json, text/event-stream").putHeader("Content-Type", "application/json")),
        rpc(11, "tools/call", new JsonObject().put("name", "plain").put("_meta", new JsonObject().put("progressToken", 1))).toBuffer(),
        r -> r.handler(chunk -> chunks.add((System.nanoTime() - started) / 1_000_000 + "ms " + chunk))));
    assertEquals("text/event-stream", response.getHeader("Content-Type"));
    String all = "";
    long progressAt = -1;
    long deadline = System.currentTimeMillis() + 5000;
    while (!all.contains("\"id\":11") && System.currentTimeMillis() < deadline) {
      String chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
      if (chunk == null) continue;
      if (progressAt < 0 && chunk.contains("notifications/progress")) progressAt = Long.parseLong(chunk.substring(0, chunk.indexOf("ms")));
      all += chunk;
    }
    long doneAt = (System.nanoTime() - started) / 1_000_000;
    assertTrue(progressAt >= 0 && progressAt < doneAt - 250, "progress arrived before the result: " + all);
    assertTrue(all.contains(": keep-alive"), "keep-alive comments while the upstream is quiet: " + all);
    result(http.close());
  }

  @Test
  void anAgentThatDisconnectsMidCallGetsTheUpstreamRequestCancelled() throws Exception {
    String session = initialize(TestGateway.AGENT);
    callMode = "silent";
    drain();
    HttpClient http = vertx.createHttpClient();
    var request = result(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gw.gateway.port())
        .setURI(TestGateway.mcp("acme", "srv")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Mcp-Session-Id", session).putHeader("Accept", "application/json, text/event-stream")
        .putHeader("Content-Type", "application/json")));
    request.send(rpc(12, "tools/call", new JsonObject().put("name", "plain")).toBuffer());
    Thread.sleep(300); // the call is upstream now, waiting for an answer that will not come
    result(request.connection().close());
    Received cancelled = null;
    long deadline = System.currentTimeMillis() + 3000;
    while (cancelled == null && System.currentTimeMillis() < deadline) {
      Received r = received.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && "notifications/cancelled".equals(r.rpcMethod())) cancelled = r;
    }
    assertNotNull(cancelled, "the upstream was told");
    assertEquals(12, cancelled.body().getJsonObject("params").getInteger("requestId"));
    result(http.close());
  }

  @Test
  void anUpstreamListChangeInvalidatesTheCacheAndReachesTheAgent() throws Exception {
    String session = initialize(TestGateway.AGENT);
    assertTrue(result(gw.gateway.cache().get("acme", "srv")) != null && gw.gateway.cache().contains("acme", "srv"));
    HttpClient http = vertx.createHttpClient();
    BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    HttpClientResponse stream = result(RawHttp.send(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(gw.gateway.port()).setURI(TestGateway.mcp("acme", "srv")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
            .putHeader("Mcp-Session-Id", session).putHeader("Accept", "text/event-stream")),
        null, r -> r.handler(chunk -> chunks.add(chunk.toString()))));
    assertEquals(200, stream.statusCode());
    String all = "";
    long deadline = System.currentTimeMillis() + 3000;
    while (!all.contains("list_changed") && System.currentTimeMillis() < deadline) {
      String chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
      if (chunk != null) all += chunk;
    }
    assertTrue(all.contains("notifications/tools/list_changed"), all);
    // the gateway resyncs: the upstream sees a new initialize from the gateway's own client
    boolean resynced = false;
    deadline = System.currentTimeMillis() + 3000;
    while (!resynced && System.currentTimeMillis() < deadline) {
      Received r = received.poll(100, TimeUnit.MILLISECONDS);
      resynced = r != null && "tools/list".equals(r.rpcMethod());
    }
    assertTrue(resynced, "a list change triggers a resync");
    stream.request().reset();
    result(http.close());
  }

  static JsonObject lastMessage(String body) {
    if (body.trim().startsWith("{")) return new JsonObject(body);
    String[] lines = body.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("data: ")) return new JsonObject(lines[i].substring(6));
    }
    throw new AssertionError("no message in " + body);
  }
}
