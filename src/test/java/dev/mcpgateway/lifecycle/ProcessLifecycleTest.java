package dev.mcpgateway.lifecycle;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.GatewayProcess;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway as a real process: killed -9 in a loop while a client writes, and stopped with SIGTERM. */
class ProcessLifecycleTest {
  static final String ADMIN = "lifecycle-admin-token";
  static final String AGENT = "lifecycle-agent-token";
  @TempDir Path dataDir;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

  String api(int port) {
    return "http://127.0.0.1:" + port + "/accounts/acme/access/ai-controls/mcp/servers";
  }

  HttpResponse<String> post(String url, String token, JsonObject body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  Set<String> storedIds(int port) throws Exception {
    Set<String> ids = new HashSet<>();
    for (int page = 1; ; page++) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api(port) + "?per_page=100&page=" + page))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(response.body());
      body.getJsonArray("result").forEach(s -> ids.add(((JsonObject) s).getString("id")));
      if (page >= body.getJsonObject("result_info").getInteger("total_pages")) return ids;
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(240)
  void everyAcknowledgedWriteSurvivesKillMinusNineInALoop() throws Exception {
    int port = GatewayProcess.freePort();
    Map<String, String> env = Map.of("GATEWAY_ADMIN_TOKEN", ADMIN);
    Set<String> acknowledged = new HashSet<>();
    AtomicInteger next = new AtomicInteger();
    int kills = 0;
    while (kills < 20 || acknowledged.size() < 200) {
      GatewayProcess gateway = GatewayProcess.start(dataDir, port, env);
      Set<String> stored = storedIds(port);
      assertTrue(stored.containsAll(acknowledged), "lost after kill " + kills + ": " + diff(acknowledged, stored));
      // write until the kill, from another thread, recording only what was acknowledged with 200
      AtomicBoolean writing = new AtomicBoolean(true);
      java.util.List<String> acked = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        while (writing.get()) {
          String id = "w-" + next.incrementAndGet();
          try {
            HttpResponse<String> response = post(api(port), ADMIN, new JsonObject().put("id", id).put("name", id)
                .put("hostname", "https://" + id + ".example/mcp").put("auth_type", "unauthenticated"));
            if (response.statusCode() == 200) acked.add(id);
          } catch (Exception e) {
            return; // the process died under the request: not acknowledged
          }
        }
      });
      Thread.sleep(150 + (kills * 37) % 200);
      gateway.kill();
      writing.set(false);
      writer.join();
      acknowledged.addAll(acked);
      kills++;
    }
    GatewayProcess last = GatewayProcess.start(dataDir, port, env);
    Set<String> stored = storedIds(port);
    assertTrue(stored.containsAll(acknowledged), "lost at the end: " + diff(acknowledged, stored));
    last.terminate(Duration.ofSeconds(20));
    System.out.printf("kill -9 loop: %d kills, %d acknowledged writes, all present%n", kills, acknowledged.size());
  }

  /**
   * An idle gateway does not sit out its grace period (set far longer than the wait here), and a
   * normal start and stop log nothing at WARN or above and no stack trace.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void sigtermOnAnIdleGatewayExitsWithoutWaitingOutTheGraceAndLogsNothingAlarming() throws Exception {
    int port = GatewayProcess.freePort();
    GatewayProcess gateway = GatewayProcess.start(dataDir, port, Map.of("GATEWAY_ADMIN_TOKEN", ADMIN,
        "GATEWAY_SHUTDOWN_GRACE_MS", "300000"));
    // what a normal start sees: probes and a scrape, each on a connection of its own (Vert.x
    // registers its connection and request gauges again for each), and an admin client that keeps
    // its connection open
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/health/live")) {
      HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertEquals(200, fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode(), path);
    }
    assertTrue(storedIds(port).isEmpty());
    int exit = gateway.terminate(Duration.ofSeconds(60));
    assertEquals(143, exit, "stopped by SIGTERM");
    assertCleanLog(gateway.log());
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void sigtermLetsTheInFlightCallFinishAndEndsTheUpstreamSession() throws Exception {
    Vertx vertx = Vertx.vertx();
    CopyOnWriteArrayList<String> upstreamSaw = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> callArrived = new CompletableFuture<>();
    Promise<Void> release = Promise.promise();
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> holdsTheCall = FakeUpstream.gated(vertx,
        new JsonArray().add(new JsonObject().put("name", "slow")), method -> {
          if (!method.equals("tools/call")) return io.vertx.core.Future.succeededFuture();
          callArrived.complete(null);
          return release.future();
        });
    FakeUpstream upstream = result(FakeUpstream.start(vertx, request -> {
      upstreamSaw.add(request.method().name());
      holdsTheCall.handle(request);
    }));
    int port = GatewayProcess.freePort();
    GatewayProcess gateway = GatewayProcess.start(dataDir, port, Map.of("GATEWAY_ADMIN_TOKEN", ADMIN, "GATEWAY_CLIENT_TOKEN", AGENT,
        "GATEWAY_SHUTDOWN_GRACE_MS", "30000"));
    try {
      String mcp = "http://127.0.0.1:" + port + "/mcp/acme/srv";
      String session = serverAndSession(port, upstream.url());
      CompletableFuture<HttpResponse<String>> call = http.sendAsync(HttpRequest.newBuilder(URI.create(mcp)).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + AGENT).header("Mcp-Session-Id", session).header("Content-Type", "application/json")
          .header("Accept", "application/json, text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call")
              .put("params", new JsonObject().put("name", "slow")).encode())).build(), HttpResponse.BodyHandlers.ofString());
      callArrived.get(20, TimeUnit.SECONDS);
      upstreamSaw.clear();
      gateway.sigterm();
      // the gateway is stopping (no longer accepting) while the call is still held upstream
      Await.until(() -> !canConnect(port), "the gateway stops accepting connections");
      assertFalse(call.isDone(), "the call is still upstream when the shutdown begins");
      release.complete();
      HttpResponse<String> answered = call.get(30, TimeUnit.SECONDS);
      assertEquals(200, answered.statusCode(), answered.body());
      assertTrue(new JsonObject(answered.body()).containsKey("result"), "the in-flight call finished: " + answered.body());
      int exit = gateway.awaitExit(Duration.ofSeconds(60));
      assertTrue(upstreamSaw.contains("DELETE"), "the agent's session was ended upstream: " + upstreamSaw);
      assertEquals(143, exit, "stopped by SIGTERM");
      assertCleanLog(gateway.log());
    } finally {
      release.tryComplete();
      if (gateway.isAlive()) gateway.kill();
      result(upstream.stop());
      result(vertx.close());
    }
  }

  /**
   * An agent's GET stream never ends by itself: at SIGTERM its connection is closed (the agent
   * reconnects elsewhere) and the upstream's stream released, instead of the shutdown waiting out
   * a grace period set far longer than the wait here.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void sigtermClosesOpenAgentStreamsInsteadOfWaitingOutTheGrace() throws Exception {
    Vertx vertx = Vertx.vertx();
    CompletableFuture<Void> upstreamStreamClosed = new CompletableFuture<>();
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> tools = FakeUpstream.wellBehaved(vertx,
        new JsonArray().add(new JsonObject().put("name", "echo")), 0);
    FakeUpstream upstream = result(FakeUpstream.start(vertx, request -> {
      if (request.method() != io.vertx.core.http.HttpMethod.GET) {
        tools.handle(request);
        return;
      }
      // the upstream's server-to-client stream: open, quiet, never ended by the upstream
      request.response().closeHandler(v -> upstreamStreamClosed.complete(null));
      request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(": open\n\n");
    }));
    int port = GatewayProcess.freePort();
    GatewayProcess gateway = GatewayProcess.start(dataDir, port, Map.of("GATEWAY_ADMIN_TOKEN", ADMIN, "GATEWAY_CLIENT_TOKEN", AGENT,
        "GATEWAY_SHUTDOWN_GRACE_MS", "300000"));
    try {
      String mcp = "http://127.0.0.1:" + port + "/mcp/acme/srv";
      String session = serverAndSession(port, upstream.url());
      HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(mcp)).GET()
          .header("Authorization", "Bearer " + AGENT).header("Mcp-Session-Id", session).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, stream.statusCode(), "the agent's stream is open");
      CompletableFuture<byte[]> whole = CompletableFuture.supplyAsync(() -> {
        try (java.io.InputStream body = stream.body()) {
          return body.readAllBytes(); // returns once the gateway closes the stream
        } catch (java.io.IOException closed) {
          return new byte[0];
        }
      });
      gateway.sigterm();
      int exit = gateway.awaitExit(Duration.ofSeconds(60));
      assertEquals(143, exit, "stopped by SIGTERM, without waiting out the 300 s grace");
      whole.get(10, TimeUnit.SECONDS);
      upstreamStreamClosed.get(10, TimeUnit.SECONDS);
      assertCleanLog(gateway.log());
    } finally {
      if (gateway.isAlive()) gateway.kill();
      result(upstream.stop());
      result(vertx.close());
    }
  }

  /** Registers server "srv" at {@code upstreamUrl} and opens an agent session on it; answers the session id. */
  String serverAndSession(int port, String upstreamUrl) throws Exception {
    assertEquals(200, post(api(port), ADMIN, new JsonObject().put("id", "srv").put("name", "srv").put("hostname", upstreamUrl)
        .put("auth_type", "unauthenticated")).statusCode());
    HttpResponse<String> init = post("http://127.0.0.1:" + port + "/mcp/acme/srv", AGENT, new JsonObject().put("jsonrpc", "2.0").put("id", 1)
        .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))));
    return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  /** No line at WARN or above, and no stack trace (JSON log lines; an uncaught exception prints raw). */
  static void assertCleanLog(String log) {
    List<String> alarming = log.lines()
        .filter(line -> line.contains("\"level\":\"WARNING\"") || line.contains("\"level\":\"SEVERE\"")
            || line.contains("Exception") || line.stripLeading().startsWith("at "))
        .toList();
    assertTrue(alarming.isEmpty(), "the log of a normal start and stop:\n" + log);
  }

  static boolean canConnect(int port) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static Set<String> diff(Set<String> expected, Set<String> actual) {
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(actual);
    return missing;
  }
}
