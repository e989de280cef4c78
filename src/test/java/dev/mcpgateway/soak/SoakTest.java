package dev.mcpgateway.soak;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.PrometheusText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: the gateway as a real process under minutes of mixed traffic on many sessions, with
 * faults injected all along, then checked for lost writes, unexpected errors and heap growth.
 * Not in the default test run ({@code @Tag("soak")}); run it with {@code scripts/soak.sh}
 * ({@code SOAK_SECONDS}, default 300).
 *
 * <p>Traffic: agents on a healthy official-SDK upstream and on server-everything (sessions opened,
 * listed, called and deleted over and over); admin writers creating, updating and deleting servers;
 * admin readers; background syncs every few seconds. Faults: agents calling an upstream that
 * resets, stalls, answers garbage or 10 MiB; an upstream killed with SIGKILL and restarted every
 * 40 s while agents use it; agents that hang up mid-call. Expected: every healthy call and every
 * admin request succeeds; every call to a faulty upstream ends as a JSON-RPC error; every call to
 * the killed upstream ends as a result or a JSON-RPC error (never a hang, a 5xx or a non-JSON
 * body); every acknowledged write is there at the end; the heap after GC at the end is where it
 * was after the first minute.
 */
@Tag("soak")
class SoakTest {
  static final long SECONDS = Long.getLong("soak.seconds", 300);
  static final String ADMIN = "soak-admin-token";
  static final String AGENT = "soak-agent-token";
  static final String API = "/accounts/soak/access/ai-controls/mcp/servers";
  static final List<String> FAULTS = List.of("reset", "stall", "garbage", "huge", "huge-sse", "close");

  @TempDir Path dataDir;
  final AtomicBoolean running = new AtomicBoolean(true);
  final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
  /** Acknowledged admin writes: server id → its description as last acknowledged, or null once deleted. */
  final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  final List<long[]> heapSamples = new ArrayList<>(); // {seconds, heap bytes after GC, rss bytes}

  Vertx vertx;
  int port;
  WebClient client;
  HttpClient raw;

