package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.Postgres;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway instances on one database with one secret: a session opened on one is served by the
 * other (no shared session table), a different secret cannot read it, and idle sessions end upstream.
 */
class SessionAcrossReplicasTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;
  final String schema = Postgres.newSchema();
  Vertx vertx;
  TestGateway a;
  TestGateway b;
  FakeUpstream upstream;
  final BlockingQueue<String> upstreamSaw = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    a = result(TestGateway.start(vertx, withIdle(TestGateway.config(dirA, schema), 60_000), dirA, schema));
    b = result(TestGateway.start(vertx, withIdle(TestGateway.config(dirB, schema), 400), dirB, schema));
    upstream = result(FakeUpstream.start(vertx, request -> {
      upstreamSaw.add(request.method() + " " + request.getHeader("Mcp-Session-Id"));
      FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "t")), 0).handle(request);
    }));
    result(a.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "srv").put("name", "srv").put("hostname", upstream.url()).put("auth_type", "unauthenticated")));
  }

  static JsonObject withIdle(JsonObject config, long idleMs) {
    return config.put("proxy", new JsonObject().put("session_idle_ms", idleMs));
  }

  @AfterEach
  void stop() {
    result(upstream.stop());
    result(a.stop());
    result(b.stop());
    result(Postgres.dropSchema(vertx, schema));
    result(vertx.close());
  }

  static HttpRequest<Buffer> mcp(TestGateway gw, String session) {
    HttpRequest<Buffer> request = gw.client.request(HttpMethod.POST, TestGateway.mcp("acme", "srv"))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }

  static String initialize(TestGateway gw) {
    HttpResponse<Buffer> init = result(mcp(gw, null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1)
        .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    return init.getHeader("Mcp-Session-Id");
  }

  static JsonObject call(TestGateway gw, String session) {
    HttpResponse<Buffer> response = result(mcp(gw, session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2)
        .put("method", "tools/list")));
    return new JsonObject().put("status", response.statusCode()).put("body", response.bodyAsString());
  }

  @Test
  void aSessionOpenedOnOneReplicaIsServedByTheOther() throws Exception {
    String session = initialize(a);
    JsonObject onB = call(b, session);
    assertEquals(200, onB.getInteger("status"), onB.encode());
    assertTrue(onB.getString("body").contains("\"tools\""), onB.encode());
    // and a gateway with another secret cannot open it
    JsonObject foreign = TestGateway.config(dirC, schema);
    foreign.getJsonObject("security").put("secret_key", "/wECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    TestGateway c = result(TestGateway.start(vertx, foreign, dirC, schema));
    try {
      assertEquals(404, call(c, session).getInteger("status"));
    } finally {
      result(c.stop());
    }
  }

  @Test
  void anIdleSessionEndsAndEndsUpstreamToo() throws Exception {
    String session = initialize(b);
    upstreamSaw.clear();
    String delete = null;
    long deadline = System.currentTimeMillis() + 5000;
    while (delete == null && System.currentTimeMillis() < deadline) {
      String seen = upstreamSaw.poll(100, TimeUnit.MILLISECONDS);
      if (seen != null && seen.startsWith("DELETE")) delete = seen;
    }
    assertEquals("DELETE fake-session", delete, "the idle session was ended upstream");
  }
}
