package dev.mcpgateway.signin;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP endpoints as an OAuth resource server of an external authorization server ({@link TestIdp}:
 * real RSA keys, real JWTs, its JWKS over HTTP): discovery from a bare 401, every way a token is
 * refused (a test each), rotation, and an IdP that goes down. "Admitted" shows as the answer of the
 * route behind authentication: 404 for a server that does not exist.
 */
class AgentSignInTest {
  static final String PUBLIC = "https://gateway.example";
  static final String PATH = "/mcp/acme/missing";
  static final String RESOURCE = PUBLIC + PATH;
  static TestIdp.Key first;
  static TestIdp.Key second;

  @TempDir Path dataDir;
  Vertx vertx = Vertx.vertx();
  TestIdp idp = new TestIdp();
  TestGateway gw;

  @BeforeAll
  static void keys() {
    first = TestIdp.newKey("k1");
    second = TestIdp.newKey("k2");
  }

  @AfterEach
  void stop() {
    if (gw != null) result(gw.stop());
    result(idp.close());
    result(vertx.close());
  }

  void start(JsonObject signIn) {
    result(idp.start(vertx));
    idp.publish(first);
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("oauth", new JsonObject().put("public_base_url", PUBLIC));
    config.put("sign_in", new JsonObject().put("issuer", idp.issuer).put("scopes", new JsonArray().add("mcp"))
        .put("accounts", new JsonArray().add("acme")).put("unknown_key_cooldown_ms", 300).mergeIn(signIn));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    // sign-in fails closed: without a policy a user reaches nothing (PolicyEnforcementTest); here every user reaches everything
    assertEquals(201, result(gw.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("name", "everyone").put("decision", "allow")
            .put("include", new JsonArray().add(new JsonObject().put("everyone", new JsonObject())))
            .put("servers", new JsonArray().add("*")))).statusCode());
  }

  void start() {
    start(new JsonObject());
  }

  HttpResponse<Buffer> post(String path, String token) {
    HttpRequest<Buffer> request = gw.client.post(path).putHeader("Accept", "application/json, text/event-stream");
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    return result(request.sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
  }

  static void refused(HttpResponse<Buffer> response, String description) {
    assertEquals(401, response.statusCode(), response.bodyAsString());
    String challenge = response.getHeader("WWW-Authenticate");
    assertTrue(challenge.startsWith("Bearer "), challenge);
    assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
    assertTrue(challenge.contains("resource_metadata=\"" + PUBLIC + "/.well-known/oauth-protected-resource" + PATH + "\""), challenge);
    assertTrue(response.bodyAsJsonObject().getJsonObject("error").getString("message").contains(description), response.bodyAsString());
  }

  @Test
  void aBare401LeadsToTheMetadataAndTheAuthorizationServer() {
    start();
    HttpResponse<Buffer> none = post(PATH, null);
    assertEquals(401, none.statusCode());
    String challenge = none.getHeader("WWW-Authenticate");
    String metadataUrl = PUBLIC + "/.well-known/oauth-protected-resource" + PATH;
    assertEquals("Bearer realm=\"mcp-gateway\", resource_metadata=\"" + metadataUrl + "\", scope=\"mcp\"", challenge,
        "no error code without credentials (RFC 6750 §3.1)");
    HttpResponse<Buffer> metadata = result(gw.client.get(metadataUrl.substring(PUBLIC.length())).send());
    assertEquals(200, metadata.statusCode());
    assertEquals("*", metadata.getHeader("Access-Control-Allow-Origin"));
    JsonObject document = metadata.bodyAsJsonObject();
    assertEquals(RESOURCE, document.getString("resource"));
    assertEquals(new JsonArray().add(idp.issuer), document.getJsonArray("authorization_servers"));
    assertEquals(new JsonArray().add("mcp"), document.getJsonArray("scopes_supported"));
    assertEquals(PUBLIC + "/mcp/acme/portals/p1", result(gw.client.get("/.well-known/oauth-protected-resource/mcp/acme/portals/p1").send())
        .bodyAsJsonObject().getString("resource"));
    assertEquals("https://portal.example.com/mcp", result(gw.client.get("/.well-known/oauth-protected-resource/mcp")
        .putHeader("Host", "portal.example.com").send()).bodyAsJsonObject().getString("resource"), "a portal at its own hostname");
    assertEquals(PUBLIC + "/mcp/acme_eu/srv-1", result(gw.client.get("/.well-known/oauth-protected-resource/mcp/acme_eu/srv-1").send())
        .bodyAsJsonObject().getString("resource"), "account ids may hold '_'");
    assertEquals(404, result(gw.client.get("/.well-known/oauth-protected-resource/admin/secrets").send()).statusCode());
    assertEquals(404, result(gw.client.get("/.well-known/oauth-protected-resource/mcp/a/b/c").send()).statusCode());
  }

  @Test
  void aGoodTokenAdmitsTheUserAndTheKeysAreNotReadPerRequest() {
    start();
    int reads = idp.jwksReads.get();
    String token = TestIdp.rs256(first, idp.claims("alice", RESOURCE));
    for (int i = 0; i < 20; i++) assertEquals(404, post(PATH, token).statusCode(), post(PATH, token).bodyAsString());
    assertEquals(reads, idp.jwksReads.get(), "the JWKS is read at start, not per request");
    assertEquals(404, post(PATH, TestGateway.AGENT).statusCode(), "configured client tokens keep working");
  }

  @Test
  void anExpiredTokenIsRefused() {
    start();
    long past = System.currentTimeMillis() / 1000 - 3600;
    refused(post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("iat", past - 300).put("exp", past))), "expired");
  }

  @Test
  void aTokenCheckedOnceIsRefusedOnceItExpiresAndItsClaimsAreCheckedPerEndpoint() throws Exception {
    start(new JsonObject().put("clock_skew_ms", 1000));
    long now = System.currentTimeMillis() / 1000;
    String token = TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("exp", now + 2));
    assertEquals(404, post(PATH, token).statusCode());
    assertEquals(404, post(PATH, token).statusCode(), "the second call is answered from the checked tokens");
    HttpResponse<Buffer> elsewhere = post("/mcp/acme/elsewhere", token);
    assertEquals(401, elsewhere.statusCode());
    assertTrue(elsewhere.bodyAsString().contains("not for this resource"), elsewhere.bodyAsString());
    Thread.sleep(3_200 - (System.currentTimeMillis() - now * 1000));
    refused(post(PATH, token), "expired");
  }

  @Test
  void aTokenWithoutExpiryIsRefused() {
    start();
    JsonObject claims = idp.claims("alice", RESOURCE);
    claims.remove("exp");
    refused(post(PATH, TestIdp.rs256(first, claims)), "no expiry");
  }

  @Test
  void aTokenForAnotherResourceIsRefusedButAConfiguredAudienceIsAccepted() {
    start(new JsonObject().put("audiences", new JsonArray().add("api://mcp-gateway")));
    refused(post(PATH, TestIdp.rs256(first, idp.claims("alice", PUBLIC + "/mcp/acme/other"))), "not for this resource");
    refused(post(PATH, TestIdp.rs256(first, idp.claims("alice", "https://elsewhere.example/mcp"))), "not for this resource");
    assertEquals(404, post(PATH, TestIdp.rs256(first, idp.claims("alice", "api://mcp-gateway"))).statusCode());
    assertEquals(404, post(PATH, TestIdp.rs256(first, idp.claims("alice", null).put("aud", new JsonArray().add("x").add(RESOURCE))))
        .statusCode(), "aud as an array");
  }

  @Test
  void anEmailTheIdpCallsUnverifiedIsNoEmailForPolicies() {
    JsonObject claims = new JsonObject().put("email", "ceo@example.com");
    assertEquals("ceo@example.com", AccessTokens.verifiedEmail(claims, "email"), "no email_verified (Entra): taken as given");
    assertEquals("ceo@example.com", AccessTokens.verifiedEmail(claims.copy().put("email_verified", true), "email"));
    assertEquals(null, AccessTokens.verifiedEmail(claims.copy().put("email_verified", false), "email"));
    assertEquals(null, AccessTokens.verifiedEmail(claims.copy().put("email_verified", "false"), "email"));
    assertEquals(null, AccessTokens.verifiedEmail(new JsonObject().put("email", 7), "email"));
  }

  @Test
  void anIdTokenIsNoAccessToken() {
    start();
    refused(post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("nonce", "n-0S6_WzA2Mj"))), "ID token");
  }

  @Test
  void anotherIssuerIsRefused() {
    start();
    refused(post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("iss", "https://evil.example"))), "another authorization server");
  }

  @Test
  void unsignedAndForgedTokensAreRefused() {
    start();
    refused(post(PATH, TestIdp.unsigned(idp.claims("alice", RESOURCE))), "accepted algorithm");
    refused(post(PATH, TestIdp.hs256WithPublicKey(first, idp.claims("alice", RESOURCE))), "accepted algorithm");
    String good = TestIdp.rs256(first, idp.claims("alice", RESOURCE));
    String[] parts = good.split("\\.");
    String tampered = parts[0] + "." + TestIdp.segment(idp.claims("mallory", RESOURCE)) + "." + parts[2];
    refused(post(PATH, tampered), "signature");
    refused(post(PATH, TestIdp.rs256(TestIdp.newKey("k1"), idp.claims("alice", RESOURCE))), "signature");
    refused(post(PATH, "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"), "malformed");
    refused(post(PATH, "eyJ!!!.x.y"), "malformed");
    refused(post(PATH, "not-a-known-token"), "unknown token");
  }

  @Test
  void theMissingScopeIsAStepUp403() {
    start();
    HttpResponse<Buffer> response = post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("scope", "openid")));
    assertEquals(403, response.statusCode());
    String challenge = response.getHeader("WWW-Authenticate");
    assertTrue(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\"mcp\""), challenge);
    assertEquals(404, post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("scope", null)
        .put("scp", new JsonArray().add("mcp")))).statusCode(), "Okta/Entra's scp as an array");
  }

  @Test
  void usersReachOnlyTheConfiguredAccounts() {
    start();
    assertEquals(403, post("/mcp/globex/srv", TestIdp.rs256(first, idp.claims("alice", PUBLIC + "/mcp/globex/srv"))).statusCode());
  }

  @Test
  void aRotatedKeyIsFetchedOnceAndMadeUpKeysDoNotHammerTheIdp() throws Exception {
    start(new JsonObject().put("unknown_key_cooldown_ms", 60_000));
    int reads = idp.jwksReads.get();
    idp.publish(second, first);
    assertEquals(404, post(PATH, TestIdp.rs256(second, idp.claims("alice", RESOURCE))).statusCode(), "the new key is read on first sight");
    assertEquals(reads + 1, idp.jwksReads.get());
    assertEquals(404, post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE))).statusCode(), "tokens of the old key still valid");
    TestIdp.Key madeUp = TestIdp.newKey("made-up");
    for (int i = 0; i < 10; i++) refused(post(PATH, TestIdp.rs256(madeUp, idp.claims("alice", RESOURCE))), "unknown key");
    assertEquals(reads + 1, idp.jwksReads.get(), "no read for unknown keys within the cool-down");
  }

  @Test
  void anIdpThatGoesDownDoesNotStopValidTokensAndOneDownAtStartIsA503UntilItIsBack() throws Exception {
    start();
    idp.down = true;
    assertEquals(404, post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE))).statusCode(), "cached keys keep serving");
    result(gw.stop());
    gw = null;
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("oauth", new JsonObject().put("public_base_url", PUBLIC));
    config.put("sign_in", new JsonObject().put("issuer", idp.issuer).put("unknown_key_cooldown_ms", 300).put("accounts", "acme"));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    HttpResponse<Buffer> unavailable = post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE)));
    assertEquals(503, unavailable.statusCode(), unavailable.bodyAsString());
    assertNotNull(unavailable.getHeader("Retry-After"));
    idp.down = false;
    Thread.sleep(350);
    assertEquals(404, post(PATH, TestIdp.rs256(first, idp.claims("alice", RESOURCE))).statusCode(), "keys read once the IdP is back");
  }

  @Test
  void accessTokensAppearInNoLogLineAndNoResponseAndTheAccessLogNamesTheUser() {
    java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.mcpgateway.logging.JsonLogFormatter formatter = new dev.mcpgateway.logging.JsonLogFormatter();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        lines.add(formatter.format(record));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger.getLogger("").addHandler(capture);
    java.util.logging.Logger.getLogger(dev.mcpgateway.logging.AccessLog.LOGGER_NAME).setLevel(java.util.logging.Level.INFO);
    try {
      start();
      long past = System.currentTimeMillis() / 1000 - 3600;
      java.util.List<String> tokens = java.util.List.of(TestIdp.rs256(first, idp.claims("alice", RESOURCE)),
          TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("exp", past)),
          TestIdp.rs256(first, idp.claims("alice", PUBLIC + "/mcp/acme/other")),
          TestIdp.rs256(TestIdp.newKey("zz"), idp.claims("alice", RESOURCE)),
          TestIdp.rs256(first, idp.claims("alice", RESOURCE).put("scope", "none")));
      java.util.List<String> answers = new java.util.ArrayList<>();
      for (String token : tokens) {
        HttpResponse<Buffer> response = post(PATH, token);
        answers.add(response.bodyAsString() + " " + response.headers());
      }
      for (String token : tokens) {
        String signature = token.substring(token.lastIndexOf('.') + 1);
        for (String line : lines) assertFalse(line.contains(signature), "log line leaks a token: " + line);
        for (String answer : answers) assertFalse(answer.contains(signature), "an answer leaks a token: " + answer);
      }
      assertTrue(lines.stream().anyMatch(l -> l.contains("\"agent\":\"user:alice\"") && l.contains("\"status\":404")),
          "the access line names the signed-in user: " + lines);
    } finally {
      java.util.logging.Logger.getLogger("").removeHandler(capture);
    }
  }

  @Test
  void withSignInOffThereIsNoMetadataAndTheChallengeNamesNone() {
    JsonObject config = TestGateway.config(dataDir, null);
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    result(idp.start(vertx));
    assertEquals(404, result(gw.client.get("/.well-known/oauth-protected-resource" + PATH).send()).statusCode());
    HttpResponse<Buffer> none = post(PATH, null);
    assertEquals(401, none.statusCode());
    assertFalse(none.getHeader("WWW-Authenticate").contains("resource_metadata"));
  }
}
