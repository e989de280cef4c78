package dev.mcpgateway.faults;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream faults against real processes and sockets: {@code test-peers/faulty-server.mjs} (one
 * node process, one MCP endpoint per fault) and a healthy official-SDK server in another process.
 * Each fault must end as a JSON-RPC error within the configured timeout; under concurrent traffic
 * the faults must not disturb calls to the healthy upstream; and after rounds of faults (10 MiB
 * answers included) the gateway's heap returns to its baseline and nothing stays open.
 */
class UpstreamFaultsTest {
  /** The faults of faulty-server.mjs, plus "refused": a port nothing listens on. */
  static final List<String> FAULTS = List.of("refused", "reset", "stall", "garbage", "huge", "huge-sse", "close");
  static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

  static NodePeer faulty;
  static NodePeer healthy;
  static int closedPort;
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  /** The agents' side: enough connections that no agent waits for another's (as separate agents would not). */
  WebClient agents;

  @BeforeAll
  static void peers() throws IOException {
    faulty = NodePeer.start("faulty-server.mjs", Map.of());
    healthy = NodePeer.start("paged-server.mjs", Map.of("TOOL_COUNT", "3", "PROMPTS", "off"));
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
  }

  @AfterAll
  static void stopPeers() {
    faulty.close();
    healthy.close();
  }

  @AfterEach
  void stop() {
    if (agents != null) agents.close();
    if (gw != null) result(gw.stop());
    result(vertx.close());
  }

