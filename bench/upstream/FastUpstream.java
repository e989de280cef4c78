import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's upstream: a minimal, fast MCP server (Streamable HTTP, JSON answers, no state),
 * so that what is measured is the proxy in front of it, not the server.
 *
 * <pre>
 * java -cp target/mcp-gateway.jar bench/upstream/FastUpstream.java [--port 19001] [--tools N]
 *      [--event-loops 1] [--no-session] [--host 127.0.0.1] [--stall-calls]
 * </pre>
 *
 * Any path answers MCP (so {@code /mcp} works for every peer). Methods: {@code initialize} (hands
 * out an {@code Mcp-Session-Id} unless {@code --no-session}, and accepts any id afterwards),
 * notifications and responses (202), {@code ping}, {@code tools/list} and {@code tools/call};
 * {@code DELETE} answers 200, {@code GET} 405 (no server-to-client stream). Tools:
 * <ul>
 *   <li>{@code echo} — {"message"} → "Echo: message" (a small result);</li>
 *   <li>{@code hidden} — a tool the gateway's benchmark configuration disables;</li>
 *   <li>{@code big} — a result with 1 MiB of text;</li>
 *   <li>{@code stream} — with {@code _meta.progressToken}: an SSE answer of 100
 *       {@code notifications/progress} events then the result; without it, a JSON result;</li>
 *   <li>{@code tool_0001} … — {@code --tools N} generated tools (for the 1,000-tool sync).</li>
 * </ul>
 * With {@code --stall-calls}, every {@code tools/call} is read and never answered (the connection
 * stays open until the client gives up): a stalled server for the portal benchmark; everything
 * else answers as usual, so the gateway can sync it.
 */
public final class FastUpstream {
  static final Set<String> VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
  static final int BIG_BYTES = 1 << 20;
  static final int PROGRESS_EVENTS = 100;

  static int port = 19001;
  static int extraTools = 0;
  static int eventLoops = 1;
  static boolean sessions = true;
  static boolean stallCalls = false;
  static String host = "127.0.0.1";

  static Buffer toolsListTail;   // ,"result":{"tools":[...]}}
  static Buffer bigTail;         // ,"result":{"content":[{"type":"text","text":"…1 MiB…"}]}}
  static final AtomicLong sessionCounter = new AtomicLong();

