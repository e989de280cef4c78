package dev.mcpgateway.admin;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Access policies through the management API, on each store: Cloudflare's reusable-policy shape
 * at {@code /accounts/{account_id}/access/policies}, every bad body refused with the envelope's 400
 * and nothing stored, account isolation, the explain read, and the audit trail (each change an
 * entry with its actor and the policy before and after; a refused request none).
 */
abstract class PolicyApiContract {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;

  abstract String pgSchema();

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

  static String policies(String account) {
    return "/accounts/" + account + "/access/policies";
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = gw.client.request(method, path);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (body == null) return result(request.send());
    request.putHeader("Content-Type", "application/json");
    return result(request.sendBuffer(Buffer.buffer(body.toString())));
  }

  JsonObject ok(HttpMethod method, String path, Object body, int status) {
    HttpResponse<Buffer> response = send(method, path, TestGateway.ADMIN, body);
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  static JsonObject rule(String type, JsonObject fields) {
    return new JsonObject().put(type, fields);
  }

  static JsonObject engOnGithub() {
    return new JsonObject().put("name", "Engineering on GitHub").put("decision", "allow")
        .put("include", new JsonArray().add(rule("oidc", new JsonObject().put("claim_name", "groups").put("claim_value", "eng")))
            .add(rule("email", new JsonObject().put("email", "cto@example.com"))))
        .put("require", new JsonArray().add(rule("email_domain", new JsonObject().put("domain", "example.com"))))
        .put("exclude", new JsonArray().add(rule("email", new JsonObject().put("email", "intern@example.com"))))
        .put("servers", new JsonArray().add("github")).put("portals", new JsonArray().add("team"));
  }

  @Test
  void aPolicyIsCreatedReadListedReplacedAndDeleted() {
    JsonObject created = ok(HttpMethod.POST, policies("acme"), engOnGithub(), 201);
    String id = created.getString("id");
    assertTrue(id.matches("[0-9a-f-]{36}"), id);
    assertEquals("allow", created.getString("decision"));
    assertEquals(engOnGithub().getJsonArray("include"), created.getJsonArray("include"));
    assertEquals(new JsonArray().add("github"), created.getJsonArray("servers"));
    assertNotNull(created.getString("created_at"));
    assertEquals(created, ok(HttpMethod.GET, policies("acme") + "/" + id, null, 200));
    JsonObject list = send(HttpMethod.GET, policies("acme"), TestGateway.ADMIN, null).bodyAsJsonObject();
    assertEquals(List.of(id), list.getJsonArray("result").stream().map(p -> ((JsonObject) p).getString("id")).toList());
    assertEquals(1, list.getJsonObject("result_info").getInteger("total_count"));
    JsonObject replaced = ok(HttpMethod.PUT, policies("acme") + "/" + id, engOnGithub().put("decision", "deny").put("name", "Blocked")
        .put("servers", new JsonArray().add("*")), 200);
    assertEquals("deny", replaced.getString("decision"));
    assertEquals(created.getString("created_at"), replaced.getString("created_at"));
    assertEquals(id, ok(HttpMethod.DELETE, policies("acme") + "/" + id, null, 200).getString("id"));
    assertEquals(404, send(HttpMethod.GET, policies("acme") + "/" + id, TestGateway.ADMIN, null).statusCode());
    assertEquals(404, send(HttpMethod.DELETE, policies("acme") + "/" + id, TestGateway.ADMIN, null).statusCode());
    assertEquals(404, send(HttpMethod.GET, policies("acme") + "/not-a-uuid", TestGateway.ADMIN, null).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"bypass\", \"include\": [{\"everyone\": {}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"maybe\", \"include\": [{\"everyone\": {}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"everyone\": {}}]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"ip\": {\"ip\": \"10.0.0.0/8\"}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"made_up\": {}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"email\": {\"email\": \"not-an-address\"}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"email\": {\"email\": \"a@b.example\", \"extra\": 1}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"email_domain\": {\"domain\": \"not a domain\"}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"oidc\": {\"claim_name\": \"roles\", \"claim_value\": \"admin\"}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"everyone\": {}, \"email\": {\"email\": \"a@b.example\"}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [\"everyone\"], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": {\"everyone\": {}}, \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"everyone\": {}}], \"servers\": [\"../etc\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"everyone\": {}}], \"servers\": \"*\"}",
      "{\"name\": 7, \"decision\": \"allow\", \"include\": [{\"everyone\": {}}], \"servers\": [\"*\"]}",
      "{\"name\": \"\", \"decision\": \"allow\", \"include\": [{\"everyone\": {}}], \"servers\": [\"*\"]}",
      "{\"name\": \"x\", \"decision\": \"allow\", \"include\": [{\"service_token\": {\"token_id\": \"\"}}], \"servers\": [\"*\"]}",
      "[1, 2]",
      "{\"name\": \"x\", \"decision\": "})
  void aBadBodyIsA400AndNothingIsStored(String body) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, policies("acme"), TestGateway.ADMIN, body);
    assertEquals(400, response.statusCode(), response.bodyAsString());
    JsonObject envelope = response.bodyAsJsonObject();
    assertFalse(envelope.getBoolean("success"));
    assertFalse(envelope.getJsonArray("errors").isEmpty());
    assertEquals(0, send(HttpMethod.GET, policies("acme"), TestGateway.ADMIN, null).bodyAsJsonObject().getJsonArray("result").size());
  }

