package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.support.Await;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session ended with DELETE answers 404 ({@code -32001}) to every later request bearing its id,
 * as the MCP specification requires — on the replica that ended it, on another replica sharing the
 * database, after a restart of the embedded store — for a server's sessions and a portal's, while
 * sessions nobody ended keep working everywhere. A DELETE the store cannot record changes nothing.
 */
class SessionTerminationTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final String schema = Postgres.newSchema();
  final List<TestGateway> gateways = new ArrayList<>();
  final BlockingQueue<String> upstreamSaw = new LinkedBlockingQueue<>();
  Vertx vertx;
  FakeUpstream upstream;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = result(FakeUpstream.start(vertx, request -> {
      upstreamSaw.add(request.method() + " " + request.getHeader("Mcp-Session-Id"));
      FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "t")), 0).handle(request);
    }));
  }

  @AfterEach
  void stop() {
    gateways.forEach(gw -> result(gw.stop()));
    result(upstream.stop());
    result(Postgres.dropSchema(vertx, schema));
    result(vertx.close());
  }

  /** A gateway on {@code dir}: PostgreSQL in this test's schema, or the embedded store when {@code pg} is false. */
  TestGateway gateway(Path dir, boolean pg) {
    TestGateway gw = result(TestGateway.start(vertx, dir, pg ? schema : null));
    gateways.add(gw);
    return gw;
  }

  void restart(TestGateway gw) {
    gateways.remove(gw);
    result(gw.stop());
  }

  void serverAndPortal(TestGateway gw) {
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "srv").put("name", "srv").put("hostname", upstream.url()).put("auth_type", "unauthenticated")));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    Instant now = Instant.now();
    result(gw.gateway.stores().portals().create(new Portal("acme", "team", "Team", "team.portal.test", null, CodeMode.OPT_IN, false,
        List.of(new PortalServer("srv", false, false, List.of(), List.of())), now, "test", now, "test")));
  }

  static HttpRequest<Buffer> mcp(TestGateway gw, HttpMethod method, String path, String session) {
    HttpRequest<Buffer> request = gw.client.request(method, path).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
    return session == null ? request : request.putHeader("Mcp-Session-Id", session);
  }

  static String initialize(TestGateway gw, String path) {
    HttpResponse<Buffer> init = result(mcp(gw, HttpMethod.POST, path, null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1)
        .put("method", "initialize").put("params", new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    return init.getHeader("Mcp-Session-Id");
  }

  /** A request of the session: a tools/list to a server, a ping to a portal (answered by the portal itself). */
  static HttpResponse<Buffer> request(TestGateway gw, String path, String session) {
    String method = path.contains("/portals/") ? "ping" : "tools/list";
    return result(mcp(gw, HttpMethod.POST, path, session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", method)));
  }

  static HttpResponse<Buffer> delete(TestGateway gw, String path, String session) {
    return result(mcp(gw, HttpMethod.DELETE, path, session).send());
  }

  static HttpResponse<Buffer> stream(TestGateway gw, String path, String session) {
    return result(mcp(gw, HttpMethod.GET, path, session).putHeader("Accept", "text/event-stream").send());
  }

  static void assertWorks(HttpResponse<Buffer> response, String what) {
    assertEquals(200, response.statusCode(), what + ": " + response.bodyAsString());
  }

  static void assertSessionNotFound(HttpResponse<Buffer> response, String what) {
    assertEquals(404, response.statusCode(), what + ": " + response.bodyAsString());
    assertEquals(-32001, response.bodyAsJsonObject().getJsonObject("error").getInteger("code"), what + ": " + response.bodyAsString());
  }

  /** POST, GET and DELETE bearing the id all answer 404 on {@code gw}. */
  static void assertEnded(TestGateway gw, String path, String session, String where) {
    assertSessionNotFound(request(gw, path, session), "POST " + where);
    assertSessionNotFound(stream(gw, path, session), "GET " + where);
    assertSessionNotFound(delete(gw, path, session), "DELETE " + where);
  }

  @Test
  void aSessionDeletedOnOneReplicaIsNotFoundOnItAndOnTheOther() {
    TestGateway a = gateway(dirA, true);
    TestGateway b = gateway(dirB, true);
    serverAndPortal(a);
    String path = TestGateway.mcp("acme", "srv");
    String session = initialize(a, path);
    assertWorks(request(b, path, session), "the other replica serves the session before the DELETE");
    upstreamSaw.clear();
    assertEquals(200, delete(a, path, session).statusCode());
    assertTrue(upstreamSaw.contains("DELETE fake-session"), "ended upstream too: " + upstreamSaw);
    assertEnded(a, path, session, "on the replica that ended it");
    Await.until(() -> request(b, path, session).statusCode() == 404, "the other replica refuses the ended session");
    assertEnded(b, path, session, "on the other replica");
  }

  @Test
  void aSessionIdleOnTheReplicaThatHeldItEndsOnEveryReplica() {
    JsonObject quick = TestGateway.config(dirA, schema).put("proxy", new JsonObject().put("session_idle_ms", 700));
    TestGateway a = result(TestGateway.start(vertx, quick, dirA, schema));
    gateways.add(a);
    TestGateway b = gateway(dirB, true);
    serverAndPortal(a);
    String path = TestGateway.mcp("acme", "srv");
    String session = initialize(a, path);
    assertWorks(request(a, path, session), "a live session");
    // nothing uses the session on A: it ends there for idleness, upstream too (the upstream here would serve it on regardless)
    Await.until(() -> upstreamSaw.contains("DELETE fake-session"), "the idle session ended upstream");
    assertEnded(a, path, session, "on the replica where it went idle");
    Await.until(() -> request(b, path, session).statusCode() == 404, "the other replica refuses the idle-ended session");
    assertEnded(b, path, session, "on the other replica");
  }

  @Test
  void sessionsNotDeletedKeepWorkingOnBothReplicas() {
    TestGateway a = gateway(dirA, true);
    TestGateway b = gateway(dirB, true);
    serverAndPortal(a);
    String path = TestGateway.mcp("acme", "srv");
    String ended = initialize(a, path);
    String kept = initialize(a, path);
    String keptOnB = initialize(b, path);
    assertEquals(200, delete(b, path, ended).statusCode());
    Await.until(() -> request(a, path, ended).statusCode() == 404, "the DELETE reached replica a");
    for (TestGateway gw : List.of(a, b)) {
      assertWorks(request(gw, path, kept), "a session opened on a");
      assertWorks(request(gw, path, keptOnB), "a session opened on b");
    }
  }

  @Test
  void aPortalSessionDeletedIsNotFoundOnEveryReplica() {
    TestGateway a = gateway(dirA, true);
    TestGateway b = gateway(dirB, true);
    serverAndPortal(a);
    String path = "/mcp/acme/portals/team";
    String session = initialize(a, path);
    String kept = initialize(a, path);
    assertWorks(request(b, path, session), "the other replica serves the portal session before the DELETE");
    assertEquals(200, delete(a, path, session).statusCode());
    assertEnded(a, path, session, "on the replica that ended it");
    Await.until(() -> request(b, path, session).statusCode() == 404, "the other replica refuses the ended portal session");
    assertEnded(b, path, session, "on the other replica");
    assertWorks(request(b, path, kept), "a portal session nobody ended");
    assertWorks(request(a, path, kept), "a portal session nobody ended");
  }

  @Test
  void onTheEmbeddedStoreADeletedSessionStaysEndedAfterARestart() {
    TestGateway before = gateway(dirA, false);
    serverAndPortal(before);
    String server = TestGateway.mcp("acme", "srv");
    String portal = "/mcp/acme/portals/team";
    String ended = initialize(before, server);
    String kept = initialize(before, server);
    String endedPortal = initialize(before, portal);
    String keptPortal = initialize(before, portal);
    assertEquals(200, delete(before, server, ended).statusCode());
    assertEquals(200, delete(before, portal, endedPortal).statusCode());
    restart(before);
    TestGateway after = gateway(dirA, false);
    assertEnded(after, server, ended, "after the restart");
    assertEnded(after, portal, endedPortal, "a portal session, after the restart");
    assertWorks(request(after, server, kept), "a session nobody ended survives the restart");
    assertWorks(request(after, portal, keptPortal), "a portal session nobody ended survives the restart");
  }

  @Test
  void aDeleteTheStoreCannotRecordIsRefusedAndChangesNothing() {
    TestGateway gw = gateway(dirA, false);
    serverAndPortal(gw);
    String path = TestGateway.mcp("acme", "srv");
    String session = initialize(gw, path);
    assertWorks(request(gw, path, session), "before");
    result(gw.gateway.stores().close());
    HttpResponse<Buffer> refused = delete(gw, path, session);
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertWorks(request(gw, path, session), "a DELETE answered 503 did not end the session");
  }
}
