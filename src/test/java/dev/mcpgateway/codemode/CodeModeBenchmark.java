package dev.mcpgateway.codemode;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.config.CodeModeSettings;
import dev.mcpgateway.config.GatewayConfig;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Code Mode benchmark ({@code bench/codemode.sh}, not part of the test suite). In one run, so
 * that only ratios are compared: a sandbox process's start-up and a warm run's latency; through a
 * real gateway (embedded store, loopback HTTP, a portal of three upstreams), a script that makes
 * three tool calls against the same three calls made by the agent one by one; and the throughput
 * of ordinary portal calls alone, beside Code Mode runs, and beside code that burns its CPU limit.
 * Prints a Markdown report and writes it to the file named by the first argument, if any.
 */
public final class CodeModeBenchmark {
  static final int WARM_RUNS = Integer.getInteger("codemode.runs", 300);
  static final int WINDOW_S = Integer.getInteger("codemode.window", 10);
  static final int WARMUP = Integer.getInteger("codemode.warmup", 500);
  static final int ORDINARY_CLIENTS = 16;
  static final int CODE_CLIENTS = 2;
  static final String THREE_CALLS = "async () => { const a = await codemode.s1_lookup({n: 1}); const b = await codemode.s2_lookup({n: 2}); "
      + "const c = await codemode.s3_lookup({n: 3}); return a.n + b.n + c.n; }";
  static final String THREE_PARALLEL = "async () => { const r = await Promise.all([codemode.s1_lookup({n: 1}), codemode.s2_lookup({n: 2}), "
      + "codemode.s3_lookup({n: 3})]); return r.reduce((s, x) => s + x.n, 0); }";
  static final String SPIN = "async () => { let x = 0; while (true) x++; }";

  private CodeModeBenchmark() {}