  @Test
  void aTooLongNameAndTooManyRulesAreRefusedByLength() {
    JsonObject body = engOnGithub().put("name", "n".repeat(351));
    assertEquals(400, send(HttpMethod.POST, policies("acme"), TestGateway.ADMIN, body).statusCode());
    JsonArray rules = new JsonArray();
    for (int i = 0; i < 51; i++) rules.add(rule("everyone", new JsonObject()));
    assertEquals(400, send(HttpMethod.POST, policies("acme"), TestGateway.ADMIN, engOnGithub().put("include", rules)).statusCode());
  }

  @Test
  void anotherAccountsTokenCannotSeeOrTouchThePolicies() {
    String id = ok(HttpMethod.POST, policies("acme"), engOnGithub(), 201).getString("id");
    assertEquals(403, send(HttpMethod.GET, policies("globex"), TestGateway.ACME, null).statusCode());
    assertEquals(403, send(HttpMethod.POST, policies("globex"), TestGateway.ACME, engOnGithub()).statusCode());
    assertEquals(404, send(HttpMethod.GET, policies("globex") + "/" + id, TestGateway.ADMIN, null).statusCode(), "ids are per account");
    assertEquals(404, send(HttpMethod.DELETE, policies("globex") + "/" + id, TestGateway.ADMIN, null).statusCode());
    assertEquals(401, send(HttpMethod.GET, policies("acme"), null, null).statusCode());
    assertEquals(401, send(HttpMethod.GET, policies("acme"), TestGateway.AGENT, null).statusCode(), "a client token is no API token");
    assertEquals(200, send(HttpMethod.GET, policies("acme") + "/" + id, TestGateway.ACME, null).statusCode());
  }

  @Test
  void explainSaysWhoMayUseWhatAndWhichPolicyDecided() {
    ok(HttpMethod.POST, policies("acme"), engOnGithub(), 201);
    String deny = ok(HttpMethod.POST, policies("acme"), new JsonObject().put("name", "No contractors").put("decision", "deny")
        .put("include", new JsonArray().add(rule("email_domain", new JsonObject().put("domain", "contractor.example"))))
        .put("servers", new JsonArray().add("*")), 201).getString("id");
    JsonObject eng = ok(HttpMethod.GET, policies("acme") + "/explain?email=dev@example.com&groups=eng,ops&server_id=github", null, 200);
    assertTrue(eng.getBoolean("allowed"), eng.encode());
    assertEquals("Engineering on GitHub", eng.getJsonObject("decided_by").getString("name"));
    assertEquals(2, eng.getJsonArray("policies").size());
    JsonObject other = ok(HttpMethod.GET, policies("acme") + "/explain?email=dev@example.com&groups=eng&server_id=linear", null, 200);
    assertFalse(other.getBoolean("allowed"));
    JsonObject intern = ok(HttpMethod.GET, policies("acme") + "/explain?email=intern@example.com&groups=eng&server_id=github", null, 200);
    assertFalse(intern.getBoolean("allowed"));
    assertTrue(intern.getJsonArray("policies").getJsonObject(0).getString("detail").startsWith("exclude rule 0"), intern.encode());
    JsonObject contractor = ok(HttpMethod.GET, policies("acme") + "/explain?email=x@contractor.example&groups=eng&server_id=github", null, 200);
    assertFalse(contractor.getBoolean("allowed"));
    assertEquals(deny, contractor.getJsonObject("decided_by").getString("id"));
    JsonObject token = ok(HttpMethod.GET, policies("acme") + "/explain?service_token_id=abc&server_id=github", null, 200);
    assertFalse(token.getBoolean("allowed"));
    for (String bad : List.of("", "?email=a@b.example", "?server_id=github", "?email=a@b.example&service_token_id=x&server_id=github",
        "?email=a@b.example&server_id=github&portal_id=team", "?email=a@b.example&email=c@d.example&server_id=github")) {
      assertEquals(400, send(HttpMethod.GET, policies("acme") + "/explain" + bad, TestGateway.ADMIN, null).statusCode(), bad);
    }
    assertEquals(404, send(HttpMethod.GET, policies("acme") + "/explain?email=a@b.example&portal_id=nope", TestGateway.ADMIN, null).statusCode());
  }

