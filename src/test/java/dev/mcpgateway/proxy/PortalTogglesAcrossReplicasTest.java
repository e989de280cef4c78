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
import dev.mcpgateway.support.RawHttp;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways on one PostgreSQL schema with one secret: a switch made through one reaches the
 * other's cached lists (the change feed's {@code t:} payload) and the agent's GET stream held by
 * the other, and the switches page of one replica's link works on the other.
 */
class PortalTogglesAcrossReplicasTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final String schema = Postgres.newSchema();
  Vertx vertx;
  TestGateway a;
  TestGateway b;
  FakeUpstream first;
  FakeUpstream second;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    a = result(TestGateway.start(vertx, dirA, schema));
    b = result(TestGateway.start(vertx, dirB, schema));
    first = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "alpha")), 0)));
    second = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "beta")), 0)));
    for (String id : List.of("one", "two")) {
      String url = id.equals("one") ? first.url() : second.url();
      HttpResponse<Buffer> created = result(a.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", url).put("auth_type", "unauthenticated")));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      HttpResponse<Buffer> synced = result(a.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
          .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
      assertEquals("ready", synced.bodyAsJsonObject().getJsonObject("result").getString("status"), synced.bodyAsString());
    }
    Instant now = Instant.now();
    result(a.gateway.stores().portals().create(new Portal("acme", "team", "Team", "team.replicas.test", null, CodeMode.OPT_IN, false,
        List.of(new PortalServer("one", false, true, List.of(), List.of()), new PortalServer("two", false, true, List.of(), List.of())),
        now, "test", now, "test")));
  }

  @AfterEach
  void stop() {
    result(first.stop());
    result(second.stop());
    result(a.stop());
    result(b.stop());
    result(Postgres.dropSchema(vertx, schema));
    result(vertx.close());
  }

  @Test
  void aSwitchThroughOneReplicaReachesTheOthersListsAndTheAgentsStreamThere() {
    String session = session(a);
    assertEquals(List.of("one_alpha", "two_beta"), tools(b, session), "b has read (and cached) this session's switches: none");
    HttpClient http = vertx.createHttpClient();
    try {
      StringBuilder events = new StringBuilder();
      Promise<Void> open = Promise.promise();
      RawHttp.send(http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(b.gateway.port())
          .setURI("/mcp/acme/portals/team").putHeader("Authorization", "Bearer " + TestGateway.AGENT)
          .putHeader("Accept", "text/event-stream").putHeader("Mcp-Session-Id", session)), null, response -> response.handler(chunk -> {
            synchronized (events) {
              events.append(chunk);
            }
            open.tryComplete();
          }));
      result(open.future());

      JsonObject off = call(a, session, "portal_toggle_single_server", new JsonObject().put("server_id", "one").put("action", "untoggle"));
      assertEquals(false, off.getJsonObject("structuredContent").getBoolean("enabled"), off.encode());
      Await.until(() -> tools(b, session).equals(List.of("two_beta")), "b forgot its cached switches");
      Await.until(() -> {
        synchronized (events) {
          return events.toString().contains("notifications/tools/list_changed");
        }
      }, "the stream on b heard of the switch made on a");

      // the page link a gave works on b too: any replica with the secret opens the ticket
      URI page = URI.create(call(a, session, "portal_toggle_servers", new JsonObject()).getJsonObject("structuredContent").getString("url"));
      String pathAndQuery = page.getRawPath() + "?" + page.getRawQuery();
      String ticket = PortalTogglesTest.ticketOf(page);
      HttpResponse<Buffer> switched = result(b.client.post(pathAndQuery).followRedirects(false)
          .putHeader("Content-Type", "application/x-www-form-urlencoded")
          .sendBuffer(Buffer.buffer("ticket=" + java.net.URLEncoder.encode(ticket, java.nio.charset.StandardCharsets.UTF_8) + "&action=reset")));
      assertEquals(303, switched.statusCode(), switched.bodyAsString());
      Await.until(() -> tools(a, session).equals(List.of("one_alpha", "two_beta")), "a forgot its cached switches");
    } finally {
      result(http.close());
    }
  }

  static HttpRequest<Buffer> post(TestGateway gw, String session) {
    HttpRequest<Buffer> request = gw.client.post("/mcp/acme/portals/team").putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
    return session == null ? request : request.putHeader("Mcp-Session-Id", session);
  }

  static String session(TestGateway gw) {
    HttpResponse<Buffer> init = result(post(gw, null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "raw").put("version", "1")))));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    return init.getHeader("Mcp-Session-Id");
  }

  static List<String> tools(TestGateway gw, String session) {
    HttpResponse<Buffer> list = result(post(gw, session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/list")));
    assertEquals(200, list.statusCode(), list.bodyAsString());
    return list.bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name"))
        .filter(name -> !name.startsWith("portal_")).toList();
  }

  static JsonObject call(TestGateway gw, String session, String name, JsonObject arguments) {
    HttpResponse<Buffer> answer = result(post(gw, session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 3)
        .put("method", "tools/call").put("params", new JsonObject().put("name", name).put("arguments", arguments))));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertTrue(answer.bodyAsJsonObject().containsKey("result"), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonObject("result");
  }
}
