package dev.mcpgateway.admin;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API over real HTTP, run against a gateway on each store: the CRUD life cycle,
 * authentication and account isolation, secrets, persistence across restarts, concurrency and the
 * audit trail.
 */
abstract class AdminApiContract {
  static final String SECRET = "sk-live-PLANTED-SECRET-4f1c9a";
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;

  /** The PostgreSQL schema for this test, or null for the embedded store. */
  abstract String pgSchema();

  /** Every stored byte, for checking that no secret is kept in plaintext. */
  abstract String storedBytes() throws Exception;

  /** Makes appending to account acme's audit trail fail from now on, while servers can still be written. */
  abstract void breakAcmeAuditTrail() throws Exception;

  static String audit(String account) {
    return "/accounts/" + account + "/access/ai-controls/mcp/audit";
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, pgSchema()));
  }

  @AfterEach
  void stop() {
    result(gw.stop());
    result(vertx.close());
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = gw.client.request(method, path);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (body == null) return result(request.send());
    request.putHeader("Content-Type", "application/json");
    return result(request.sendBuffer(Buffer.buffer(body.toString())));
  }

  static JsonObject bearerServer(String id) {
    return new JsonObject().put("id", id).put("name", "Server " + id).put("hostname", "https://mcp.example.com/" + id)
        .put("auth_type", "bearer").put("auth_credentials", SECRET);
  }

  static JsonObject envelope(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
    JsonObject body = response.bodyAsJsonObject();
    assertTrue(Set.of("success", "errors", "messages", "result", "result_info").containsAll(body.fieldNames()), body.encode());
    assertTrue(body.containsKey("result"), body.encode());
    assertEquals(status < 300, body.getBoolean("success"));
    assertNotNull(body.getJsonArray("errors"));
    assertNotNull(body.getJsonArray("messages"));
    return body;
  }

  static List<Integer> codes(JsonObject envelope) {
    return envelope.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getInteger("code")).toList();
  }

  @Test
  void createReadUpdateListDeleteLifeCycle() {
    JsonObject created = envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ACME,
        bearerServer("life").put("description", "first")), 200).getJsonObject("result");
    assertEquals("life", created.getString("id"));
    assertEquals("waiting", created.getString("status"));
    assertEquals(new JsonArray(), created.getJsonArray("tools"));
    assertEquals(new JsonArray(), created.getJsonArray("prompts"));
    assertEquals("acme-bot", created.getString("created_by"));
    assertEquals("acme-bot", created.getString("modified_by"));
    Instant createdAt = Instant.parse(created.getString("created_at"));
    assertEquals(createdAt, Instant.parse(created.getString("modified_at")));
    assertFalse(created.containsKey("auth_credentials"));

    JsonObject read = envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/life", TestGateway.ACME, null), 200)
        .getJsonObject("result");
    assertEquals(created, read);

    JsonObject updated = envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/life", TestGateway.ADMIN,
        new JsonObject().put("name", "Renamed")), 200).getJsonObject("result");
    assertEquals("Renamed", updated.getString("name"));
    assertEquals("first", updated.getString("description"));
    assertEquals("acme-bot", updated.getString("created_by"));
    assertEquals(created.getString("created_at"), updated.getString("created_at"));
    assertEquals("test-admin", updated.getString("modified_by"));
    assertFalse(Instant.parse(updated.getString("modified_at")).isBefore(createdAt));

    JsonObject list = envelope(send(HttpMethod.GET, TestGateway.servers("acme"), TestGateway.ACME, null), 200);
    assertEquals(1, list.getJsonArray("result").size());
    assertEquals(new JsonObject().put("page", 1).put("per_page", 25).put("count", 1).put("total_count", 1).put("total_pages", 1),
        list.getJsonObject("result_info"));

    JsonObject deleted = envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/life", TestGateway.ACME, null), 200)
        .getJsonObject("result");
    assertEquals(updated, deleted);
    JsonObject gone = envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/life", TestGateway.ACME, null), 404);
    assertEquals(List.of(2001), codes(gone));
    assertEquals(List.of(2001), codes(envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/life", TestGateway.ACME, null), 404)));
    assertEquals(List.of(2001), codes(envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/life", TestGateway.ACME,
        new JsonObject().put("name", "x")), 404)));
  }

  @Test
  void duplicateIdIs409AndTheSameIdInAnotherAccountIsAnotherServer() {
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("twin")), 200);
    JsonObject conflict = envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN,
        bearerServer("twin").put("name", "other")), 409);
    assertEquals(List.of(2002), codes(conflict));
    envelope(send(HttpMethod.POST, TestGateway.servers("globex"), TestGateway.ADMIN, bearerServer("twin").put("name", "Globex twin")), 200);
    assertEquals("Server twin", envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/twin", TestGateway.ADMIN, null), 200)
        .getJsonObject("result").getString("name"));
    assertEquals("Globex twin", envelope(send(HttpMethod.GET, TestGateway.servers("globex") + "/twin", TestGateway.ADMIN, null), 200)
        .getJsonObject("result").getString("name"));
  }

  @Test
  void missingOrWrongTokensAre401WithAChallengeOnEveryRoute() {
    for (String token : new String[] {null, "wrong-token", ""}) {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
        for (String path : List.of(TestGateway.servers("acme"), TestGateway.servers("acme") + "/x", TestGateway.servers("acme") + "/x/nope",
            audit("acme"))) {
          HttpResponse<Buffer> response = send(method, path, token,
              method == HttpMethod.POST || method == HttpMethod.PUT ? bearerServer("x") : null);
          assertEquals(List.of(10000), codes(envelope(response, 401)), method + " " + path);
          assertTrue(response.getHeader("WWW-Authenticate").startsWith("Bearer"));
        }
      }
    }
    HttpResponse<Buffer> basic = result(gw.client.get(TestGateway.servers("acme")).putHeader("Authorization", "Basic YTpi").send());
    assertEquals(401, basic.statusCode());
  }

  @Test
  void aTokenForAnotherAccountIs403EverywhereAndChangesNothing() {
    envelope(send(HttpMethod.POST, TestGateway.servers("globex"), TestGateway.ADMIN, bearerServer("theirs")), 200);
    String base = TestGateway.servers("globex");
    Map<HttpMethod, List<String>> routes = Map.of(
        HttpMethod.GET, List.of(base, base + "/theirs", base + "/missing", audit("globex"), audit("globex") + "?server_id=theirs"),
        HttpMethod.POST, List.of(base),
        HttpMethod.PUT, List.of(base + "/theirs"),
        HttpMethod.DELETE, List.of(base + "/theirs"));
    routes.forEach((method, paths) -> paths.forEach(path -> {
      Object body = method == HttpMethod.POST ? bearerServer("mine")
          : method == HttpMethod.PUT ? new JsonObject().put("name", "hijacked") : null;
      assertEquals(List.of(10001), codes(envelope(send(method, path, TestGateway.ACME, body), 403)), method + " " + path);
    }));
    JsonObject theirs = envelope(send(HttpMethod.GET, base + "/theirs", TestGateway.ADMIN, null), 200).getJsonObject("result");
    assertEquals("Server theirs", theirs.getString("name"));
    assertEquals(1, envelope(send(HttpMethod.GET, base, TestGateway.ADMIN, null), 200).getJsonArray("result").size());
  }

  @Test
  void unknownRoutesAre404AndWrongMethodsAre405InTheEnvelope() {
    assertEquals(List.of(7000), codes(envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/a/b/c", TestGateway.ADMIN, null), 404)));
    assertEquals(List.of(7000), codes(envelope(send(HttpMethod.GET, "/accounts/acme/access/other", TestGateway.ADMIN, null), 404)));
    assertEquals(List.of(7001), codes(envelope(send(HttpMethod.PATCH, TestGateway.servers("acme") + "/x", TestGateway.ADMIN, null), 405)));
    assertEquals(List.of(7001), codes(envelope(send(HttpMethod.DELETE, TestGateway.servers("acme"), TestGateway.ADMIN, null), 405)));
    assertEquals(List.of(7000), codes(envelope(send(HttpMethod.GET, "/nothing-here", null, null), 404)));
    // malformed percent-encoding, in the query and in the path
    assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "?search=%ZZ", TestGateway.ADMIN, null), 400)));
    assertEquals(List.of(1001), codes(envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/%ZZ", TestGateway.ADMIN, null), 400)));
  }

  @Test
  void credentialsNeverLeaveTheGatewayAndAreEncryptedAtRest() throws Exception {
    List<String> bodies = new ArrayList<>();
    bodies.add(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("sec")).bodyAsString());
    JsonObject headers = new JsonObject().put("headers", new JsonObject().put("X-Api-Key", SECRET));
    bodies.add(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN,
        bearerServer("sec2").put("auth_credentials", headers.encode())).bodyAsString());
    bodies.add(send(HttpMethod.PUT, TestGateway.servers("acme") + "/sec", TestGateway.ADMIN,
        new JsonObject().put("auth_credentials", SECRET + "-rotated")).bodyAsString());
    bodies.add(send(HttpMethod.GET, TestGateway.servers("acme") + "/sec", TestGateway.ADMIN, null).bodyAsString());
    bodies.add(send(HttpMethod.GET, TestGateway.servers("acme"), TestGateway.ADMIN, null).bodyAsString());
    // a rejected request must not echo the secret in its error either
    bodies.add(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN,
        bearerServer("sec3").put("auth_type", "unauthenticated")).bodyAsString());
    bodies.add(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN,
        bearerServer("sec4").put("auth_credentials", SECRET + " with space")).bodyAsString());
    bodies.add(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/sec2", TestGateway.ADMIN, null).bodyAsString());
    for (String body : bodies) {
      assertFalse(body.contains("PLANTED"), body);
      assertFalse(body.contains("auth_credentials\":"), body);
    }
    String stored = storedBytes();
    assertTrue(stored.contains("\"sec\""), "the stored bytes hold the server");
    assertFalse(stored.contains("PLANTED"), "credentials are stored in plaintext");
  }

  @Test
  void aBearerServerThatMovesToAnotherHostNeedsItsCredentialsAgain() {
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("mover")), 200);
    JsonObject refused = envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/mover", TestGateway.ADMIN,
        new JsonObject().put("hostname", "https://elsewhere.example.com/mcp")), 400);
    assertEquals(List.of(1101), codes(refused));
    assertEquals("https://mcp.example.com/mover", envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/mover",
        TestGateway.ADMIN, null), 200).getJsonObject("result").getString("hostname"));
    JsonObject moved = envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/mover", TestGateway.ADMIN,
        new JsonObject().put("hostname", "https://elsewhere.example.com/mcp").put("auth_credentials", "new-token")), 200)
        .getJsonObject("result");
    assertEquals("waiting", moved.getString("status"));
    JsonObject unauthenticated = envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/mover", TestGateway.ADMIN,
        new JsonObject().put("auth_type", "unauthenticated")), 200).getJsonObject("result");
    assertEquals("unauthenticated", unauthenticated.getString("auth_type"));
  }

  @Test
  void everyAcknowledgedWriteSurvivesARestart() {
    for (int i = 0; i < 5; i++) envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("keep-" + i)), 200);
    envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/keep-1", TestGateway.ADMIN,
        new JsonObject().put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "say")))), 200);
    envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/keep-4", TestGateway.ADMIN, null), 200);
    JsonObject before = envelope(send(HttpMethod.GET, TestGateway.servers("acme"), TestGateway.ADMIN, null), 200);
    JsonObject trailBefore = envelope(send(HttpMethod.GET, audit("acme") + "?per_page=100", TestGateway.ADMIN, null), 200);

    result(gw.stop());
    gw = result(TestGateway.start(vertx, dataDir, pgSchema()));

    JsonObject after = envelope(send(HttpMethod.GET, TestGateway.servers("acme"), TestGateway.ADMIN, null), 200);
    assertEquals(before, after);
    assertEquals(4, after.getJsonObject("result_info").getInteger("total_count"));
    assertEquals(trailBefore, envelope(send(HttpMethod.GET, audit("acme") + "?per_page=100", TestGateway.ADMIN, null), 200));
    assertEquals(7, trailBefore.getJsonObject("result_info").getInteger("total_count"));
  }

  @Test
  void sixtySimultaneousCreatesOfOneIdYieldOneSuccessAndTheRest409() {
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      requests.add(gw.client.post(TestGateway.servers("acme")).bearerTokenAuthentication(TestGateway.ADMIN)
          .sendJsonObject(bearerServer("same").put("name", "attempt " + i)));
    }
    result(Future.all(requests));
    Map<Integer, Long> byStatus = requests.stream()
        .collect(Collectors.groupingBy(r -> r.result().statusCode(), Collectors.counting()));
    assertEquals(Map.of(200, 1L, 409, 59L), byStatus);
    assertEquals(1, envelope(send(HttpMethod.GET, TestGateway.servers("acme"), TestGateway.ADMIN, null), 200)
        .getJsonObject("result_info").getInteger("total_count"));
  }

  @Test
  void sixtySimultaneousUpdatesOfOneServerLoseNoField() {
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("hot")), 200);
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      JsonObject change = switch (i % 4) {
        case 0 -> new JsonObject().put("name", "name-" + i);
        case 1 -> new JsonObject().put("description", "description-" + i);
        case 2 -> new JsonObject().put("updated_tools", new JsonArray().add(new JsonObject().put("name", "tool-" + i)));
        default -> new JsonObject().put("updated_prompts", new JsonArray().add(new JsonObject().put("name", "prompt-" + i)));
      };
      requests.add(gw.client.put(TestGateway.servers("acme") + "/hot").bearerTokenAuthentication(TestGateway.ADMIN)
          .sendJsonObject(change));
    }
    result(Future.all(requests));
    requests.forEach(r -> assertEquals(200, r.result().statusCode()));
    JsonObject server = envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/hot", TestGateway.ADMIN, null), 200)
        .getJsonObject("result");
    // Every field was set by some request; a lost update would have put back the original value.
    assertTrue(server.getString("name").startsWith("name-"), server.encode());
    assertTrue(server.getString("description").startsWith("description-"), server.encode());
    assertTrue(server.getJsonArray("updated_tools").getJsonObject(0).getString("name").startsWith("tool-"));
    assertTrue(server.getJsonArray("updated_prompts").getJsonObject(0).getString("name").startsWith("prompt-"));
    assertNotEquals(server.getString("created_at"), server.getString("modified_at"));
  }

  @Test
  void readinessFollowsTheStore() {
    JsonObject ready = result(gw.client.get("/health/ready").send()).bodyAsJsonObject();
    assertEquals("UP", ready.getString("status"));
    assertEquals(200, result(gw.client.get("/health/live").send()).statusCode());
    result(gw.gateway.stores().close());
    HttpResponse<Buffer> down = result(gw.client.get("/health/ready").send());
    assertEquals(503, down.statusCode());
    assertEquals(List.of(9002), codes(envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("late")), 503)));
  }

  // ------------------------------------------------------------------------------------ audit trail

  /** The account's whole audit trail, newest first. */
  List<JsonObject> trail(String account) {
    JsonObject page = envelope(send(HttpMethod.GET, audit(account) + "?per_page=100", TestGateway.ADMIN, null), 200);
    List<JsonObject> entries = new ArrayList<>();
    page.getJsonArray("result").forEach(e -> entries.add((JsonObject) e));
    assertEquals(entries.size(), page.getJsonObject("result_info").getInteger("total_count"));
    return entries;
  }

  @Test
  void createUpdateSyncAndDeleteAreAuditedWithActorAndTheServerBeforeAndAfter() {
    FakeUpstream upstream = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx,
        new JsonArray().add(new JsonObject().put("name", "echo")), 0)));
    try {
      JsonObject created = envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ACME,
          new JsonObject().put("id", "audited").put("name", "Audited").put("hostname", upstream.url())
              .put("auth_type", "unauthenticated")), 200).getJsonObject("result");
      JsonObject updated = envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/audited", TestGateway.ADMIN,
          new JsonObject().put("description", "watched")), 200).getJsonObject("result");
      envelope(send(HttpMethod.POST, TestGateway.servers("acme") + "/audited/sync", TestGateway.ACME, null), 200);
      JsonObject synced = envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/audited", TestGateway.ACME, null), 200)
          .getJsonObject("result");
      assertEquals("ready", synced.getString("status"));
      JsonObject deleted = envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/audited", TestGateway.ADMIN, null), 200)
          .getJsonObject("result");

      List<JsonObject> trail = trail("acme");
      assertEquals(List.of("delete", "sync", "update", "create"), trail.stream().map(e -> e.getString("action")).toList());
      assertEquals(List.of("test-admin", "acme-bot", "test-admin", "acme-bot"), trail.stream().map(e -> e.getString("actor")).toList());
      for (int i = 0; i < trail.size(); i++) {
        JsonObject entry = trail.get(i);
        assertEquals(Set.of("id", "account_id", "server_id", "action", "actor", "at", "before", "after"), entry.fieldNames());
        assertEquals("acme", entry.getString("account_id"));
        assertEquals("audited", entry.getString("server_id"));
        Instant at = Instant.parse(entry.getString("at"));
        if (i > 0) {
          assertTrue(entry.getLong("id") < trail.get(i - 1).getLong("id"), "newest first: " + trail);
          assertFalse(at.isAfter(Instant.parse(trail.get(i - 1).getString("at"))), "newest first: " + trail);
        }
      }
      JsonObject create = trail.get(3);
      JsonObject update = trail.get(2);
      JsonObject sync = trail.get(1);
      JsonObject delete = trail.get(0);
      assertNull(create.getValue("before"));
      assertEquals(created, create.getJsonObject("after"));
      assertEquals(created, update.getJsonObject("before"));
      assertEquals(updated, update.getJsonObject("after"));
      assertEquals(new JsonObject().put("status", "waiting"), sync.getJsonObject("before"));
      assertEquals(new JsonObject().put("status", "ready").put("last_synced", synced.getString("last_synced"))
          .put("last_successful_sync", synced.getString("last_successful_sync")), sync.getJsonObject("after"));
      assertEquals(deleted, delete.getJsonObject("before"));
      assertNull(delete.getValue("after"));
      // the audit trail outlives the server
      assertEquals(4, trail("acme").size());
    } finally {
      result(upstream.stop());
    }
  }

  @Test
  void noCredentialAppearsInTheAuditTrailOnlyThatItChanged() throws Exception {
    String server = TestGateway.servers("acme") + "/vault";
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("vault")), 200);
    envelope(send(HttpMethod.PUT, server, TestGateway.ADMIN, new JsonObject().put("auth_credentials", SECRET + "-rotated")), 200);
    envelope(send(HttpMethod.PUT, server, TestGateway.ADMIN, new JsonObject().put("name", "Vault")), 200);
    JsonObject headers = new JsonObject().put("headers", new JsonObject().put("X-Api-Key", SECRET + "-header"));
    envelope(send(HttpMethod.PUT, server, TestGateway.ADMIN, new JsonObject().put("hostname", "https://vault.example.com/mcp")
        .put("auth_credentials", headers.encode())), 200);
    envelope(send(HttpMethod.PUT, server, TestGateway.ADMIN, new JsonObject().put("auth_type", "unauthenticated")), 200);
    envelope(send(HttpMethod.DELETE, server, TestGateway.ADMIN, null), 200);

    String raw = send(HttpMethod.GET, audit("acme"), TestGateway.ADMIN, null).bodyAsString();
    assertFalse(raw.contains("PLANTED"), raw);
    assertFalse(raw.contains("sealed"), raw);
    List<JsonObject> trail = trail("acme");
    // newest first: delete, unauthenticated (credentials dropped), moved (new ones), rename, rotate, create
    List<Object> marks = trail.stream().map(e -> e.getValue("after") instanceof JsonObject after ? after.getValue("auth_credentials") : null)
        .toList();
    String changed = "[redacted: changed]";
    assertEquals(java.util.Arrays.asList(null, changed, changed, null, changed, changed), marks);
    for (JsonObject entry : trail) {
      if (entry.getValue("before") instanceof JsonObject before) assertFalse(before.containsKey("auth_credentials"), entry.encode());
    }
    assertFalse(storedBytes().contains("PLANTED"), "credentials are stored in plaintext");
  }

  @Test
  void theAuditTrailPagesNewestFirstAndFiltersByServer() {
    for (String id : List.of("p1", "p2", "p3")) {
      envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ACME, bearerServer(id)), 200);
    }
    envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/p1", TestGateway.ACME, new JsonObject().put("name", "one")), 200);
    envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/p2", TestGateway.ACME, null), 200);
    envelope(send(HttpMethod.POST, TestGateway.servers("globex"), TestGateway.ADMIN, bearerServer("p1")), 200);

    JsonObject first = envelope(send(HttpMethod.GET, audit("acme") + "?per_page=2", TestGateway.ACME, null), 200);
    assertEquals(new JsonObject().put("page", 1).put("per_page", 2).put("count", 2).put("total_count", 5).put("total_pages", 3),
        first.getJsonObject("result_info"));
    assertEquals(List.of("delete p2", "update p1"), summaries(first));
    assertEquals(List.of("create p3", "create p2"), summaries(envelope(send(HttpMethod.GET, audit("acme") + "?per_page=2&page=2",
        TestGateway.ACME, null), 200)));
    JsonObject last = envelope(send(HttpMethod.GET, audit("acme") + "?per_page=2&page=3", TestGateway.ACME, null), 200);
    assertEquals(List.of("create p1"), summaries(last));
    assertEquals(1, last.getJsonObject("result_info").getInteger("count"));
    JsonObject beyond = envelope(send(HttpMethod.GET, audit("acme") + "?page=9", TestGateway.ACME, null), 200);
    assertEquals(List.of(), summaries(beyond));
    assertEquals(25, beyond.getJsonObject("result_info").getInteger("per_page"));

    JsonObject p1 = envelope(send(HttpMethod.GET, audit("acme") + "?server_id=p1", TestGateway.ACME, null), 200);
    assertEquals(List.of("update p1", "create p1"), summaries(p1));
    assertEquals(2, p1.getJsonObject("result_info").getInteger("total_count"));
    assertEquals(List.of("delete p2", "create p2"), summaries(envelope(send(HttpMethod.GET, audit("acme") + "?server_id=p2",
        TestGateway.ACME, null), 200)));
    assertEquals(List.of(), summaries(envelope(send(HttpMethod.GET, audit("acme") + "?server_id=nothing", TestGateway.ACME, null), 200)));
    assertEquals(List.of("create p1"), summaries(envelope(send(HttpMethod.GET, audit("globex"), TestGateway.ADMIN, null), 200)));
    assertEquals(5, envelope(send(HttpMethod.GET, audit("acme") + "?server_id=", TestGateway.ACME, null), 200)
        .getJsonObject("result_info").getInteger("total_count"));

    for (String query : List.of("per_page=0", "per_page=101", "page=0", "page=x", "server_id=not_an_id", "server_id=" + "x".repeat(33))) {
      assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, audit("acme") + "?" + query, TestGateway.ACME, null), 400)), query);
    }
    assertEquals(List.of(1201, 1201), codes(envelope(send(HttpMethod.GET, audit("acme") + "?per_page=0&server_id=a_b", TestGateway.ACME,
        null), 400)));
    assertEquals(List.of(1202), codes(envelope(send(HttpMethod.GET, audit("acme.corp"), TestGateway.ADMIN, null), 400)));
    assertEquals(List.of(7001), codes(envelope(send(HttpMethod.POST, audit("acme"), TestGateway.ACME, new JsonObject()), 405)));
    assertEquals(List.of(7001), codes(envelope(send(HttpMethod.DELETE, audit("acme"), TestGateway.ACME, null), 405)));
  }

  private static List<String> summaries(JsonObject page) {
    return page.getJsonArray("result").stream().map(o -> (JsonObject) o)
        .map(e -> e.getString("action") + " " + e.getString("server_id")).toList();
  }

  @Test
  void aRefusedRequestWritesNoAuditEntry() {
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("kept")), 200);
    String kept = TestGateway.servers("acme") + "/kept";
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("kept")), 409);
    envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("bad").put("name", "")), 400);
    envelope(send(HttpMethod.PUT, kept, TestGateway.ADMIN, new JsonObject().put("name", 42)), 400);
    // refused inside the store's update (a moved bearer server needs its credentials again)
    envelope(send(HttpMethod.PUT, kept, TestGateway.ADMIN, new JsonObject().put("hostname", "https://other.example.com/mcp")), 400);
    envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/missing", TestGateway.ADMIN, new JsonObject().put("name", "x")), 404);
    envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/missing", TestGateway.ADMIN, null), 404);
    envelope(send(HttpMethod.POST, TestGateway.servers("acme") + "/missing/sync", TestGateway.ADMIN, null), 404);
    envelope(send(HttpMethod.PUT, kept, null, new JsonObject().put("name", "anonymous")), 401);
    envelope(send(HttpMethod.DELETE, TestGateway.servers("globex") + "/kept", TestGateway.ACME, null), 403);
    envelope(send(HttpMethod.GET, kept, TestGateway.ADMIN, null), 200);
    assertEquals(List.of("create"), trail("acme").stream().map(e -> e.getString("action")).toList());
    assertEquals(List.of(), trail("globex"));
  }

  @Test
  void aFailedAuditAppendKeepsTheChangeAndStillAnswers200() throws Exception {
    breakAcmeAuditTrail();
    JsonObject created = envelope(send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ADMIN, bearerServer("unaudited")), 200)
        .getJsonObject("result");
    assertEquals(created, envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/unaudited", TestGateway.ADMIN, null), 200)
        .getJsonObject("result"));
    envelope(send(HttpMethod.PUT, TestGateway.servers("acme") + "/unaudited", TestGateway.ADMIN, new JsonObject().put("name", "n")), 200);
    envelope(send(HttpMethod.DELETE, TestGateway.servers("acme") + "/unaudited", TestGateway.ADMIN, null), 200);
    envelope(send(HttpMethod.GET, TestGateway.servers("acme") + "/unaudited", TestGateway.ADMIN, null), 404);
  }
}
