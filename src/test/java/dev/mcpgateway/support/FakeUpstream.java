package dev.mcpgateway.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A misbehaving upstream on a real socket, for the failure cases a well-behaved SDK server cannot
 * produce: HTTP errors, silence, garbage, JSON-RPC errors. Each test supplies the behaviour.
 */
public final class FakeUpstream {
  public final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;

  private FakeUpstream(HttpServer server) {
    this.server = server;
  }

  public static Future<FakeUpstream> start(Vertx vertx, Handler<HttpServerRequest> behaviour) {
    return start(vertx, 0, behaviour);
  }

  /** On a given port (e.g. one a test first left closed). */
  public static Future<FakeUpstream> start(Vertx vertx, int port, Handler<HttpServerRequest> behaviour) {
    FakeUpstream[] self = new FakeUpstream[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      self[0].requests.incrementAndGet();
      behaviour.handle(request);
    });
    self[0] = new FakeUpstream(server);
    return server.listen(port, "127.0.0.1").map(s -> self[0]);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/mcp";
  }

  public Future<Void> stop() {
    return server.close();
  }

  /**
   * A minimal, correct MCP server answering JSON: initialize, tools/list (the given tools) and
   * acknowledging notifications; {@code delayMs} before each answer.
   */
  public static Handler<HttpServerRequest> wellBehaved(Vertx vertx, JsonArray tools, long delayMs) {
    return gated(vertx, tools, method -> delayMs > 0 ? vertx.timer(delayMs) : Future.succeededFuture());
  }

  /**
   * {@link #wellBehaved}, but each answer to a request waits until {@code gate} (given the
   * JSON-RPC method) completes: a test holds a call upstream exactly as long as it needs, no sleeps.
   */
  public static Handler<HttpServerRequest> gated(Vertx vertx, JsonArray tools, Function<String, Future<?>> gate) {
    return request -> request.body().onSuccess(body -> {
      if (request.method() != io.vertx.core.http.HttpMethod.POST) {
        request.response().setStatusCode(request.method() == io.vertx.core.http.HttpMethod.DELETE ? 200 : 405).end();
        return;
      }
      JsonObject message = body.toJsonObject();
      Object id = message.getValue("id");
      String method = message.getString("method");
      if (id == null) {
        request.response().setStatusCode(202).end();
        return;
      }
      JsonObject result = switch (method) {
        case "initialize" -> new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject().put("tools", new JsonObject()))
            .put("serverInfo", new JsonObject().put("name", "fake").put("version", "1"));
        case "tools/list" -> new JsonObject().put("tools", tools);
        default -> new JsonObject();
      };
      // the gate may be completed from a test thread: answer on this request's own context
      Context context = vertx.getOrCreateContext();
      gate.apply(method).onComplete(opened -> context.runOnContext(v -> request.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("Mcp-Session-Id", "fake-session")
          .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode())));
    });
  }
}