  void startGateway(long requestTimeoutMs) {
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("upstream").put("request_timeout_ms", requestTimeoutMs).put("max_response_bytes", MAX_RESPONSE_BYTES)
        .put("breaker_failures", 1000); // these tests are about each fault, not about the breaker tripping on them
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    agents = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gw.gateway.port()),
        new PoolOptions().setHttp1MaxSize(200));
    register("healthy", healthy.url("/mcp"));
    for (String fault : FAULTS) {
      register("f-" + fault, fault.equals("refused") ? "http://127.0.0.1:" + closedPort + "/mcp" : faulty.url("/" + fault + "/mcp"));
    }
  }

  void register(String id, String hostname) {
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", hostname).put("auth_type", "unauthenticated")));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    if (!id.equals("f-refused")) {
      String status = result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
          .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()).bodyAsJsonObject().getJsonObject("result").getString("status");
      assertEquals("ready", status, id);
    }
  }

  @Test
  void everyFaultEndsAsAJsonRpcErrorWithErrorDetails() {
    startGateway(2_000);
    for (String fault : FAULTS) {
      JsonObject answer = result(openAndCall("f-" + fault));
      JsonObject error = answer.getJsonObject("error");
      assertNotNull(error, fault + ": " + answer.encode().substring(0, Math.min(300, answer.encode().length())));
      JsonObject data = error.getJsonObject("data");
      assertNotNull(data, fault + ": error_details-shaped data");
      assertTrue(data.containsKey("retryable") && data.containsKey("is_upstream"), fault + ": " + data.encode());
      String text = answer.encode();
      assertTrue(text.length() < 4096, fault + ": the error is small, never the upstream's payload");
      switch (fault) {
        case "stall" -> assertEquals(-32001, error.getInteger("code"), "a stalled upstream is a timeout");
        case "refused" -> assertEquals(true, data.getBoolean("retryable"));
        case "huge", "huge-sse", "garbage" -> assertEquals(false, data.getBoolean("retryable"), fault + " is a protocol violation");
        default -> { }
      }
    }
    assertEquals(0, stalledUpstream(), "timed-out requests are not left open upstream");
  }

  @Test
  void oneBadUpstreamNeverDisturbsCallsToAnother() {
    startGateway(10_000);
    List<Long> baseline = healthyRun(4, 40);
    // Bad traffic: calls held by a stalled upstream, plus loops over every other fault.
    List<Future<JsonObject>> stalls = IntStream.range(0, 12).mapToObj(i -> openAndCall("f-stall")).toList();
    AtomicInteger badErrors = new AtomicInteger();
    List<String> otherFaults = FAULTS.stream().filter(f -> !f.equals("stall")).toList();
    List<Future<Void>> badLoops = IntStream.range(0, 3).mapToObj(i -> badLoop(otherFaults, 4, badErrors)).toList();
    List<Long> underFaults = healthyRun(4, 40);
    result(Future.all(badLoops));
    assertEquals(12, stalledUpstream(), "the stalled calls were still held upstream while the healthy traffic completed");
    for (Future<JsonObject> stall : stalls) {
      assertEquals(-32001, result(stall).getJsonObject("error").getInteger("code"), "each stalled call ends as a timeout");
    }
    assertEquals(3 * 4 * otherFaults.size(), badErrors.get(), "every faulty call ended as a JSON-RPC error");
    report("healthy tools/call latency (ms), 4 agents x 40 calls", baseline, underFaults);
  }

  @Test
  void afterRoundsOfFaultsTheHeapIsBackToBaselineAndNothingStaysOpen() {
    startGateway(1_500);
    faultRound(); // warm-up: classes, pools, meters
    long before = heapAfterGc();
    for (int round = 0; round < 4; round++) faultRound();
    long after = heapAfterGc();
    long grownMiB = (after - before) / (1024 * 1024);
    System.out.printf(Locale.ROOT, "[faults] heap after GC: before %d MiB, after 4 rounds of %d faults (8 x 10 MiB answers) %d MiB%n",
        before >> 20, FAULTS.size(), after >> 20);
    assertTrue(grownMiB < 12, "the heap grew by " + grownMiB + " MiB over 4 rounds: something keeps fault answers alive");
    PrometheusText metrics = PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString());
    assertEquals(0.0, metrics.value("mcp_gateway_sse_streams_open", Map.of()), "no SSE stream to an agent stays open");
    assertEquals(0, stalledUpstream(), "no upstream request stays open");
  }

  /** One call to each fault, at once, with the 10 MiB faults doubled; every call must end in an error. */
  void faultRound() {
    List<String> round = new ArrayList<>(FAULTS);
    round.add("huge");
    round.add("huge-sse");
    List<JsonObject> answers = result(Future.all(round.stream().map(f -> openAndCall("f-" + f)).toList())).list();
    for (int i = 0; i < answers.size(); i++) assertNotNull(answers.get(i).getJsonObject("error"), round.get(i));
  }

  /** {@code agents} sessions to the healthy upstream, each calling a tool {@code calls} times in sequence; all must succeed. */
  List<Long> healthyRun(int agents, int calls) {
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> runs = IntStream.range(0, agents).mapToObj(a -> open("healthy").compose(session -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < calls; i++) {
        int id = i + 2;
        chain = chain.compose(v -> {
          long start = System.nanoTime();
          return call("healthy", session, id, "tool-001").map(answer -> {
            latencies.add((System.nanoTime() - start) / 1_000);
            JsonArray content = answer.getJsonObject("result", new JsonObject()).getJsonArray("content");
            if (content == null || !content.getJsonObject(0).getString("text").equals("tool-001 ok")) {
              throw new AssertionError("healthy call failed: " + answer.encode());
            }
            return null;
          });
        });
      }
      return chain;
    })).toList();
    result(Future.all(runs));
    assertEquals(agents * calls, latencies.size());
    return latencies;
  }

  Future<Void> badLoop(List<String> faults, int rounds, AtomicInteger errors) {
    Future<Void> chain = Future.succeededFuture();
    for (int r = 0; r < rounds; r++) {
      for (String fault : faults) {
        chain = chain.compose(v -> openAndCall("f-" + fault).map(answer -> {
          if (answer.containsKey("error")) errors.incrementAndGet();
          return null;
        }));
      }
    }
    return chain;
  }

  /** Opens a session and calls the upstream's tool once; a failed initialize is the answer itself. */
  Future<JsonObject> openAndCall(String server) {
    return initialize(server).compose(init -> {
      String session = init.getHeader("Mcp-Session-Id");
      if (session == null) return Future.succeededFuture(lastMessage(init.bodyAsString()));
      return initialized(server, session).compose(v -> call(server, session, 2, "work"));
    });
  }

  Future<String> open(String server) {
    return initialize(server).compose(init -> {
      String session = init.getHeader("Mcp-Session-Id");
      if (session == null) return Future.failedFuture(new AssertionError(server + " initialize: " + init.bodyAsString()));
      return initialized(server, session).map(session);
    });
  }

  Future<HttpResponse<Buffer>> initialize(String server) {
    return mcp(server, null).sendJsonObject(rpc(1, "initialize", new JsonObject().put("protocolVersion", "2025-06-18")
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "faults").put("version", "1"))));
  }

  Future<Void> initialized(String server, String session) {
    return mcp(server, session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
        .map(r -> {
          if (r.statusCode() != 202) throw new AssertionError("notifications/initialized: " + r.statusCode());
          return null;
        });
  }

  Future<JsonObject> call(String server, String session, int id, String tool) {
    return mcp(server, session).putHeader("MCP-Protocol-Version", "2025-06-18")
        .sendJsonObject(rpc(id, "tools/call", new JsonObject().put("name", tool).put("arguments", new JsonObject())
            .put("_meta", new JsonObject().put("progressToken", id))))
        .map(r -> lastMessage(r.bodyAsString()));
  }

  HttpRequest<Buffer> mcp(String server, String session) {
    HttpRequest<Buffer> request = agents.request(HttpMethod.POST, TestGateway.mcp("acme", server))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream")
        .putHeader("Content-Type", "application/json");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }

  static JsonObject rpc(int id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /** The final JSON-RPC message of a JSON or SSE answer (progress notifications come before it). */
  static JsonObject lastMessage(String body) {
    if (body.trim().startsWith("{")) return new JsonObject(body);
    String[] lines = body.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("data: ")) return new JsonObject(lines[i].substring(6));
    }
    throw new AssertionError("no message in: " + body.substring(0, Math.min(300, body.length())));
  }

  /** Requests the faulty upstream is holding open right now (its /stats). */
  int stalledUpstream() {
    return result(gw.client.getAbs(faulty.url("/stats")).send()).bodyAsJsonObject().getInteger("stalled");
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Prints (and keeps in target/) the healthy latency figures: evidence, not an assertion. */
  static void report(String what, List<Long> baseline, List<Long> underFaults) {
    String line = String.format(Locale.ROOT, "[faults] %s: alone p50 %.1f p99 %.1f max %.1f | beside faulty upstreams p50 %.1f p99 %.1f max %.1f%n",
        what, pct(baseline, 50), pct(baseline, 99), pct(baseline, 100), pct(underFaults, 50), pct(underFaults, 99), pct(underFaults, 100));
    System.out.print(line);
    try {
      Files.writeString(Path.of("target", "fault-isolation.txt"), line);
    } catch (IOException ignored) {
      // the figures are also on stdout
    }
  }

  static double pct(List<Long> micros, int p) {
    List<Long> sorted = micros.stream().sorted().toList();
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1000.0;
  }
}