  public static void main(String[] args) {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--tools" -> extraTools = Integer.parseInt(args[++i]);
        case "--event-loops" -> eventLoops = Integer.parseInt(args[++i]);
        case "--no-session" -> sessions = false;
        case "--host" -> host = args[++i];
        case "--stall-calls" -> stallCalls = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    toolsListTail = Buffer.buffer(",\"result\":" + new JsonObject().put("tools", tools()).encode() + "}");
    StringBuilder text = new StringBuilder(BIG_BYTES);
    String words = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ";
    while (text.length() < BIG_BYTES) text.append(words, 0, Math.min(words.length(), BIG_BYTES - text.length()));
    bigTail = Buffer.buffer(",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}}");

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    vertx.deployVerticle(() -> new VerticleBase() {
          @Override
          public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0)
                    .setMaxChunkSize(64 * 1024).setCompressionSupported(false))
                .requestHandler(FastUpstream::handle)
                .listen(port, host);
          }
        }, new DeploymentOptions().setInstances(eventLoops))
        .onSuccess(id -> System.out.println("fast-upstream listening on " + host + ":" + port + " (" + (4 + extraTools)
            + " tools, " + eventLoops + " event loop(s), sessions " + (sessions ? "on" : "off")
            + (stallCalls ? ", tools/call never answered" : "") + ")"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  static JsonArray tools() {
    JsonObject messageSchema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("message", new JsonObject().put("type", "string").put("description", "what to echo")))
        .put("required", new JsonArray().add("message"));
    JsonObject empty = new JsonObject().put("type", "object").put("properties", new JsonObject());
    JsonArray tools = new JsonArray()
        .add(new JsonObject().put("name", "echo").put("description", "Echoes the message back").put("inputSchema", messageSchema))
        .add(new JsonObject().put("name", "hidden").put("description", "A tool the benchmark's gateway configuration disables")
            .put("inputSchema", empty))
        .add(new JsonObject().put("name", "big").put("description", "Returns 1 MiB of text").put("inputSchema", empty))
        .add(new JsonObject().put("name", "stream")
            .put("description", "Sends " + PROGRESS_EVENTS + " progress notifications (when given a progressToken), then its result")
            .put("inputSchema", empty));
    for (int i = 1; i <= extraTools; i++) {
      String name = String.format("tool_%04d", i);
      tools.add(new JsonObject().put("name", name)
          .put("description", "Generated tool number " + i + " of " + extraTools + ": takes a query and a limit, returns nothing useful")
          .put("inputSchema", new JsonObject().put("type", "object").put("properties", new JsonObject()
              .put("query", new JsonObject().put("type", "string").put("description", "what to look for"))
              .put("limit", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100)))
              .put("required", new JsonArray().add("query"))));
    }
    return tools;
  }

  static void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    HttpMethod method = request.method();
    if (method == HttpMethod.DELETE) {
      response.setStatusCode(200).end();
      return;
    }
    if (method != HttpMethod.POST) {
      response.setStatusCode(405).putHeader("Allow", "POST, DELETE").end();
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject message;
      try {
        message = new JsonObject(body);
      } catch (RuntimeException e) {
        json(response, 400, error(null, -32700, "parse error"));
        return;
      }
      Object id = message.getValue("id");
      String name = message.getString("method");
      if (name == null || id == null) { // a notification or a response
        response.setStatusCode(202).end();
        return;
      }
      JsonObject params = message.getJsonObject("params", new JsonObject());
      switch (name) {
        case "initialize" -> {
          String asked = params.getString("protocolVersion");
          JsonObject result = new JsonObject()
              .put("protocolVersion", asked != null && VERSIONS.contains(asked) ? asked : "2025-11-25")
              .put("capabilities", new JsonObject().put("tools", new JsonObject().put("listChanged", false)))
              .put("serverInfo", new JsonObject().put("name", "fast-upstream").put("version", "1.0.0"));
          if (sessions) response.putHeader("Mcp-Session-Id", "fast-" + Long.toString(sessionCounter.incrementAndGet(), 36));
          json(response, 200, new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result));
        }
        case "ping" -> json(response, 200, new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", new JsonObject()));
        case "tools/list" -> withTail(response, id, toolsListTail);
        case "tools/call" -> {
          if (!stallCalls) call(response, id, params); // stalled: no answer, ever
        }
        default -> json(response, 200, error(id, -32601, "Method not found: " + name));
      }
    });
  }

  static void call(HttpServerResponse response, Object id, JsonObject params) {
    String tool = params.getString("name", "");
    JsonObject arguments = params.getJsonObject("arguments", new JsonObject());
    switch (tool) {
      case "echo" -> json(response, 200, text(id, "Echo: " + arguments.getValue("message", "")));
      case "hidden" -> json(response, 200, text(id, "the hidden tool ran"));
      case "big" -> withTail(response, id, bigTail);
      case "stream" -> {
        JsonObject meta = params.getJsonObject("_meta");
        Object token = meta == null ? null : meta.getValue("progressToken");
        if (token == null) {
          json(response, 200, text(id, "streamed 0 events (no progressToken)"));
          return;
        }
        response.setStatusCode(200).setChunked(true)
            .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        String tokenJson = Json.encode(token);
        for (int i = 1; i <= PROGRESS_EVENTS; i++) {
          response.write("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":"
              + tokenJson + ",\"progress\":" + i + ",\"total\":" + PROGRESS_EVENTS + ",\"message\":\"step " + i + "\"}}\n\n");
        }
        response.end("event: message\ndata: " + text(id, "streamed " + PROGRESS_EVENTS + " events").encode() + "\n\n");
      }
      default -> {
        if (tool.startsWith("tool_")) json(response, 200, text(id, tool + " ran"));
        else json(response, 200, error(id, -32602, "Unknown tool: " + tool));
      }
    }
  }

  static JsonObject text(Object id, String text) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", new JsonObject()
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text))));
  }

  static JsonObject error(Object id, int code, String message) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id)
        .put("error", new JsonObject().put("code", code).put("message", message));
  }

  static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  /** {"jsonrpc":"2.0","id":<id> + a precomputed tail: the large constant part is never re-encoded. */
  static void withTail(HttpServerResponse response, Object id, Buffer tail) {
    Buffer head = Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":" + Json.encode(id), StandardCharsets.UTF_8.name());
    response.setStatusCode(200).putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", String.valueOf(head.length() + tail.length()));
    response.write(head);
    response.end(tail);
  }
}
