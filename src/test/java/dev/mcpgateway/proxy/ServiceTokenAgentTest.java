package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.onContext;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service tokens on the MCP endpoints: the official TypeScript SDK client sending
 * {@code CF-Access-Client-Id} and {@code CF-Access-Client-Secret} reaches server-everything through
 * the gateway; a wrong secret, an unknown id, one header alone, an expired, rotated-away or deleted
 * token answer 401 {@code invalid_token}; a token limited to some servers gets 403 on the others (and
 * on another account); servers that act on their users' behalf are closed to service tokens, on
 * their own endpoint (403) and in a portal (left out); and with PostgreSQL, a token deleted or
 * rotated through one replica stops working on another within seconds.
 */
class ServiceTokenAgentTest {
  @TempDir Path dataDir;
  @TempDir Path dirB;
  Vertx vertx;
  TestGateway gw;
  TestGateway replica;
  String schema;
  NodePeer everything;
  FakeUpstream fake;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (everything != null) everything.close();
    if (fake != null) result(fake.stop());
    if (gw != null) result(gw.stop());
    if (replica != null) result(replica.stop());
    if (schema != null) result(Postgres.dropSchema(vertx, schema));
    result(vertx.close());
  }

  /** The embedded gateway with server-everything synced as acme's {@code everything} and {@code second}. */
  void withEverything() {
    gw = result(TestGateway.start(vertx, dataDir, null));
    serviceAuth(gw);
    everything = NodePeer.everything("streamableHttp");
    gw.addSyncedServer("acme", "everything", everything.url("/mcp"));
    gw.addSyncedServer("acme", "second", everything.url("/mcp"));
  }

  /** Cloudflare's Service Auth: a service token reaches only what a non_identity policy gives it (here every token, everything). */
  static String serviceAuth(TestGateway via) {
    HttpResponse<Buffer> created = result(via.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ACME)
        .sendJsonObject(new JsonObject().put("name", "service auth").put("decision", "non_identity")
            .put("include", new JsonArray().add(new JsonObject().put("any_valid_service_token", new JsonObject())))
            .put("servers", new JsonArray().add("*")).put("portals", new JsonArray().add("*"))));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("result").getString("id");
  }

  @Test
  void aTokenReachesOnlyWhatAServiceAuthPolicyGivesIt() {
    withEverything();
    JsonObject token = createToken(gw, new JsonObject().put("name", "ci"));
    String path = TestGateway.mcp("acme", "everything");
    assertEquals(200, initialize(gw, path, headers(token)).statusCode());
    HttpResponse<Buffer> denied = result(gw.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ACME)
        .sendJsonObject(new JsonObject().put("name", "not this token on second").put("decision", "deny")
            .put("include", new JsonArray().add(new JsonObject().put("service_token", new JsonObject().put("token_id", token.getString("id")))))
            .put("servers", new JsonArray().add("second"))));
    assertEquals(201, denied.statusCode(), denied.bodyAsString());
    assertEquals(403, initialize(gw, TestGateway.mcp("acme", "second"), headers(token)).statusCode(), "a deny policy wins");
    assertEquals(200, initialize(gw, path, headers(token)).statusCode(), "elsewhere the service auth policy still holds");
    for (Object policy : result(gw.client.get("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ACME).send())
        .bodyAsJsonObject().getJsonArray("result")) {
      result(gw.client.delete("/accounts/acme/access/policies/" + ((JsonObject) policy).getString("id"))
          .putHeader("Authorization", "Bearer " + TestGateway.ACME).send());
    }
    HttpResponse<Buffer> none = initialize(gw, path, headers(token));
    assertEquals(403, none.statusCode(), "no service auth policy: nothing (fail closed)");
    assertTrue(none.bodyAsString().contains("no access policy lets this service token use this MCP server"), none.bodyAsString());
  }

  static String tokens(String account) {
    return "/accounts/" + account + "/access/service_tokens";
  }

  /** A new token of acme made through {@code via}: its API view with {@code client_secret}. */
  static JsonObject createToken(TestGateway via, JsonObject body) {
    HttpResponse<Buffer> created = result(via.client.post(tokens("acme")).putHeader("Authorization", "Bearer " + TestGateway.ACME)
        .sendJsonObject(body));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getJsonObject("result");
  }

  static JsonObject admin(TestGateway via, HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = via.client.request(method, path).putHeader("Authorization", "Bearer " + TestGateway.ACME);
    HttpResponse<Buffer> response = result(body == null ? request.send() : request.sendJsonObject(body));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  static Map<String, String> headers(String clientId, String secret) {
    return Map.of("CF-Access-Client-Id", clientId, "CF-Access-Client-Secret", secret);
  }

  static Map<String, String> headers(JsonObject token) {
    return headers(token.getString("client_id"), token.getString("client_secret"));
  }

  /** A raw {@code initialize} to {@code path} with these headers. */
  static HttpResponse<Buffer> initialize(TestGateway via, String path, Map<String, String> headers) {
    HttpRequest<Buffer> request = via.client.request(HttpMethod.POST, path).putHeader("Accept", "application/json, text/event-stream");
    headers.forEach(request::putHeader);
    return result(request.sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "bot").put("version", "1")))));
  }

  static void assertInvalidToken(HttpResponse<Buffer> response, String what) {
    assertEquals(401, response.statusCode(), what + ": " + response.bodyAsString());
    assertTrue(response.getHeader("WWW-Authenticate").contains("error=\"invalid_token\""), what + ": " + response.getHeader("WWW-Authenticate"));
  }

  static List<String> toolNames(JsonObject report, int step) {
    JsonObject listed = NodeAgent.step(report, step);
    assertTrue(listed.getBoolean("ok"), listed.encode());
    return listed.getJsonObject("result").getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  @Test
  void theSdkClientWithCfHeadersReachesARealSyncedUpstream() {
    withEverything();
    JsonObject token = createToken(gw, new JsonObject().put("name", "bot"));
    JsonObject report = NodeAgent.runWithHeaders(gw.mcpUrl("acme", "everything"), headers(token), new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "echo").put("arguments", new JsonObject().put("message", "from a bot"))));
    assertFalse(report.containsKey("error"), report.encode());
    assertTrue(toolNames(report, 0).contains("echo"), report.encode());
    assertTrue(NodeAgent.step(report, 1).encode().contains("from a bot"), report.encode());
    // last_seen_at is recorded after the fact, off the request's path
    Await.until(() -> admin(gw, HttpMethod.GET, tokens("acme") + "/" + token.getString("id"), null).getValue("last_seen_at") != null,
        "last_seen_at is recorded");
    Instant seen = Instant.parse(admin(gw, HttpMethod.GET, tokens("acme") + "/" + token.getString("id"), null).getString("last_seen_at"));
    assertTrue(seen.isAfter(Instant.parse(token.getString("created_at")).minusSeconds(1)), seen.toString());
  }

  @Test
  void wrongUnknownHalfExpiredRotatedAndDeletedCredentialsAre401() {
    withEverything();
    String path = TestGateway.mcp("acme", "everything");
    JsonObject token = createToken(gw, new JsonObject().put("name", "bot"));
    String id = tokens("acme") + "/" + token.getString("id");
    String clientId = token.getString("client_id");
    String first = token.getString("client_secret");
    assertEquals(200, initialize(gw, path, headers(token)).statusCode());

    assertInvalidToken(initialize(gw, path, headers(clientId, first.replace(first.charAt(0), first.charAt(0) == 'a' ? 'b' : 'a'))), "wrong secret");
    assertInvalidToken(initialize(gw, path, headers("0".repeat(32) + ".access", first)), "unknown client id");
    assertInvalidToken(initialize(gw, path, headers("not a client id", first)), "malformed client id");
    assertInvalidToken(initialize(gw, path, Map.of("CF-Access-Client-Id", clientId)), "no secret");
    assertInvalidToken(initialize(gw, path, Map.of("CF-Access-Client-Secret", first)), "no id");
    HttpResponse<Buffer> both = initialize(gw, path, Map.of("CF-Access-Client-Id", clientId, "CF-Access-Client-Secret", "x",
        "Authorization", "Bearer " + TestGateway.AGENT));
    assertInvalidToken(both, "the CF headers are judged first, a valid client token beside them notwithstanding");

    // rotation without grace: the old secret stops at once; with grace both work until it ends
    String second = admin(gw, HttpMethod.POST, id + "/rotate", null).getString("client_secret");
    assertInvalidToken(initialize(gw, path, headers(clientId, first)), "rotated away");
    assertEquals(200, initialize(gw, path, headers(clientId, second)).statusCode());
    String third = admin(gw, HttpMethod.POST, id + "/rotate", new JsonObject().put("previous_client_secret_expires_at",
        Instant.now().plusSeconds(3600).toString())).getString("client_secret");
    assertEquals(200, initialize(gw, path, headers(clientId, second)).statusCode(), "within the grace period");
    assertEquals(200, initialize(gw, path, headers(clientId, third)).statusCode());
    admin(gw, HttpMethod.PUT, id, new JsonObject().put("previous_client_secret_expires_at", "2020-01-01T00:00:00Z"));
    assertInvalidToken(initialize(gw, path, headers(clientId, second)), "grace ended early");

    // expired: valid for a millisecond; a longer duration brings it back
    admin(gw, HttpMethod.PUT, id, new JsonObject().put("duration", "1ms"));
    HttpResponse<Buffer> expired = initialize(gw, path, headers(clientId, third));
    assertInvalidToken(expired, "expired");
    assertTrue(expired.bodyAsString().contains("expired"), expired.bodyAsString());
    admin(gw, HttpMethod.PUT, id, new JsonObject().put("duration", "1h"));
    assertEquals(200, initialize(gw, path, headers(clientId, third)).statusCode());

    admin(gw, HttpMethod.DELETE, id, null);
    assertInvalidToken(initialize(gw, path, headers(clientId, third)), "deleted");
    assertEquals(200, initialize(gw, path, Map.of("Authorization", "Bearer " + TestGateway.AGENT)).statusCode(), "client tokens as before");
  }

  @Test
  void aTokenLimitedToServersGets403OnTheOthersAndOnOtherAccounts() {
    withEverything();
    JsonObject limited = createToken(gw, new JsonObject().put("name", "limited").put("servers", new JsonArray().add("everything")));
    assertEquals(200, initialize(gw, TestGateway.mcp("acme", "everything"), headers(limited)).statusCode());
    HttpResponse<Buffer> other = initialize(gw, TestGateway.mcp("acme", "second"), headers(limited));
    assertEquals(403, other.statusCode(), other.bodyAsString());
    assertTrue(other.bodyAsString().contains("service token"), other.bodyAsString());
    assertEquals(403, initialize(gw, TestGateway.mcp("globex", "everything"), headers(limited)).statusCode());
    JsonObject whole = createToken(gw, new JsonObject().put("name", "whole account"));
    assertEquals(200, initialize(gw, TestGateway.mcp("acme", "second"), headers(whole)).statusCode());
    assertEquals(403, initialize(gw, TestGateway.mcp("globex", "everything"), headers(whole)).statusCode());
  }

  /**
   * Cloudflare excludes servers that need a per-user OAuth grant from service-token sessions. Here
   * {@code second} is made such a server in the store (an admin connection is not needed to see the
   * refusal, and its synced tools stay for the portal's list).
   */
  @Test
  void serversActingOnBehalfOfUsersAreClosedToServiceTokens() {
    withEverything();
    onContext(vertx, () -> gw.gateway.store().update("acme", "second",
        s -> s.toBuilder().authType(AuthType.OAUTH).oauthOnBehalf(true).build()));
    JsonObject token = createToken(gw, new JsonObject().put("name", "bot"));
    HttpResponse<Buffer> refused = initialize(gw, TestGateway.mcp("acme", "second"), headers(token));
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("on behalf"), refused.bodyAsString());
    assertNotEquals(403, initialize(gw, TestGateway.mcp("acme", "second"), Map.of("Authorization", "Bearer " + TestGateway.AGENT))
        .statusCode(), "a client token is a user here, as before");

    HttpResponse<Buffer> portal = result(gw.client.post(TestGateway.portals("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "team").put("name", "Team").put("hostname", "team.example.com")
            .put("servers", new JsonArray().add(new JsonObject().put("server_id", "everything")).add(new JsonObject().put("server_id", "second")))));
    assertEquals(201, portal.statusCode(), portal.bodyAsString());
    String url = "http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/team";
    JsonArray list = new JsonArray().add(new JsonObject().put("op", "listTools"));
    List<String> bot = toolNames(NodeAgent.runWithHeaders(url, headers(token), list), 0);
    assertTrue(bot.contains("everything_echo"), bot.toString());
    assertTrue(bot.stream().noneMatch(n -> n.startsWith("second_")), "the on-behalf member is left out: " + bot);
    List<String> agent = toolNames(NodeAgent.run(url, TestGateway.AGENT, list), 0);
    assertTrue(agent.contains("second_echo"), "a client token still sees it: " + agent);
    JsonObject call = NodeAgent.step(NodeAgent.runWithHeaders(url, headers(token), new JsonArray()
        .add(new JsonObject().put("op", "callTool").put("name", "second_echo").put("arguments", new JsonObject().put("message", "x")))), 0);
    assertTrue(!call.getBoolean("ok") || call.getJsonObject("result").getBoolean("isError", false), call.encode());
  }

  /** PostgreSQL: what one replica does to a token holds on the other within seconds (its cache hears the store's notification). */
  @Test
  void aTokenRotatedOrDeletedOnOneReplicaStopsWorkingOnTheOther() {
    schema = Postgres.newSchema();
    gw = result(TestGateway.start(vertx, dataDir, schema));
    replica = result(TestGateway.start(vertx, TestGateway.config(dirB, schema), dirB, schema));
    serviceAuth(gw);
    fake = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "t")), 0)));
    gw.addSyncedServer("acme", "srv", fake.url());
    String path = TestGateway.mcp("acme", "srv");
    JsonObject token = createToken(gw, new JsonObject().put("name", "bot"));
    String id = tokens("acme") + "/" + token.getString("id");
    assertEquals(200, initialize(replica, path, headers(token)).statusCode(), "made on one replica, used on the other");

    String second = admin(gw, HttpMethod.POST, id + "/rotate", null).getString("client_secret");
    List<Long> waits = new ArrayList<>();
    long started = System.nanoTime();
    Await.until(() -> initialize(replica, path, headers(token)).statusCode() == 401, "the old secret is refused on the other replica");
    waits.add((System.nanoTime() - started) / 1_000_000);
    assertEquals(200, initialize(replica, path, headers(token.getString("client_id"), second)).statusCode());

    admin(gw, HttpMethod.DELETE, id, null);
    started = System.nanoTime();
    Await.until(() -> initialize(replica, path, headers(token.getString("client_id"), second)).statusCode() == 401,
        "the deleted token is refused on the other replica");
    waits.add((System.nanoTime() - started) / 1_000_000);
    System.out.println("rotation and deletion reached the other replica after " + waits + " ms (polling every 50 ms)");
    assertTrue(waits.stream().allMatch(ms -> ms < 6_000), "within the cache's 5 s at most: " + waits + " ms");
  }
}
