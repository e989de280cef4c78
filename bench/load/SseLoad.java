import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Closed-loop load for MCP's legacy HTTP+SSE transport (GET an event stream, POST messages to the
 * endpoint it names, answers arrive on the stream), which wrk cannot drive: used for mcp-hub,
 * whose MCP endpoint speaks only that transport to agents. Each of N virtual clients holds its own
 * stream and sends its next request when the previous answer arrived; latency is from the POST to
 * the answer's event. Prints the same BENCH_RESULT line as bench/wrk/mcp.lua.
 *
 * <pre>
 * java -cp target/mcp-gateway.jar bench/load/SseLoad.java --url http://127.0.0.1:19085/mcp
 *      --workload call|list|big|stream|session --connections 16 --duration 10 [--tool fast__echo]
 *      [--big-tool fast__big] [--stream-tool fast__stream] [--timeout 10] [--warmup 0]
 * </pre>
 * The session workload opens a stream, initializes, sends notifications/initialized, lists, calls and
 * closes the stream (the legacy transport's end of a session); each step counts as one request
 * (opening the stream: until its endpoint event).
 */
public final class SseLoad {
  static String url;
  static String workload = "call";
  static int connections = 16;
  static double durationS = 10;
  static double timeoutS = 10;
  static double warmupS = 0;
  static String tool = "echo";
  static String bigTool = "big";
  static String streamTool = "stream";

  static Vertx vertx;
  static HttpClientAgent streams;
  static HttpClientAgent posts;
  static String origin;
  static long deadline;
  static long startNanos;

  // results (event-loop confined)
  static long[] latencies = new long[1 << 16];
  static int count;
  static long bytes;
  static long errConnect, errStatus, errTimeout, bad, checked, sessions, progressEvents, progressSampled;
  static String badExample;
  static int running;

  public static void main(String[] args) throws Exception {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--workload" -> workload = args[++i];
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--duration" -> durationS = Double.parseDouble(args[++i]);
        case "--timeout" -> timeoutS = Double.parseDouble(args[++i]);
        case "--warmup" -> warmupS = Double.parseDouble(args[++i]);
        case "--tool" -> tool = args[++i];
        case "--big-tool" -> bigTool = args[++i];
        case "--stream-tool" -> streamTool = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    java.net.URI uri = java.net.URI.create(url);
    origin = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    streams = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(connections * 2 + 8));
    posts = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections + 8));
    Promise<Void> finished = Promise.promise();
    vertx.runOnContext(v -> {
      startNanos = System.nanoTime() + (long) (warmupS * 1e9); // measured from here
      deadline = startNanos + (long) (durationS * 1e9);
      running = connections;
      for (int i = 0; i < connections; i++) {
        new Client(i, () -> {
          if (--running == 0) finished.complete();
        }).start();
      }
    });
    java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    finished.future().onComplete(r -> latch.countDown());
    latch.await((long) (warmupS + durationS + timeoutS + 30), java.util.concurrent.TimeUnit.SECONDS);
    double seconds = Math.min(System.nanoTime(), deadline) - startNanos;
    seconds = seconds / 1e9;
    report(seconds);
    System.exit(0);
  }

  static void record(long startedNanos) {
    long end = System.nanoTime();
    if (end > deadline || startedNanos < startNanos) return; // warm-up, or after the deadline (not counted, as wrk)
    if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
    latencies[count++] = (end - startedNanos) / 1000;
  }

  static void noteBad(String what) {
    bad++;
    if (badExample == null) badExample = what.length() > 300 ? what.substring(0, 300) : what;
  }

  /** One virtual agent: its own stream, one request at a time. */
  static final class Client {
    final int index;
    final Runnable onDone;
    String endpoint;
    HttpClientResponse stream;
    final Map<String, Promise<JsonObject>> pending = new HashMap<>();
    Buffer sse = Buffer.buffer();
    int scanFrom;
    long next;
    Promise<String> endpointPromise;
    int progressOfCurrent;

    Client(int index, Runnable onDone) {
      this.index = index;
      this.onDone = onDone;
    }

    void start() {
      if ("session".equals(workload)) {
        session();
      } else {
        open().compose(v -> initialize()).onSuccess(v -> loop()).onFailure(e -> {
          errConnect++;
          noteBad("connect: " + e.getMessage());
          onDone.run();
        });
      }
    }

    boolean over() {
      return System.nanoTime() >= deadline;
    }

    void session() {
      if (over()) {
        onDone.run();
        return;
      }
      long t0 = System.nanoTime();
      open().onSuccess(v -> record(t0))
          .compose(v -> timed(() -> initialize()))
          .compose(v -> timed(() -> request("tools/list", new JsonObject())))
          .compose(v -> timed(() -> request("tools/call", new JsonObject().put("name", tool)
              .put("arguments", new JsonObject().put("message", "hello from SseLoad")))))
          .onComplete(r -> {
            if (r.succeeded() && t0 >= startNanos && System.nanoTime() <= deadline) sessions++;
            // a step that timed out is counted by request(); any other failure (the stream, a POST) here
            if (r.failed() && System.nanoTime() <= deadline && !"timeout".equals(r.cause().getMessage())
                && !"bad answer".equals(r.cause().getMessage()) && !String.valueOf(r.cause().getMessage()).matches("(stream|POST) answered.*")) {
              errConnect++;
              noteBad("session: " + r.cause().getMessage());
            }
            close();
            session();
          });
    }

    <T> Future<T> timed(java.util.function.Supplier<Future<T>> step) {
      long t0 = System.nanoTime();
      return step.get().onSuccess(v -> record(t0));
    }

    Future<Void> open() {
      sse = Buffer.buffer();
      scanFrom = 0;
      endpointPromise = Promise.promise();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
          .putHeader("Accept", "text/event-stream");
      return streams.request(options).compose(r -> r.send()).compose(response -> {
        if (response.statusCode() != 200) {
          errStatus++;
          return Future.failedFuture("stream answered " + response.statusCode());
        }
        stream = response;
        response.handler(this::onChunk);
        response.exceptionHandler(e -> failAll(e.toString()));
        response.endHandler(v -> failAll("stream ended"));
        return endpointPromise.future().map(endpoint -> {
          this.endpoint = endpoint.startsWith("http") ? endpoint : origin + endpoint;
          return (Void) null;
        });
      });
    }

    void close() {
      if (stream != null) {
        stream.handler(null).endHandler(null).exceptionHandler(null);
        stream.request().reset();
        stream = null;
      }
      pending.clear();
    }

    void failAll(String why) {
      if (!endpointPromise.future().isComplete()) endpointPromise.tryFail(why);
      for (Promise<JsonObject> p : pending.values()) p.tryFail(why);
      pending.clear();
    }

    void onChunk(Buffer chunk) {
      long now = System.nanoTime();
      if (now >= startNanos && now <= deadline) bytes += chunk.length();
      sse.appendBuffer(chunk);
      while (true) {
        int end = indexOfBlankLine(sse, scanFrom);
        if (end < 0) {
          scanFrom = Math.max(0, sse.length() - 3);
          return;
        }
        String event = sse.getString(0, end, StandardCharsets.UTF_8.name());
        int skip = sse.getByte(end) == '\r' ? 4 : 2;
        sse = sse.getBuffer(end + skip, sse.length());
        scanFrom = 0;
        onEvent(event);
      }
    }

    static int indexOfBlankLine(Buffer b, int from) {
      int n = b.length();
      for (int i = from; i + 1 < n; i++) {
        byte c = b.getByte(i);
        if (c == '\n' && b.getByte(i + 1) == '\n') return i;
        if (c == '\r' && i + 3 < n && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') return i;
      }
      return -1;
    }

    void onEvent(String event) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (String line : event.split("\r?\n")) {
        if (line.startsWith("event:")) name = line.substring(6).trim();
        else if (line.startsWith("data:")) {
          if (data.length() > 0) data.append('\n');
          data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
        }
      }
      if ("endpoint".equals(name)) {
        endpointPromise.tryComplete(data.toString().trim());
        return;
      }
      if (data.length() == 0) return;
      JsonObject message;
      try {
        message = new JsonObject(data.toString());
      } catch (RuntimeException e) {
        noteBad("malformed event: " + data);
        return;
      }
      if ("notifications/progress".equals(message.getString("method"))) {
        progressOfCurrent++;
        return;
      }
      Object id = message.getValue("id");
      if (id != null && message.getString("method") == null) {
        Promise<JsonObject> p = pending.remove(String.valueOf(id));
        if (p != null) p.tryComplete(message);
      }
    }

    Future<Void> initialize() {
      return request("initialize", new JsonObject().put("protocolVersion", "2024-11-05").put("capabilities", new JsonObject())
              .put("clientInfo", new JsonObject().put("name", "sse-load").put("version", "1.0.0")))
          .compose(v -> timedNotify());
    }

    Future<Void> timedNotify() {
      long t0 = System.nanoTime();
      return post(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
          .onSuccess(v -> {
            if ("session".equals(workload)) record(t0);
          });
    }

    Future<Void> post(JsonObject message) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint)
          .putHeader("Content-Type", "application/json").setTimeout((long) (timeoutS * 1000));
      return posts.request(options).compose(r -> r.send(message.toBuffer())).compose(response -> response.body().compose(body -> {
        if (response.statusCode() >= 300) {
          errStatus++;
          return Future.failedFuture("POST answered " + response.statusCode() + ": " + body);
        }
        return Future.succeededFuture();
      }));
    }

    /** Sends a request and completes with its answer from the stream (failing on errors and timeouts). */
    Future<Void> request(String method, JsonObject params) {
      String id = index + "-" + (++next);
      Promise<JsonObject> answer = Promise.promise();
      pending.put(id, answer);
      long timer = vertx.setTimer((long) (timeoutS * 1000), t -> {
        if (answer.tryFail("timeout")) errTimeout++;
        pending.remove(id);
      });
      progressOfCurrent = 0;
      post(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params))
          .onFailure(answer::tryFail);
      return answer.future().andThen(r -> vertx.cancelTimer(timer)).compose(message -> {
        checked++;
        JsonObject result = message.getJsonObject("result");
        if (message.containsKey("error") || result == null || Boolean.TRUE.equals(result.getValue("isError"))) {
          noteBad(message.encode());
          return Future.failedFuture("bad answer");
        }
        return Future.succeededFuture();
      });
    }

    void loop() {
      if (over()) {
        close();
        onDone.run();
        return;
      }
      long t0 = System.nanoTime();
      Future<Void> sent = switch (workload) {
        case "list" -> request("tools/list", new JsonObject());
        case "big" -> request("tools/call", new JsonObject().put("name", bigTool).put("arguments", new JsonObject()));
        case "stream" -> request("tools/call", new JsonObject().put("name", streamTool).put("arguments", new JsonObject())
            .put("_meta", new JsonObject().put("progressToken", "p-" + index + "-" + next)));
        default -> request("tools/call", new JsonObject().put("name", tool)
            .put("arguments", new JsonObject().put("message", "hello from SseLoad")));
      };
      sent.onComplete(r -> {
        if (r.succeeded()) {
          record(t0);
          if ("stream".equals(workload) && t0 >= startNanos) {
            progressSampled++;
            progressEvents += progressOfCurrent;
          }
        }
        if (stream == null) { // the stream broke: reopen
          open().compose(v -> initialize()).onComplete(x -> loop());
        } else {
          loop();
        }
      });
    }
  }

  static void report(double seconds) {
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    double mean = 0;
    for (long l : sorted) mean += l;
    mean = count == 0 ? 0 : mean / count;
    String line = String.format(Locale.ROOT,
        "BENCH_RESULT {\"workload\":\"%s\",\"seconds\":%.3f,\"requests\":%d,\"bytes\":%d,\"rps\":%.2f,"
            + "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"mean_us\":%.1f,"
            + "\"err_connect\":%d,\"err_read\":0,\"err_write\":0,\"err_status\":%d,\"err_timeout\":%d,"
            + "\"checked\":%d,\"bad\":%d,\"progress_per_response\":%s,\"sessions\":%d,\"bad_example\":%s}",
        workload, seconds, count, bytes, count / seconds,
        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), count == 0 ? 0 : sorted[count - 1], mean,
        errConnect, errStatus, errTimeout, checked, bad,
        progressSampled == 0 ? "null" : String.format(Locale.ROOT, "%.1f", (double) progressEvents / progressSampled),
        sessions, badExample == null ? "null" : new io.vertx.core.json.JsonArray().add(badExample).encode().replaceAll("^\\[|\\]$", ""));
    System.out.println(line);
  }

  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