  @Test
  @Timeout(value = 3600)
  void mixedTrafficWithFaultsForMinutes() throws Exception {
    try (NodePeer healthy = NodePeer.start("paged-server.mjs", Map.of("TOOL_COUNT", "20", "PROMPT_COUNT", "5"));
         NodePeer everything = NodePeer.everything("streamableHttp");
         NodePeer faulty = NodePeer.start("faulty-server.mjs", Map.of())) {
      int flakyPort = GatewayProcess.freePort();
      NodePeer[] flaky = {NodePeer.start("paged-server.mjs", Map.of("PORT", Integer.toString(flakyPort), "TOOL_COUNT", "5", "PROMPTS", "off"))};
      GatewayProcess gateway = GatewayProcess.start(dataDir, GatewayProcess.freePort(), Map.ofEntries(
          Map.entry("GATEWAY_ADMIN_TOKEN", ADMIN), Map.entry("GATEWAY_CLIENT_TOKEN", AGENT),
          Map.entry("GATEWAY_CLIENT_RPS", "0"), Map.entry("GATEWAY_ACCOUNT_RPS", "0"), Map.entry("GATEWAY_AUTH_FAILURES_PER_MINUTE", "0"),
          Map.entry("GATEWAY_UPSTREAM_REQUEST_TIMEOUT_MS", "3000"), Map.entry("GATEWAY_UPSTREAM_MAX_RESPONSE_BYTES", "8388608"),
          Map.entry("GATEWAY_SYNC_INTERVAL_MS", "15000"), Map.entry("GATEWAY_SYNC_SWEEP_MS", "5000"),
          Map.entry("GATEWAY_SYNC_RETRY_BASE_MS", "5000"), Map.entry("GATEWAY_ACCESS_LOG", "false")));
      vertx = Vertx.vertx();
      port = gateway.port;
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port)
          .setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(200));
      raw = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(20));
      try {
        register("healthy", healthy.url("/mcp"), true);
        register("everything", everything.url("/mcp"), true);
        register("flaky", "http://127.0.0.1:" + flakyPort + "/mcp", true);
        for (String fault : FAULTS) register("f-" + fault, faulty.url("/" + fault + "/mcp"), true);

        List<Future<Void>> loops = new ArrayList<>();
        IntStream.range(0, 16).forEach(i -> loops.add(agentLoop("healthy", "tool-001", 20, true)));
        IntStream.range(0, 4).forEach(i -> loops.add(agentLoop("everything", "echo", 50, true)));
        IntStream.range(0, 4).forEach(i -> loops.add(agentLoop("flaky", "tool-001", 50, false)));
        IntStream.range(0, 3).forEach(i -> loops.add(faultLoop(i)));
        IntStream.range(0, 2).forEach(i -> loops.add(writerLoop(i)));
        loops.add(readerLoop());
        loops.add(hangUpLoop(everything));

        long start = System.nanoTime();
        long nextKill = 40;
        long nextSample = 60;
        while (elapsed(start) < SECONDS) {
          Thread.sleep(1000);
          if (elapsed(start) >= nextKill) {
            flaky[0].close(); // SIGTERM then SIGKILL of the whole tree: the upstream is simply gone
            count("fault.upstream_killed");
            Thread.sleep(3000);
            flaky[0] = NodePeer.start("paged-server.mjs", Map.of("PORT", Integer.toString(flakyPort), "TOOL_COUNT", "5", "PROMPTS", "off"));
            nextKill += 40;
          }
          if (elapsed(start) >= nextSample) {
            heapSamples.add(new long[] {elapsed(start), heapAfterGc(gateway), rss(gateway)});
            nextSample += 30;
          }
        }
        running.set(false);
        result(Future.join(loops).otherwiseEmpty());
        heapSamples.add(new long[] {elapsed(start), heapAfterGc(gateway), rss(gateway)});
        long lost = verifyWrites();
        String report = report(elapsed(start), lost);
        System.out.print(report);
        Files.writeString(Path.of("target", "soak-report.md"), report);
        assertTrue(gateway.isAlive(), "the gateway is still running");
        assertEquals(0, lost, "every acknowledged write is stored");
        assertEquals(List.of(), List.copyOf(unexpected).subList(0, Math.min(20, unexpected.size())), "no unexpected errors");
        long first = heapSamples.get(0)[1];
        long last = heapSamples.get(heapSamples.size() - 1)[1];
        assertTrue(last <= first + Math.max(16L << 20, first / 4),
            "heap after GC flat from minute 1 to the end: " + (first >> 20) + " MiB → " + (last >> 20) + " MiB");
      } finally {
        running.set(false);
        flaky[0].close();
        gateway.terminate(Duration.ofSeconds(20));
        vertx.close().toCompletionStage().toCompletableFuture().get();
      }
    }
  }

  // ---------------------------------------------------------------- traffic

  /** Sessions opened, listed, called 5 times and deleted, over and over. */
  Future<Void> agentLoop(String server, String tool, long thinkMs, boolean mustSucceed) {
    return repeat(() -> open(server).compose(session -> {
      Future<Void> chain = send(server, session, rpc(2, "tools/list", new JsonObject())).map(answer -> {
        check(server, "tools/list", answer, mustSucceed);
        return null;
      });
      for (int i = 0; i < 5; i++) {
        int id = 3 + i;
        chain = chain.compose(v -> pause(thinkMs)).compose(v -> send(server, session, rpc(id, "tools/call", new JsonObject().put("name", tool)
            .put("arguments", new JsonObject().put("message", "soak").put("text", "soak"))))).map(answer -> {
              check(server, "tools/call", answer, mustSucceed);
              return null;
            });
      }
      return chain.compose(v -> client.delete(mcpPath(server)).putHeader("Authorization", "Bearer " + AGENT)
          .putHeader("Mcp-Session-Id", session).send()).map(r -> {
            if (mustSucceed && r.statusCode() != 200 && r.statusCode() != 204) unexpected(server + " DELETE: " + r.statusCode());
            count(server + ".sessions");
            return (Void) null;
          });
    }).<Void>mapEmpty().recover(failure -> {
      if (mustSucceed) unexpected(server + " session: " + failure.getMessage());
      else count(server + ".session_failed");
      return pause(200);
    }));
  }

  void check(String server, String method, Answer answer, boolean mustSucceed) {
    if (answer.json() != null && answer.json().containsKey("result")) {
      count(server + "." + method + ".ok");
    } else if (!mustSucceed && answer.json() != null && answer.json().containsKey("error") && answer.status() < 500) {
      count(server + "." + method + ".jsonrpc_error");
    } else {
      unexpected(server + " " + method + ": HTTP " + answer.status() + " " + answer.snippet());
    }
  }

  /** Calls to upstreams that misbehave on purpose: each must end as a JSON-RPC error, never a hang or a 5xx. */
  Future<Void> faultLoop(int offset) {
    AtomicLong turn = new AtomicLong(offset);
    return repeat(() -> {
      String server = "f-" + FAULTS.get((int) (turn.getAndIncrement() % FAULTS.size()));
      return open(server).compose(session -> send(server, session, rpc(2, "tools/call", new JsonObject().put("name", "work")
          .put("_meta", new JsonObject().put("progressToken", 1))))).map(answer -> {
            if (answer.json() != null && answer.json().containsKey("error") && answer.status() == 200) count("fault.calls_answered_with_error");
            else unexpected(server + ": HTTP " + answer.status() + " " + answer.snippet());
            return null;
          }).recover(failure -> {
            unexpected(server + ": " + failure.getMessage());
            return Future.succeededFuture();
          }).compose(v -> pause(100));
    });
  }

  /** Agents that send a long call and hang up 300 ms later: the gateway must cancel upstream and stay healthy. */
  Future<Void> hangUpLoop(NodePeer everything) {
    return repeat(() -> open("everything").compose(session -> {
      Promise<Void> done = Promise.promise();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI(mcpPath("everything")).putHeader("Authorization", "Bearer " + AGENT).putHeader("Mcp-Session-Id", session)
          .putHeader("Accept", "application/json, text/event-stream").putHeader("Content-Type", "application/json");
      raw.request(options).onFailure(done::tryFail).onSuccess(request -> {
        request.send(rpc(9, "tools/call", new JsonObject().put("name", "trigger-long-running-operation")
            .put("arguments", new JsonObject().put("duration", 5).put("steps", 5)).put("_meta", new JsonObject().put("progressToken", 9)))
            .encode()).onFailure(ignored -> { });
        vertx.setTimer(300, t -> {
          request.reset();
          count("fault.agent_hung_up");
          done.tryComplete();
        });
      });
      return done.future();
    }).recover(failure -> {
      unexpected("hang-up loop: " + failure.getMessage());
      return Future.succeededFuture();
    }).compose(v -> pause(500)));
  }

  /** Creates servers, updates them, deletes some; records what the gateway acknowledged with 2xx. */
  Future<Void> writerLoop(int writer) {
    AtomicLong n = new AtomicLong();
    return repeat(() -> {
      String id = "w" + writer + "-" + n.getAndIncrement();
      JsonObject create = new JsonObject().put("id", id).put("name", "soak " + id).put("hostname", "http://127.0.0.1:9/mcp")
          .put("auth_type", "unauthenticated").put("description", "created");
      return client.post(API).putHeader("Authorization", "Bearer " + ADMIN).sendJsonObject(create).compose(created -> {
        if (created.statusCode() != 200) return Future.failedFuture("create " + id + ": " + created.statusCode() + " " + created.bodyAsString());
        acknowledged.put(id, "created");
        count("admin.writes");
        return client.put(API + "/" + id).putHeader("Authorization", "Bearer " + ADMIN)
            .sendJsonObject(new JsonObject().put("description", "updated " + n.get()));
      }).compose(updated -> {
        if (updated.statusCode() != 200) return Future.failedFuture("update " + id + ": " + updated.statusCode());
        acknowledged.put(id, "updated " + n.get());
        count("admin.writes");
        if (n.get() % 3 != 0) return Future.succeededFuture();
        return client.delete(API + "/" + id).putHeader("Authorization", "Bearer " + ADMIN).send().compose(deleted -> {
          if (deleted.statusCode() != 200) return Future.failedFuture("delete " + id + ": " + deleted.statusCode());
          acknowledged.put(id, "(deleted)");
          count("admin.writes");
          return Future.succeededFuture();
        });
      }).<Void>mapEmpty().recover(failure -> {
        unexpected("writer: " + failure.getMessage());
        return Future.succeededFuture();
      }).compose(v -> pause(20));
    });
  }

  Future<Void> readerLoop() {
    return repeat(() -> Future.join(
        client.get(API).addQueryParam("per_page", "50").putHeader("Authorization", "Bearer " + ADMIN).send(),
        client.get(API + "/healthy").putHeader("Authorization", "Bearer " + ADMIN).send(),
        client.get("/accounts/soak/access/ai-controls/mcp/audit").putHeader("Authorization", "Bearer " + ADMIN).send(),
        client.post(API + "/everything/sync").putHeader("Authorization", "Bearer " + ADMIN).send())
        .map(all -> {
          for (int i = 0; i < all.size(); i++) {
            HttpResponse<Buffer> r = all.resultAt(i);
            if (r.statusCode() == 200) count("admin.reads");
            else unexpected("reader: " + r.statusCode() + " " + r.bodyAsString());
          }
          return (Void) null;
        }).recover(failure -> {
          unexpected("reader: " + failure.getMessage());
          return Future.succeededFuture();
        }).compose(v -> pause(200)));
  }

  // ---------------------------------------------------------------- checks

  long verifyWrites() {
    long lost = 0;
    for (Map.Entry<String, String> write : acknowledged.entrySet()) {
      HttpResponse<Buffer> read = result(client.get(API + "/" + write.getKey()).putHeader("Authorization", "Bearer " + ADMIN).send());
      boolean ok = write.getValue().equals("(deleted)") ? read.statusCode() == 404
          : read.statusCode() == 200 && write.getValue().equals(read.bodyAsJsonObject().getJsonObject("result").getString("description"));
      if (!ok) {
        lost++;
        unexpected("write of " + write.getKey() + " (" + write.getValue() + ") not found: " + read.statusCode());
      }
    }
    return lost;
  }

  String report(long seconds, long lost) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "# Soak report%n%n%d s of mixed traffic with faults; %d acknowledged admin writes checked, %d lost; %d unexpected errors.%n%n"
            + "| counter | value |%n| --- | --- |%n", seconds, acknowledged.size(), lost, unexpected.size()));
    counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.append("| ").append(e.getKey()).append(" | ").append(String.format(Locale.ROOT, "%,d", e.getValue().get())).append(" |\n"));
    out.append("\n| at (s) | heap after GC (MiB) | RSS (MiB) |\n| --- | --- | --- |\n");
    for (long[] sample : heapSamples) out.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f |%n", sample[0], sample[1] / 1048576.0, sample[2] / 1048576.0));
    unexpected.stream().limit(20).forEach(u -> out.append("\nunexpected: ").append(u));
    return out.append('\n').toString();
  }

  long heapAfterGc(GatewayProcess gateway) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(gateway.pid()), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!gc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) gc.destroyForcibly();
    PrometheusText metrics = PrometheusText.parse(result(client.get("/metrics").send()).bodyAsString());
    return (long) metrics.value("jvm_memory_used_bytes", Map.of("area", "heap"));
  }

  static long rss(GatewayProcess gateway) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(gateway.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
    return 0;
  }

  // ---------------------------------------------------------------- MCP plumbing

  record Answer(int status, JsonObject json, String snippet) {}

  Future<String> open(String server) {
    return send(server, null, rpc(1, "initialize", new JsonObject().put("protocolVersion", "2025-06-18")
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "soak").put("version", "1"))))
        .compose(answer -> answer.json() != null && answer.json().containsKey("result") && answer.snippet().startsWith("session:")
            ? Future.succeededFuture(answer.snippet().substring(8))
            : Future.failedFuture(server + " initialize: HTTP " + answer.status() + " " + answer.snippet()))
        .compose(session -> mcp(server, session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
            .map(session));
  }

  Future<Answer> send(String server, String session, JsonObject message) {
    return mcp(server, session).sendJsonObject(message).map(response -> {
      String body = response.bodyAsString();
      JsonObject json = lastMessage(body);
      String session2 = response.getHeader("Mcp-Session-Id");
      String snippet = session == null && session2 != null ? "session:" + session2
          : body == null ? "" : body.substring(0, Math.min(200, body.length()));
      return new Answer(response.statusCode(), json, snippet);
    });
  }

  HttpRequest<Buffer> mcp(String server, String session) {
    HttpRequest<Buffer> request = client.post(mcpPath(server)).putHeader("Authorization", "Bearer " + AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("Content-Type", "application/json")
        .timeout(30_000);
    if (session != null) request.putHeader("Mcp-Session-Id", session).putHeader("MCP-Protocol-Version", "2025-06-18");
    return request;
  }

  static String mcpPath(String server) {
    return "/mcp/soak/" + server;
  }

  static JsonObject rpc(int id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /** The final JSON-RPC message of a JSON or SSE body, or null when the body is neither. */
  static JsonObject lastMessage(String body) {
    if (body == null) return null;
    try {
      if (body.trim().startsWith("{")) return new JsonObject(body);
      String[] lines = body.split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (lines[i].startsWith("data: ")) {
          JsonObject message = new JsonObject(lines[i].substring(6));
          if (message.containsKey("id")) return message;
        }
      }
    } catch (RuntimeException notJson) {
      return null;
    }
    return null;
  }

  void register(String id, String hostname, boolean sync) {
    HttpResponse<Buffer> created = result(client.post(API).putHeader("Authorization", "Bearer " + ADMIN)
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", hostname).put("auth_type", "unauthenticated")
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "tool-004").put("enabled", false)))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    if (sync) {
      JsonObject outcome = result(client.post(API + "/" + id + "/sync").putHeader("Authorization", "Bearer " + ADMIN).send())
          .bodyAsJsonObject().getJsonObject("result");
      assertEquals("ready", outcome.getString("status"), id + ": " + outcome.encode());
    }
  }

  // ---------------------------------------------------------------- helpers

  Future<Void> repeat(java.util.function.Supplier<Future<Void>> step) {
    if (!running.get()) return Future.succeededFuture();
    return step.get().recover(failure -> {
      unexpected("loop: " + failure);
      return Future.succeededFuture();
    }).compose(v -> repeat(step));
  }

  Future<Void> pause(long millis) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, t -> promise.complete());
    return promise.future();
  }

  void count(String key) {
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  void unexpected(String what) {
    unexpected.add(what);
    count("unexpected");
  }

  static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000_000L;
  }
}
