package dev.mcpgateway.health;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.Postgres;
import dev.mcpgateway.support.PostgresControl;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running gateway: readiness goes down (liveness stays up), admin
 * writes fail fast with 503, and everything recovers when the database is back — no restart.
 */
class DatabaseOutageTest {
  @TempDir Path dataDir;
  final String schema = Postgres.newSchema();
  Vertx vertx;
  TestGateway gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, schema));
  }

  @AfterEach
  void stop() {
    PostgresControl.start(); // whatever happened, the database is back for the next tests
    result(gw.stop());
    result(Postgres.dropSchema(vertx, schema));
    result(vertx.close());
  }

  io.vertx.ext.web.client.HttpRequest<Buffer> agent(String session) {
    io.vertx.ext.web.client.HttpRequest<Buffer> request = gw.client.post(TestGateway.mcp("acme", "warm"))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }

  HttpResponse<Buffer> listTools(String session) {
    return result(agent(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/list")));
  }

  HttpResponse<Buffer> ready() {
    return result(gw.client.get("/health/ready").send());
  }

  @Test
  void readinessFollowsTheDatabaseAndEverythingRecoversWithoutARestart() {
    assertEquals(200, ready().statusCode());
    // an agent session on a synced server, its capabilities warm in the cache
    dev.mcpgateway.support.FakeUpstream upstream = result(dev.mcpgateway.support.FakeUpstream.start(vertx,
        dev.mcpgateway.support.FakeUpstream.wellBehaved(vertx, new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "t")), 0)));
    result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "warm").put("name", "warm").put("hostname", upstream.url()).put("auth_type", "unauthenticated")));
    result(gw.client.post(TestGateway.servers("acme") + "/warm/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    String session = result(agent(null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))))).getHeader("Mcp-Session-Id");
    assertEquals(200, listTools(session).statusCode());
    PostgresControl.stop();
    try {
      HttpResponse<Buffer> cached = listTools(session);
      assertEquals(200, cached.statusCode(), "cached capabilities keep serving agents while the database is down: " + cached.bodyAsString());
      assertTrue(cached.bodyAsString().contains("\"t\""), cached.bodyAsString());
      HttpResponse<Buffer> down = ready();
      assertEquals(503, down.statusCode(), down.bodyAsString());
      JsonObject body = down.bodyAsJsonObject();
      assertEquals("DOWN", body.getString("status"));
      assertTrue(body.encode().contains("store"), "the JSON body lists the failing check: " + body);
      assertEquals(200, result(gw.client.get("/health/live").send()).statusCode(), "alive, just not ready");

      long started = System.nanoTime();
      HttpResponse<Buffer> write = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", "during").put("name", "n").put("hostname", "https://x.example/mcp")
              .put("auth_type", "unauthenticated")));
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, write.statusCode(), write.bodyAsString());
      assertEquals(9002, write.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
      assertTrue(tookMs < 10_000, "fails fast, no hang: " + tookMs + " ms");
    } finally {
      PostgresControl.start();
    }
    long deadline = System.currentTimeMillis() + 15_000;
    while (ready().statusCode() != 200 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertEquals(200, ready().statusCode(), "ready again once the database is back");
    HttpResponse<Buffer> after = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "after").put("name", "n").put("hostname", "https://x.example/mcp")
            .put("auth_type", "unauthenticated")));
    assertEquals(200, after.statusCode(), after.bodyAsString());
  }
}