  // ------------------------------------------------------------------------------------ audit trail

  List<JsonObject> trail(String account, String query) {
    HttpResponse<Buffer> response = send(HttpMethod.GET, AdminApiContract.audit(account) + "?per_page=100" + query, TestGateway.ADMIN, null);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("result").stream().map(o -> (JsonObject) o).toList();
  }

  @Test
  void createUpdateAndDeleteEachLeaveAnAuditEntryWithActorBeforeAndAfter() {
    JsonObject created = envelopeResult(send(HttpMethod.POST, policies("acme"), TestGateway.ACME, engOnGithub()), 201);
    String id = created.getString("id");
    JsonObject replaced = envelopeResult(send(HttpMethod.PUT, policies("acme") + "/" + id, TestGateway.ADMIN,
        engOnGithub().put("decision", "deny").put("name", "Blocked")), 200);
    ok(HttpMethod.DELETE, policies("acme") + "/" + id, null, 200);
    List<JsonObject> entries = trail("acme", "&policy_id=" + id);
    assertEquals(List.of("delete", "update", "create"), entries.stream().map(e -> e.getString("action")).toList());
    JsonObject deleted = entries.get(0);
    JsonObject updated = entries.get(1);
    JsonObject create = entries.get(2);
    for (JsonObject entry : entries) {
      assertEquals(id, entry.getString("policy_id"), entry.encode());
      assertEquals("acme", entry.getString("account_id"));
      assertFalse(entry.containsKey("server_id") || entry.containsKey("portal_id") || entry.containsKey("service_token_id"), entry.encode());
      assertNotNull(entry.getString("at"));
    }
    assertEquals("acme-bot", create.getString("actor"));
    assertNull(create.getValue("before"));
    assertEquals(created, create.getJsonObject("after"), "the policy as the API showed it");
    assertEquals("test-admin", updated.getString("actor"));
    assertEquals(created, updated.getJsonObject("before"));
    assertEquals(replaced, updated.getJsonObject("after"));
    assertEquals("test-admin", deleted.getString("actor"));
    assertEquals(replaced, deleted.getJsonObject("before"));
    assertNull(deleted.getValue("after"));
    assertEquals(entries, trail("acme", ""), "the policy's entries are the whole trail here");
    assertEquals(List.of(), trail("globex", ""));
    assertEquals(List.of(), trail("acme", "&policy_id=00000000-0000-4000-8000-000000000000"));
  }

  @Test
  void aRefusedRequestLeavesNoAuditEntry() {
    String id = ok(HttpMethod.POST, policies("acme"), engOnGithub(), 201).getString("id");
    List<JsonObject> before = trail("acme", "");
    assertEquals(1, before.size());
    assertEquals(400, send(HttpMethod.POST, policies("acme"), TestGateway.ADMIN, new JsonObject().put("name", "x")).statusCode());
    assertEquals(400, send(HttpMethod.PUT, policies("acme") + "/" + id, TestGateway.ADMIN, new JsonObject().put("name", "x")).statusCode());
    assertEquals(404, send(HttpMethod.PUT, policies("acme") + "/00000000-0000-4000-8000-000000000000", TestGateway.ADMIN, engOnGithub())
        .statusCode());
    assertEquals(404, send(HttpMethod.DELETE, policies("acme") + "/00000000-0000-4000-8000-000000000000", TestGateway.ADMIN, null)
        .statusCode());
    assertEquals(404, send(HttpMethod.DELETE, policies("globex") + "/" + id, TestGateway.ADMIN, null).statusCode());
    assertEquals(403, send(HttpMethod.DELETE, policies("globex") + "/" + id, TestGateway.ACME, null).statusCode());
    assertEquals(403, send(HttpMethod.POST, policies("globex"), TestGateway.ACME, engOnGithub()).statusCode());
    assertEquals(401, send(HttpMethod.DELETE, policies("acme") + "/" + id, null, null).statusCode());
    assertEquals(before, trail("acme", ""));
    assertEquals(List.of(), trail("globex", ""));
  }

  @Test
  void theAuditPolicyFilterTakesOnlyAPolicyId() {
    for (String bad : List.of("x", "GITHUB", "00000000-0000-4000-8000-00000000000A", "00000000-0000-4000-8000-0000000000000")) {
      HttpResponse<Buffer> response = send(HttpMethod.GET, AdminApiContract.audit("acme") + "?policy_id=" + bad, TestGateway.ACME, null);
      assertEquals(400, response.statusCode(), bad);
      assertEquals(1201, response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"), bad);
    }
    assertEquals(200, send(HttpMethod.GET, AdminApiContract.audit("acme") + "?policy_id=", TestGateway.ACME, null).statusCode(),
        "an empty filter is no filter");
  }

  JsonObject envelopeResult(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }
}
