package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.AdminApiContract.codes;
import static dev.mcpgateway.admin.AdminApiContract.envelope;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service tokens API ({@code /accounts/{account_id}/access/service_tokens}, Cloudflare Access's)
 * over real HTTP, run against a gateway on each store: a secret is in the create's and the rotate's
 * answer only — never in a read, a list, the audit trail or a stored byte; rotate, refresh, update
 * and delete; every bad input refused with one error per problem and nothing changed; account
 * isolation as the other routes have it; pagination and filters; the audit trail.
 *
 * <p>Each test starts with account {@code acme}'s servers {@code github} and {@code jira} (never
 * synced: the API only checks that they exist) and account {@code globex}'s {@code theirs}.
 */
abstract class ServiceTokenApiContract {
  static final Set<String> FIELDS = Set.of("id", "name", "client_id", "duration", "expires_at", "created_at", "updated_at",
      "last_seen_at", "client_secret_version", "previous_client_secret_expires_at", "servers");

  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;

  /** The PostgreSQL schema for this test, or null for the embedded store. */
  abstract String pgSchema();

  /** Every stored byte, for checking that no secret is kept. */
  abstract String storedBytes() throws Exception;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, pgSchema()));
    for (String[] server : new String[][] {{"acme", "github"}, {"acme", "jira"}, {"globex", "theirs"}}) {
      envelope(send(HttpMethod.POST, TestGateway.servers(server[0]), TestGateway.ADMIN, new JsonObject().put("id", server[1])
          .put("name", server[1]).put("hostname", "https://" + server[1] + ".example.com/mcp").put("auth_type", "unauthenticated")), 200);
    }
  }

  @AfterEach
  void stop() {
    result(gw.stop());
    result(vertx.close());
  }

  // ------------------------------------------------------------------------------------ helpers

  static String tokens(String account) {
    return "/accounts/" + account + "/access/service_tokens";
  }

  static String token(String id) {
    return tokens("acme") + "/" + id;
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String apiToken, Object body) {
    HttpRequest<Buffer> request = gw.client.request(method, path);
    if (apiToken != null) request.putHeader("Authorization", "Bearer " + apiToken);
    if (body == null) return result(request.send());
    request.putHeader("Content-Type", "application/json");
    return result(request.sendBuffer(body instanceof Buffer raw ? raw : Buffer.buffer(body.toString())));
  }

  JsonObject ok(HttpMethod method, String path, Object body, int status) {
    return envelope(send(method, path, TestGateway.ACME, body), status).getJsonObject("result");
  }

  JsonObject create(JsonObject body) {
    return ok(HttpMethod.POST, tokens("acme"), body, 201);
  }

  JsonArray items(String path) {
    return envelope(send(HttpMethod.GET, path, TestGateway.ADMIN, null), 200).getJsonArray("result");
  }

  static List<String> problems(JsonObject envelope) {
    return PortalApiContract.problems(envelope);
  }

  List<JsonObject> trail(String query) {
    List<JsonObject> entries = new ArrayList<>();
    items(AdminApiContract.audit("acme") + "?per_page=100" + query).forEach(o -> entries.add((JsonObject) o));
    return entries;
  }

  /** Everything a request could change: both accounts' tokens and their audit trails. */
  JsonObject state() {
    JsonObject state = new JsonObject();
    for (String account : List.of("acme", "globex")) {
      for (String list : List.of(tokens(account), AdminApiContract.audit(account))) {
        state.put(list, envelope(send(HttpMethod.GET, list + "?per_page=100", TestGateway.ADMIN, null), 200));
      }
    }
    return state;
  }

  static Instant at(JsonObject token, String field) {
    return Instant.parse(token.getString(field));
  }

  static void assertNear(Instant expected, Instant actual) {
    assertTrue(Duration.between(expected, actual).abs().toSeconds() < 30, expected + " vs " + actual);
  }

  // ------------------------------------------------------------------------------------ life cycle

  @Test
  void createShowsTheSecretOnceAndNothingElseEverDoes() throws Exception {
    Instant before = Instant.now();
    JsonObject created = create(new JsonObject().put("name", "CI deploys"));
    String secret = created.getString("client_secret");
    assertTrue(secret.matches("[0-9a-f]{64}"), secret);
    assertTrue(created.getString("client_id").matches("[0-9a-f]{32}\\.access"), created.encode());
    assertTrue(created.getString("id").matches(ServiceTokenHandlers.ID.pattern()), created.encode());
    assertEquals("CI deploys", created.getString("name"));
    assertEquals("8760h", created.getString("duration"), "Cloudflare's default: a year");
    assertNear(before.plus(Duration.ofHours(8760)), at(created, "expires_at"));
    assertEquals(1, created.getInteger("client_secret_version"));
    assertEquals(new JsonArray(), created.getJsonArray("servers"));
    assertNull(created.getValue("last_seen_at"));
    assertNull(created.getValue("previous_client_secret_expires_at"));
    assertEquals(created.getString("created_at"), created.getString("updated_at"));

    JsonObject read = ok(HttpMethod.GET, token(created.getString("id")), null, 200);
    assertEquals(FIELDS, read.fieldNames(), "every field, and no secret");
    JsonObject withoutSecret = created.copy();
    withoutSecret.remove("client_secret");
    assertEquals(withoutSecret, read);
    assertEquals(List.of(read), items(tokens("acme")).stream().map(o -> (JsonObject) o).toList());

    List<JsonObject> entries = trail("&service_token_id=" + created.getString("id"));
    assertEquals(1, entries.size());
    assertEquals("create", entries.get(0).getString("action"));
    assertEquals(created.getString("id"), entries.get(0).getString("service_token_id"));
    assertEquals("acme-bot", entries.get(0).getString("actor"));
    assertEquals(AuditTrail.CREDENTIALS_CHANGED, entries.get(0).getJsonObject("after").getString("client_secret"));

    String everything = state().encode() + ok(HttpMethod.GET, token(created.getString("id")), null, 200).encode() + storedBytes();
    assertFalse(everything.contains(secret), "the secret is shown once and kept nowhere");
  }

  @Test
  void rotateShowsANewSecretOnceAndKeepsTheOldOnlyWhenAsked() throws Exception {
    JsonObject created = create(new JsonObject().put("name", "rotating"));
    String id = created.getString("id");
    JsonObject rotated = ok(HttpMethod.POST, token(id) + "/rotate", null, 200);
    String second = rotated.getString("client_secret");
    assertTrue(second.matches("[0-9a-f]{64}") && !second.equals(created.getString("client_secret")), rotated.encode());
    assertEquals(created.getString("client_id"), rotated.getString("client_id"), "the client id stays");
    assertEquals(2, rotated.getInteger("client_secret_version"));
    assertNull(rotated.getValue("previous_client_secret_expires_at"), "no body: the old secret ends at once");
    assertEquals(created.getString("expires_at"), rotated.getString("expires_at"));

    Instant grace = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JsonObject kept = ok(HttpMethod.POST, token(id) + "/rotate", new JsonObject().put("previous_client_secret_expires_at", grace.toString()), 200);
    assertEquals(3, kept.getInteger("client_secret_version"));
    assertEquals(grace, at(kept, "previous_client_secret_expires_at"));
    // an offset other than Z is the same instant
    JsonObject shortened = ok(HttpMethod.PUT, token(id), new JsonObject().put("previous_client_secret_expires_at",
        grace.minus(Duration.ofHours(1)).atOffset(java.time.ZoneOffset.ofHours(2)).toString()), 200);
    assertEquals(grace.minus(Duration.ofHours(1)), at(shortened, "previous_client_secret_expires_at"));
    JsonObject ended = ok(HttpMethod.PUT, token(id), new JsonObject().put("previous_client_secret_expires_at", "2020-01-01T00:00:00Z"), 200);
    assertNull(ended.getValue("previous_client_secret_expires_at"), "moved into the past: the previous secret is gone");
    assertEquals(List.of("1105 /previous_client_secret_expires_at"), problems(envelope(send(HttpMethod.PUT, token(id), TestGateway.ACME,
        new JsonObject().put("previous_client_secret_expires_at", grace.toString())), 400)), "nothing left to extend");

    JsonObject read = ok(HttpMethod.GET, token(id), null, 200);
    assertFalse(read.containsKey("client_secret"));
    List<String> actions = trail("&service_token_id=" + id).stream().map(e -> e.getString("action")).toList();
    assertEquals(List.of("update", "update", "rotate", "rotate", "create"), actions);
    JsonObject rotation = trail("&service_token_id=" + id).get(3);
    assertEquals(1, rotation.getJsonObject("before").getInteger("client_secret_version"));
    assertEquals(AuditTrail.CREDENTIALS_CHANGED, rotation.getJsonObject("after").getString("client_secret"));
    String everything = state().encode() + storedBytes();
    for (String secret : List.of(created.getString("client_secret"), second, kept.getString("client_secret"))) {
      assertFalse(everything.contains(secret), "no secret kept or shown again");
    }
  }

  @Test
  void refreshMakesTheTokenValidForOneDurationFromNow() {
    JsonObject hour = create(new JsonObject().put("name", "hourly").put("duration", "1h"));
    assertNear(Instant.now().plus(Duration.ofHours(1)), at(hour, "expires_at"));
    JsonObject refreshed = ok(HttpMethod.POST, token(hour.getString("id")) + "/refresh", null, 200);
    assertFalse(refreshed.containsKey("client_secret"));
    assertNear(Instant.now().plus(Duration.ofHours(1)), at(refreshed, "expires_at"));
    assertFalse(at(refreshed, "expires_at").isBefore(at(hour, "expires_at")));
    assertEquals(hour.getInteger("client_secret_version"), refreshed.getInteger("client_secret_version"), "the secret stays");
    JsonObject empty = ok(HttpMethod.POST, token(hour.getString("id")) + "/refresh", new JsonObject(), 200);
    assertEquals("1h", empty.getString("duration"));

    JsonObject forever = create(new JsonObject().put("name", "forever").put("duration", "forever"));
    assertNull(forever.getValue("expires_at"));
    assertNull(ok(HttpMethod.POST, token(forever.getString("id")) + "/refresh", null, 200).getValue("expires_at"));
    assertEquals(List.of("refresh", "refresh", "create"),
        trail("&service_token_id=" + hour.getString("id")).stream().map(e -> e.getString("action")).toList());
  }

  @Test
  void updateChangesWhatIsSentAndAClientMayPutBackWhatItRead() {
    JsonObject created = create(new JsonObject().put("name", "first").put("servers", new JsonArray().add("github")));
    String id = created.getString("id");
    assertEquals(new JsonArray().add("github"), created.getJsonArray("servers"));
    JsonObject renamed = ok(HttpMethod.PUT, token(id), new JsonObject().put("name", "second"), 200);
    assertEquals("second", renamed.getString("name"));
    assertEquals(created.getString("expires_at"), renamed.getString("expires_at"), "no duration sent: the expiry stays");
    assertEquals(new JsonArray().add("github"), renamed.getJsonArray("servers"));

    JsonObject longer = ok(HttpMethod.PUT, token(id), new JsonObject().put("duration", "17520h").put("servers", new JsonArray()
        .add("jira").add("github")), 200);
    assertEquals("17520h", longer.getString("duration"));
    assertNear(Instant.now().plus(Duration.ofHours(17520)), at(longer, "expires_at"));
    assertEquals(new JsonArray().add("jira").add("github"), longer.getJsonArray("servers"));
    JsonObject everyServer = ok(HttpMethod.PUT, token(id), new JsonObject().putNull("servers"), 200);
    assertEquals(new JsonArray(), everyServer.getJsonArray("servers"), "null: every server of the account");

    JsonObject putBack = ok(HttpMethod.PUT, token(id), everyServer, 200);
    assertNear(Instant.now().plus(Duration.ofHours(17520)), at(putBack, "expires_at"));
    JsonObject same = everyServer.copy();
    for (String moving : List.of("updated_at", "expires_at")) {
      same.remove(moving);
      putBack.remove(moving);
    }
    assertEquals(same, putBack, "read-only fields are ignored, nulls are what they were; a sent duration counts from now, as Cloudflare's");

    assertEquals(List.of("1105 /client_secret_version"), problems(envelope(send(HttpMethod.PUT, token(id), TestGateway.ACME,
        new JsonObject().put("client_secret_version", 2)), 400)), "a new secret comes from rotate");
    assertEquals(List.of("update", "update", "update", "update", "create"),
        trail("&service_token_id=" + id).stream().map(e -> e.getString("action")).toList());
    JsonObject first = trail("&service_token_id=" + id).get(3);
    assertEquals("first", first.getJsonObject("before").getString("name"));
    assertEquals("second", first.getJsonObject("after").getString("name"));
  }

  @Test
  void deleteAnswersTheTokenThenItIsGone() {
    JsonObject created = create(new JsonObject().put("name", "doomed"));
    String id = created.getString("id");
    JsonObject deleted = ok(HttpMethod.DELETE, token(id), null, 200);
    assertEquals(id, deleted.getString("id"));
    assertFalse(deleted.containsKey("client_secret"));
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)) {
      JsonObject body = method == HttpMethod.PUT ? new JsonObject().put("name", "x") : null;
      assertEquals(List.of(2201), codes(envelope(send(method, token(id), TestGateway.ACME, body), 404)), method.name());
    }
    assertEquals(List.of(2201), codes(envelope(send(HttpMethod.POST, token(id) + "/rotate", TestGateway.ACME, null), 404)));
    assertEquals(List.of(2201), codes(envelope(send(HttpMethod.POST, token(id) + "/refresh", TestGateway.ACME, null), 404)));
    assertEquals(List.of(2201), codes(envelope(send(HttpMethod.GET, token("not-a-uuid"), TestGateway.ACME, null), 404)));
    assertEquals(List.of(2201), codes(envelope(send(HttpMethod.GET, token(id.toUpperCase()), TestGateway.ACME, null), 404)));
    assertEquals(new JsonArray(), items(tokens("acme")));
    JsonObject entry = trail("&service_token_id=" + id).get(0);
    assertEquals("delete", entry.getString("action"));
    assertNull(entry.getValue("after"));
  }

  @Test
  void listPagesAndFilters() {
    List<String> ids = new ArrayList<>();
    for (String name : List.of("deploy bot", "Nightly", "deploy canary")) ids.add(create(new JsonObject().put("name", name)).getString("id"));
    JsonObject page = envelope(send(HttpMethod.GET, tokens("acme") + "?per_page=2&page=2", TestGateway.ACME, null), 200);
    assertEquals(List.of(ids.get(2)), page.getJsonArray("result").stream().map(o -> ((JsonObject) o).getString("id")).toList());
    assertEquals(new JsonObject().put("page", 2).put("per_page", 2).put("count", 1).put("total_count", 3).put("total_pages", 2),
        page.getJsonObject("result_info"));
    assertEquals(List.of(ids.get(1)), ids(tokens("acme") + "?name=Nightly"));
    assertEquals(List.of(), ids(tokens("acme") + "?name=nightly"), "name is exact");
    assertEquals(List.of(ids.get(0), ids.get(2)), ids(tokens("acme") + "?search=DEPLOY"));
    assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, tokens("acme") + "?per_page=101", TestGateway.ACME, null), 400)));
    assertEquals(List.of(1201), codes(envelope(send(HttpMethod.GET, AdminApiContract.audit("acme") + "?service_token_id=x", TestGateway.ACME,
        null), 400)));
  }

  List<String> ids(String path) {
    return items(path).stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  // ------------------------------------------------------------------------------------ refusals

  @Test
  void badInputIsRefusedOneErrorPerProblemAndNothingChanges() {
    String id = create(new JsonObject().put("name", "existing")).getString("id");
    JsonObject minimal = new JsonObject().put("name", "ok");
    String forty = "x".repeat(351);
    // body, expected "code pointer" errors
    Map<Object, List<String>> creates = new java.util.LinkedHashMap<>();
    creates.put(new JsonObject(), List.of("1101 /name"));
    creates.put(new JsonObject().put("name", ""), List.of("1103 /name"));
    creates.put(new JsonObject().put("name", "  "), List.of("1103 /name"));
    creates.put(new JsonObject().put("name", forty), List.of("1103 /name"));
    creates.put(new JsonObject().put("name", 7), List.of("1102 /name"));
    creates.put(new JsonObject().putNull("name"), List.of("1101 /name"));
    creates.put(new JsonObject().put("name", "bell\u0007"), List.of("1104 /name"));
    for (String bad : List.of("1y", "0s", "-1h", "h", "1.h5", "1h 30m", "9999999999999h", "Forever")) {
      creates.put(minimal.copy().put("duration", bad), List.of("1104 /duration"));
    }
    creates.put(minimal.copy().put("duration", ""), List.of("1103 /duration"));
    creates.put(minimal.copy().put("duration", 3600), List.of("1102 /duration"));
    creates.put(minimal.copy().put("servers", "github"), List.of("1102 /servers"));
    creates.put(minimal.copy().put("servers", new JsonArray().add("nope")), List.of("1109 /servers/0"));
    creates.put(minimal.copy().put("servers", new JsonArray().add("theirs")), List.of("1109 /servers/0"));
    creates.put(minimal.copy().put("servers", new JsonArray().add("git_hub")), List.of("1104 /servers/0"));
    creates.put(minimal.copy().put("servers", new JsonArray().add("github").add("github")), List.of("1105 /servers/1"));
    creates.put(minimal.copy().put("servers", new JsonArray().add(1).add("nope")), List.of("1102 /servers/0", "1109 /servers/1"));
    creates.put(minimal.copy().put("enabled", true), List.of("1111 /enabled"));
    creates.put(minimal.copy().put("Name", "x"), List.of("1111 /Name"));
    creates.put(minimal.copy().put("previous_client_secret_expires_at", "2030-01-01T00:00:00Z"), List.of("1111 /previous_client_secret_expires_at"));
    creates.put(minimal.copy().put("client_secret", "chosen-by-me"), List.of("1105 /client_secret"));
    creates.put(minimal.copy().put("id", id), List.of("1105 /id"));
    creates.put(minimal.copy().put("client_secret_version", 2), List.of("1105 /client_secret_version"));
    creates.put(minimal.copy().put("client_secret_version", "1"), List.of("1102 /client_secret_version"));
    creates.put(minimal.copy().put("client_secret_version", 1.5), List.of("1105 /client_secret_version"));
    creates.put(new JsonObject().put("name", "").put("duration", "soon").put("surprise", 1),
        List.of("1111 /surprise", "1103 /name", "1104 /duration"));
    creates.put(Buffer.buffer("{\"name\": \"a\", \"name\": \"b\"}"), List.of("1001 -"));
    creates.put(Buffer.buffer("[]"), List.of("1002 -"));
    creates.put(Buffer.buffer(""), List.of("1002 -"));

    JsonObject before = state();
    creates.forEach((body, expected) -> {
      JsonObject refused = envelope(send(HttpMethod.POST, tokens("acme"), TestGateway.ACME, body), 400);
      assertEquals(expected, problems(refused), "create " + body);
    });
    Map<Object, List<String>> updates = new java.util.LinkedHashMap<>();
    updates.put(new JsonObject().put("id", "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c01"), List.of("1108 /id"));
    updates.put(new JsonObject().putNull("name"), List.of("1102 /name"));
    updates.put(new JsonObject().put("duration", "never"), List.of("1104 /duration"));
    updates.put(new JsonObject().put("previous_client_secret_expires_at", "tomorrow"), List.of("1104 /previous_client_secret_expires_at"));
    updates.put(new JsonObject().put("previous_client_secret_expires_at", "2030-01-01T00:00:00Z"), List.of("1105 /previous_client_secret_expires_at"));
    updates.put(new JsonObject().put("client_secret", "x"), List.of("1105 /client_secret"));
    updates.put(new JsonObject().put("expires_at", "2099-01-01T00:00:00Z").put("duration", "5"), List.of("1104 /duration"));
    updates.forEach((body, expected) -> assertEquals(expected,
        problems(envelope(send(HttpMethod.PUT, token(id), TestGateway.ACME, body), 400)), "update " + body));
    assertEquals(List.of("1111 /name"), problems(envelope(send(HttpMethod.POST, token(id) + "/rotate", TestGateway.ACME,
        new JsonObject().put("name", "x")), 400)));
    assertEquals(List.of("1104 /previous_client_secret_expires_at"), problems(envelope(send(HttpMethod.POST, token(id) + "/rotate",
        TestGateway.ACME, new JsonObject().put("previous_client_secret_expires_at", "2030-01-01")), 400)));
    assertEquals(List.of("1111 /duration"), problems(envelope(send(HttpMethod.POST, token(id) + "/refresh", TestGateway.ACME,
        new JsonObject().put("duration", "1h")), 400)));
    HttpResponse<Buffer> xml = result(gw.client.post(tokens("acme")).putHeader("Authorization", "Bearer " + TestGateway.ACME)
        .putHeader("Content-Type", "text/xml").sendBuffer(Buffer.buffer("<name/>")));
    assertEquals(List.of(1004), codes(envelope(xml, 415)));
    assertEquals(before, state(), "a refused request changes nothing");
  }

  @Test
  void anUnknownFieldIsNamedOnlyWhenItLooksLikeOne() {
    String pasted = "sk-live-PASTED-" + "9".repeat(20);
    JsonObject refused = envelope(send(HttpMethod.POST, tokens("acme"), TestGateway.ACME, new JsonObject().put("name", "x").put(pasted, 1)), 400);
    assertEquals(List.of("1111 -"), problems(refused));
    assertFalse(refused.encode().contains(pasted), refused.encode());
  }

  @Test
  void anotherAccountsTokenGets403AndAnotherAccountsTokenIdIsNotFound() {
    JsonObject theirs = envelope(send(HttpMethod.POST, tokens("globex"), TestGateway.ADMIN, new JsonObject().put("name", "theirs")), 201)
        .getJsonObject("result");
    String id = theirs.getString("id");
    JsonObject before = state();
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
      JsonObject body = method == HttpMethod.POST ? new JsonObject().put("name", "intruder") : null;
      assertEquals(List.of(10001), codes(envelope(send(method, tokens("globex"), TestGateway.ACME, body), 403)), method.name());
    }
    String theirPath = tokens("globex") + "/" + id;
    assertEquals(List.of(10001), codes(envelope(send(HttpMethod.GET, theirPath, TestGateway.ACME, null), 403)));
    assertEquals(List.of(10001), codes(envelope(send(HttpMethod.PUT, theirPath, TestGateway.ACME, new JsonObject().put("name", "x")), 403)));
    assertEquals(List.of(10001), codes(envelope(send(HttpMethod.DELETE, theirPath, TestGateway.ACME, null), 403)));
    assertEquals(List.of(10001), codes(envelope(send(HttpMethod.POST, theirPath + "/rotate", TestGateway.ACME, null), 403)));
    assertEquals(List.of(10001), codes(envelope(send(HttpMethod.POST, theirPath + "/refresh", TestGateway.ACME, null), 403)));
    // their id under acme's own path: not found, exactly as an id nobody has
    for (String suffix : List.of("", "/rotate", "/refresh")) {
      HttpMethod method = suffix.isEmpty() ? HttpMethod.GET : HttpMethod.POST;
      JsonObject refused = envelope(send(method, token(id) + suffix, TestGateway.ACME, null), 404);
      assertEquals(List.of(2201), codes(refused));
      assertFalse(refused.encode().contains(theirs.getString("client_id")) || refused.encode().contains("theirs"), refused.encode());
    }
    assertEquals(List.of(2201), codes(envelope(send(HttpMethod.DELETE, token(id), TestGateway.ACME, null), 404)));
    assertEquals(List.of(10000), codes(envelope(send(HttpMethod.GET, tokens("acme"), null, null), 401)));
    assertEquals(List.of(10000), codes(envelope(send(HttpMethod.GET, tokens("acme"), TestGateway.AGENT, null), 401)), "a client token is no API token");
    assertEquals(before, state(), "nothing of globex changed");
  }
}