  public static void main(String[] args) throws IOException {
    Vertx vertx = Vertx.vertx();
    StringBuilder md = new StringBuilder("# Code Mode: measured\n\n");
    md.append("Written by `bench/codemode.sh` on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" (")
        .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores; the gateway, its upstreams and the load share them,")
        .append(" the sandboxes run at nice 10). Compare ratios within this run only.\n\n");
    sandboxAlone(vertx, md);
    FakeUpstream upstream = result(FakeUpstream.start(vertx, lookups()));
    TestGateway gw = result(TestGateway.start(vertx, Files.createTempDirectory("codemode-bench"), null));
    try {
      setUp(gw, upstream.url());
      throughGateway(gw, md);
      throughput(vertx, gw, md);
    } finally {
      result(gw.stop());
      result(upstream.stop());
      result(vertx.close());
    }
    System.out.print(md);
    if (args.length > 0) {
      Path out = Path.of(args[0]);
      if (out.getParent() != null) Files.createDirectories(out.getParent());
      Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
      System.err.println("codemode.sh: wrote " + out);
    }
  }

  /** Start-up of a sandbox process (a fresh pool's first run), and a warm run's latency, without the gateway's HTTP. */
  static void sandboxAlone(Vertx vertx, StringBuilder md) {
    CodeModeSettings settings = GatewayConfig.fromJson(new JsonObject()).codeMode();
    long[] cold = new long[5];
    for (int i = 0; i < cold.length; i++) {
      Sandboxes pool = new Sandboxes(vertx, new CodeModeSettings(1, 4, settings.limits()));
      long t0 = System.nanoTime();
      CodeResult first = result(pool.run("acme", "execute", "async () => 1", new JsonArray(), (n, a) -> Future.failedFuture("none")));
      cold[i] = System.nanoTime() - t0;
      if (!first.ok()) throw new IllegalStateException(first.text());
      result(pool.close());
    }
    Sandboxes pool = new Sandboxes(vertx, new CodeModeSettings(1, 4, settings.limits()));
    // warm: the sandbox JVM compiles GraalJS's interpreter and the protocol path over its first few hundred runs
    timed(WARMUP, () -> pool.run("acme", "execute", "async () => 1", new JsonArray(), (n, a) -> Future.failedFuture("none")));
    long[] trivial = timed(WARM_RUNS, () -> pool.run("acme", "execute", "async () => 1", new JsonArray(), (n, a) -> Future.failedFuture("none")));
    JsonArray tools = new JsonArray();
    for (String s : new String[] {"s1", "s2", "s3"}) tools.add(new JsonObject().put("name", s + "_lookup").put("tool", s + "_lookup"));
    long[] local = timed(WARM_RUNS, () -> pool.run("acme", "execute", THREE_CALLS, tools,
        (n, a) -> Future.succeededFuture(new JsonObject().put("n", a.getInteger("n")))));
    result(pool.close());
    md.append("## The sandbox alone\n\n| what | runs | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |\n");
    row(md, "a sandbox process's start-up (new pool, first run: JVM + GraalJS + warm-up)", cold);
    row(md, "a warm run of `async () => 1` (a fresh context each run; after " + WARMUP + " warm-up runs)", trivial);
    row(md, "a warm run making 3 tool calls (answered in-process, no upstream)", local);
    md.append('\n');
  }

  static void throughGateway(TestGateway gw, StringBuilder md) {
    for (int i = 0; i < WARMUP; i++) { // warm both paths
      call(gw, "s1_lookup", new JsonObject().put("n", 1));
      code(gw, THREE_CALLS);
    }
    long[] direct = timed(WARM_RUNS, () -> call(gw, "s1_lookup", new JsonObject().put("n", 1))
        .compose(a -> call(gw, "s2_lookup", new JsonObject().put("n", 2)))
        .compose(b -> call(gw, "s3_lookup", new JsonObject().put("n", 3))));
    long[] sequential = timed(WARM_RUNS, () -> code(gw, THREE_CALLS));
    long[] parallel = timed(WARM_RUNS, () -> code(gw, THREE_PARALLEL));
    md.append("## Three tool calls through the gateway (one agent, sequential requests, MCP 2026-07-28 over loopback HTTP)\n\n")
        .append("| what | runs | p50 ms | p99 ms | p50 ÷ three direct calls |\n| --- | ---: | ---: | ---: | ---: |\n");
    row(md, "three `tools/call`, one after another (the agent's three turns, without the model)", direct, direct);
    row(md, "one `portal_codemode_execute`: three awaited calls", sequential, direct);
    row(md, "one `portal_codemode_execute`: `Promise.all` of three", parallel, direct);
    md.append('\n');
  }

  static void throughput(Vertx vertx, TestGateway gw, StringBuilder md) {
    load(vertx, gw, 0, null); // warm-up window
    double[] alone = load(vertx, gw, 0, null);
    double[] beside = load(vertx, gw, CODE_CLIENTS, THREE_CALLS);
    double[] spinning = load(vertx, gw, CODE_CLIENTS, SPIN);
    md.append("## Ordinary portal calls beside Code Mode (").append(WINDOW_S).append(" s windows, closed loop, ").append(ORDINARY_CLIENTS)
        .append(" clients calling tools)\n\n| beside | ordinary calls/s | ÷ alone | code runs/s |\n| --- | ---: | ---: | ---: |\n");
    md.append(String.format(Locale.ROOT, "| nothing | %,.0f | 1.00 | – |%n", alone[0]));
    md.append(String.format(Locale.ROOT, "| %d clients running a 3-call script | %,.0f | %.2f | %,.1f |%n", CODE_CLIENTS, beside[0],
        beside[0] / alone[0], beside[1]));
    md.append(String.format(Locale.ROOT, "| %d clients running code that spins until its statement/CPU limit | %,.0f | %.2f | %,.1f |%n",
        CODE_CLIENTS, spinning[0], spinning[0] / alone[0], spinning[1]));
  }

  /** One window: {@link #ORDINARY_CLIENTS} loops of tools/call and {@code codeClients} loops of {@code script}; calls/s and runs/s. */
  static double[] load(Vertx vertx, TestGateway gw, int codeClients, String script) {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong ordinary = new AtomicLong();
    AtomicLong runs = new AtomicLong();
    Promise<Void> done = Promise.promise();
    AtomicLong open = new AtomicLong(ORDINARY_CLIENTS + codeClients);
    for (int i = 0; i < ORDINARY_CLIENTS; i++) loop(running, () -> call(gw, "s2_lookup", new JsonObject().put("n", 7)), ordinary, open, done);
    for (int i = 0; i < codeClients; i++) loop(running, () -> code(gw, script), runs, open, done);
    vertx.setTimer(WINDOW_S * 1000L, t -> running.set(false));
    long t0 = System.nanoTime();
    result(done.future());
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new double[] {ordinary.get() / seconds, runs.get() / seconds};
  }

  private static void loop(AtomicBoolean running, Supplier<Future<?>> work, AtomicLong count, AtomicLong open, Promise<Void> done) {
    if (!running.get()) {
      if (open.decrementAndGet() == 0) done.tryComplete();
      return;
    }
    work.get().onComplete(r -> {
      if (r.failed()) {
        done.tryFail(r.cause());
        return;
      }
      count.incrementAndGet();
      loop(running, work, count, open, done);
    });
  }

  private static long[] timed(int runs, Supplier<Future<?>> work) {
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      result(work.get());
      nanos[i] = System.nanoTime() - t0;
    }
    return nanos;
  }

  private static void row(StringBuilder md, String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", what, nanos.length, sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6));
  }

  private static void row(StringBuilder md, String what, long[] nanos, long[] baseline) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    long[] base = baseline.clone();
    Arrays.sort(base);
    md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", what, nanos.length, sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
        (double) sorted[sorted.length / 2] / base[base.length / 2]));
  }

  /** Three upstreams (paths /s1, /s2, /s3), each with a {@code lookup} tool that answers {@code {"n": n}} as JSON text. */
  static Handler<HttpServerRequest> lookups() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "lookup").put("description", "looks n up")
        .put("inputSchema", new JsonObject().put("type", "object").put("properties", new JsonObject().put("n", new JsonObject().put("type", "integer")))));
    return request -> request.body().onSuccess(body -> {
      if (request.method() != io.vertx.core.http.HttpMethod.POST) {
        request.response().setStatusCode(405).end();
        return;
      }
      JsonObject message = body.toJsonObject();
      if (message.getValue("id") == null) {
        request.response().setStatusCode(202).end();
        return;
      }
      JsonObject result = switch (message.getString("method")) {
        case "initialize" -> new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject().put("tools", new JsonObject()))
            .put("serverInfo", new JsonObject().put("name", "lookup").put("version", "1"));
        case "tools/list" -> new JsonObject().put("tools", tools);
        case "tools/call" -> new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text")
            .put("text", new JsonObject().put("n", message.getJsonObject("params").getJsonObject("arguments").getValue("n")).encode())));
        default -> new JsonObject();
      };
      request.response().putHeader("Content-Type", "application/json").putHeader("Mcp-Session-Id", "bench")
          .end(new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id")).put("result", result).encode());
    });
  }

  static void setUp(TestGateway gw, String upstreamUrl) {
    String base = upstreamUrl.replace("/mcp", "");
    JsonArray members = new JsonArray();
    for (String id : new String[] {"s1", "s2", "s3"}) {
      ok(result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", base + "/" + id).put("auth_type", "unauthenticated"))));
      ok(result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()));
      members.add(new JsonObject().put("server_id", id));
    }
    ok(result(gw.client.post(TestGateway.portals("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "bench").put("name", "Bench").put("hostname", "bench.example.com").put("servers", members)
            .put("code_mode", "opt_in"))));
  }

  static Future<JsonObject> call(TestGateway gw, String tool, JsonObject arguments) {
    return post(gw, "", "tools/call", tool, new JsonObject().put("name", tool).put("arguments", arguments));
  }

  static Future<JsonObject> code(TestGateway gw, String script) {
    return post(gw, "?codemode=search_and_execute", "tools/call", "portal_codemode_execute",
        new JsonObject().put("name", "portal_codemode_execute").put("arguments", new JsonObject().put("code", script)));
  }

  /** One MCP 2026-07-28 request to the portal: its result (a tool error is a result too). */
  static Future<JsonObject> post(TestGateway gw, String query, String method, String name, JsonObject params) {
    params.put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "codemode-bench").put("version", "1")));
    return gw.client.post("/mcp/acme/portals/bench" + query).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28")
        .putHeader("Mcp-Method", method).putHeader("Mcp-Name", name)
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method).put("params", params))
        .map(response -> {
          JsonObject message = new JsonObject(response.bodyAsString());
          if (response.statusCode() != 200 || message.getJsonObject("result") == null) {
            throw new IllegalStateException(method + " " + name + ": " + response.statusCode() + " " + response.bodyAsString());
          }
          return message.getJsonObject("result");
        });
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 != 2) throw new IllegalStateException(response.statusCode() + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }
}
