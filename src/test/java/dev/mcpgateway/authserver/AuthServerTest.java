package dev.mcpgateway.authserver;

import static dev.mcpgateway.support.Await.result;
import static dev.mcpgateway.support.AuthServerClient.authorization;
import static dev.mcpgateway.support.AuthServerClient.codeGrant;
import static dev.mcpgateway.support.AuthServerClient.redirectQuery;
import static dev.mcpgateway.support.AuthServerClient.refreshGrant;
import static dev.mcpgateway.support.AuthServerClient.ticket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.security.PasswordHash;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.support.AuthServerClient;
import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in authorization server over real HTTP, with the bootstrap local users as the login:
 * discovery, registration, the sign-in, tokens the MCP endpoint accepts, and every way a request is
 * refused (one test each). "Admitted" at the MCP endpoint shows as the answer of the route behind
 * authentication: 404 for a server that does not exist.
 */
class AuthServerTest {
  static final String CALLBACK = "http://127.0.0.1:5999/callback";
  static final String MISSING = "/mcp/acme/missing";
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static String base;
  static AuthServerClient as;

  static JsonObject signIn(String base) {
    return new JsonObject().put("mode", "builtin").put("accounts", new JsonArray().add("acme")).put("access_token_ttl_ms", 60_000)
        .put("redirect_uris", new JsonArray().add("https://claude.ai/api/mcp/auth_callback").add("cursor://anysphere.cursor-retrieval/oauth/*/callback"))
        .put("local_users", new JsonArray()
            .add(new JsonObject().put("name", "alice").put("password_hash", "sha256$" + TokenHash.sha256Hex("alice-pw"))
                .put("email", "alice@example.com").put("groups", new JsonArray().add("eng")))
            .add(new JsonObject().put("name", "bob").put("password_hash", PasswordHash.pbkdf2("bob-pw", 1000, new SecureRandom()))
                .put("email", "bob@corp.example")));
  }

  static TestGateway start(Path dir, String base, JsonObject signIn) {
    JsonObject config = TestGateway.signingIn(TestGateway.config(dir, null), base, Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), signIn);
    TestGateway started = result(TestGateway.start(vertx, config, dir, null));
    assertEquals(201, result(started.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("name", "everyone").put("decision", "allow")
            .put("include", new JsonArray().add(new JsonObject().put("everyone", new JsonObject())))
            .put("servers", new JsonArray().add("*")))).statusCode());
    return started;
  }

  @BeforeAll
  static void startGateway() throws Exception {
    vertx = Vertx.vertx();
    base = "http://127.0.0.1:" + GatewayProcess.freePort();
    gw = start(dataDir, base, signIn(base));
    as = new AuthServerClient(vertx, base);
  }

  @AfterAll
  static void stop() {
    if (gw != null) result(gw.stop());
    result(vertx.close());
  }

  /** A signed-in public client's token response. */
  static JsonObject tokens(String clientId, String user, String password) {
    String verifier = AuthServerClient.verifier();
    String code = as.code(clientId, CALLBACK, base + MISSING, verifier, user, password);
    HttpResponse<Buffer> response = as.token(codeGrant(clientId, code, CALLBACK, verifier));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  @Test
  void discoveryLeadsFromTheBare401ToTheGatewaysOwnAuthorizationServer() {
    HttpResponse<Buffer> bare = result(as.web.post(MISSING).send());
    assertEquals(401, bare.statusCode());
    String challenge = bare.getHeader("WWW-Authenticate");
    assertTrue(challenge.contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource" + MISSING + "\""), challenge);
    JsonObject prm = result(as.web.get("/.well-known/oauth-protected-resource" + MISSING).send()).bodyAsJsonObject();
    assertEquals(new JsonArray().add(base), prm.getJsonArray("authorization_servers"), "the gateway names itself");
    HttpResponse<Buffer> metadata = result(as.web.get("/.well-known/oauth-authorization-server").send());
    assertEquals(200, metadata.statusCode());
    assertEquals("*", metadata.getHeader("Access-Control-Allow-Origin"));
    JsonObject m = metadata.bodyAsJsonObject();
    assertEquals(base, m.getString("issuer"));
    assertEquals(base + "/authorize", m.getString("authorization_endpoint"));
    assertEquals(base + "/token", m.getString("token_endpoint"));
    assertEquals(base + "/register", m.getString("registration_endpoint"));
    assertEquals(base + "/revoke", m.getString("revocation_endpoint"));
    assertEquals(base + "/jwks", m.getString("jwks_uri"));
    assertEquals(new JsonArray().add("S256"), m.getJsonArray("code_challenge_methods_supported"));
    assertEquals(new JsonArray().add("code"), m.getJsonArray("response_types_supported"));
    assertEquals(new JsonArray().add("authorization_code").add("refresh_token"), m.getJsonArray("grant_types_supported"));
    assertEquals(new JsonArray().add("none").add("client_secret_post").add("client_secret_basic"), m.getJsonArray("token_endpoint_auth_methods_supported"));
    assertEquals(new JsonArray().add("mcp"), m.getJsonArray("scopes_supported"));
    JsonArray keys = result(as.web.get("/jwks").send()).bodyAsJsonObject().getJsonArray("keys");
    assertEquals(1, keys.size());
    JsonObject key = keys.getJsonObject(0);
    assertEquals("RSA", key.getString("kty"));
    assertFalse(key.containsKey("d") || key.containsKey("p"), "no private part is published: " + key);
  }

  @Test
  void aLocalUserSignsInAndTheAccessTokenOpensTheMcpEndpoint() {
    String clientId = as.registerPublic(CALLBACK);
    String verifier = AuthServerClient.verifier();
    Map<String, String> request = authorization(clientId, CALLBACK, base + MISSING, verifier);
    HttpResponse<Buffer> loginPage = as.authorize(request);
    assertEquals(200, loginPage.statusCode(), loginPage.bodyAsString());
    assertTrue(loginPage.getHeader("Content-Security-Policy").startsWith("default-src 'none'"), loginPage.getHeader("Content-Security-Policy"));
    assertFalse(loginPage.bodyAsString().contains("<script"), "no script");
    HttpResponse<Buffer> consentPage = as.login(ticket(loginPage), "alice", "alice-pw");
    assertEquals(200, consentPage.statusCode(), consentPage.bodyAsString());
    assertTrue(consentPage.bodyAsString().contains("Test agent") && consentPage.bodyAsString().contains(base + MISSING), consentPage.bodyAsString());
    assertTrue(consentPage.getHeader("Content-Security-Policy").contains("form-action 'self' http://127.0.0.1:5999"),
        "the approval's redirect is allowed: " + consentPage.getHeader("Content-Security-Policy"));
    HttpResponse<Buffer> approved = as.consent(ticket(consentPage), "approve");
    assertEquals(303, approved.statusCode());
    assertTrue(approved.getHeader("Location").startsWith(CALLBACK + "?code="), approved.getHeader("Location"));
    Map<String, String> answer = redirectQuery(approved);
    assertEquals(request.get("state"), answer.get("state"));
    assertEquals(base, answer.get("iss"), "RFC 9207");
    HttpResponse<Buffer> token = as.token(codeGrant(clientId, answer.get("code"), CALLBACK, verifier));
    assertEquals(200, token.statusCode(), token.bodyAsString());
    assertEquals("no-store", token.getHeader("Cache-Control"));
    JsonObject tokens = token.bodyAsJsonObject();
    assertEquals("Bearer", tokens.getString("token_type"));
    assertEquals(60, tokens.getInteger("expires_in"));
    assertEquals("mcp", tokens.getString("scope"));
    String accessToken = tokens.getString("access_token");
    assertEquals("at+jwt", AuthServerClient.header(accessToken).getString("typ"));
    assertEquals("RS256", AuthServerClient.header(accessToken).getString("alg"));
    JsonObject claims = AuthServerClient.claims(accessToken);
    assertEquals(base, claims.getString("iss"));
    assertEquals("alice", claims.getString("sub"));
    assertEquals(base + MISSING, claims.getString("aud"));
    assertEquals(clientId, claims.getString("client_id"));
    assertEquals("alice@example.com", claims.getString("email"));
    assertEquals(new JsonArray().add("eng"), claims.getJsonArray("groups"));
    assertTrue(claims.containsKey("jti") && claims.getLong("exp") - claims.getLong("iat") == 60, claims.encode());
    assertEquals(404, as.initialize(MISSING, accessToken).statusCode(), "admitted: the server does not exist");
    HttpResponse<Buffer> refreshed = as.token(refreshGrant(clientId, tokens.getString("refresh_token")));
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    assertNotEquals(tokens.getString("refresh_token"), refreshed.bodyAsJsonObject().getString("refresh_token"), "rotated");
    assertEquals(404, as.initialize(MISSING, refreshed.bodyAsJsonObject().getString("access_token")).statusCode());
  }

  @Test
  void aConfidentialClientAuthenticatesWithItsSecretAndAPbkdf2UserSignsIn() {
    HttpResponse<Buffer> registered = as.register(new JsonObject().put("client_name", "Claude").put("token_endpoint_auth_method", "client_secret_basic")
        .put("redirect_uris", new JsonArray().add("https://claude.ai/api/mcp/auth_callback")));
    assertEquals(201, registered.statusCode(), registered.bodyAsString());
    String clientId = registered.bodyAsJsonObject().getString("client_id");
    String secret = registered.bodyAsJsonObject().getString("client_secret");
    assertEquals(0, registered.bodyAsJsonObject().getInteger("client_secret_expires_at"));
    String verifier = AuthServerClient.verifier();
    String code = as.code(clientId, "https://claude.ai/api/mcp/auth_callback", base + MISSING, verifier, "bob", "bob-pw");
    var form = codeGrant(clientId, code, "https://claude.ai/api/mcp/auth_callback", verifier);
    form.remove("client_id");
    HttpResponse<Buffer> wrong = as.token(form, clientId, secret + "x");
    assertEquals(401, wrong.statusCode());
    assertEquals("invalid_client", wrong.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> noSecret = as.token(codeGrant(clientId, code, "https://claude.ai/api/mcp/auth_callback", verifier));
    assertEquals("invalid_client", noSecret.bodyAsJsonObject().getString("error"), "a confidential client must authenticate");
    HttpResponse<Buffer> token = as.token(form, clientId, secret);
    assertEquals(200, token.statusCode(), token.bodyAsString());
    assertNull(token.bodyAsJsonObject().getString("refresh_token"), "registered without the refresh_token grant");
    assertEquals("bob@corp.example", AuthServerClient.claims(token.bodyAsJsonObject().getString("access_token")).getString("email"));
  }

  @Test
  void plainPkceIsRefused() {
    String clientId = as.registerPublic(CALLBACK);
    Map<String, String> request = authorization(clientId, CALLBACK, base + MISSING, AuthServerClient.verifier());
    request.put("code_challenge_method", "plain");
    request.put("code_challenge", "x".repeat(43));
    HttpResponse<Buffer> refused = as.authorize(request);
    assertEquals(302, refused.statusCode());
    Map<String, String> answer = redirectQuery(refused);
    assertEquals("invalid_request", answer.get("error"));
    assertTrue(answer.get("error_description").contains("S256"), answer.toString());
    assertEquals(request.get("state"), answer.get("state"));
    assertEquals(base, answer.get("iss"));
    request.remove("code_challenge_method");
    assertEquals("invalid_request", redirectQuery(as.authorize(request)).get("error"), "no method means plain");
  }

  @Test
  void aWrongVerifierIsRefused() {
    String clientId = as.registerPublic(CALLBACK);
    String verifier = AuthServerClient.verifier();
    String code = as.code(clientId, CALLBACK, base + MISSING, verifier, "alice", "alice-pw");
    HttpResponse<Buffer> refused = as.token(codeGrant(clientId, code, CALLBACK, AuthServerClient.verifier()));
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_grant", refused.bodyAsJsonObject().getString("error"));
    assertTrue(refused.bodyAsJsonObject().getString("error_description").contains("PKCE"), refused.bodyAsString());
  }

  @Test
  void aCodeUsedTwiceRevokesWhatItIssued() {
    String clientId = as.registerPublic(CALLBACK);
    String verifier = AuthServerClient.verifier();
    String code = as.code(clientId, CALLBACK, base + MISSING, verifier, "alice", "alice-pw");
    JsonObject first = as.token(codeGrant(clientId, code, CALLBACK, verifier)).bodyAsJsonObject();
    HttpResponse<Buffer> again = as.token(codeGrant(clientId, code, CALLBACK, verifier));
    assertEquals(400, again.statusCode());
    assertEquals("invalid_grant", again.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> refresh = as.token(refreshGrant(clientId, first.getString("refresh_token")));
    assertEquals("invalid_grant", refresh.bodyAsJsonObject().getString("error"), "the refresh token the code issued is revoked: " + refresh.bodyAsString());
    HttpResponse<Buffer> refused = as.initialize(MISSING, first.getString("access_token"));
    assertEquals(401, refused.statusCode(), "and the access token too");
    assertTrue(refused.bodyAsString().contains("grant has been revoked"), refused.bodyAsString());
  }

  @Test
  void aRefreshTokenUsedTwiceRevokesItsWholeFamily() {
    String clientId = as.registerPublic(CALLBACK);
    JsonObject first = tokens(clientId, "alice", "alice-pw");
    JsonObject second = as.token(refreshGrant(clientId, first.getString("refresh_token"))).bodyAsJsonObject();
    HttpResponse<Buffer> replay = as.token(refreshGrant(clientId, first.getString("refresh_token")));
    assertEquals(400, replay.statusCode());
    assertEquals("invalid_grant", replay.bodyAsJsonObject().getString("error"));
    assertEquals("invalid_grant", as.token(refreshGrant(clientId, second.getString("refresh_token"))).bodyAsJsonObject().getString("error"),
        "the newest token of the family is revoked too");
    assertEquals(401, as.initialize(MISSING, second.getString("access_token")).statusCode(), "and its access token");
  }

  @Test
  void registrationsFromOneAddressAreRateLimited(@TempDir Path dir) throws Exception {
    String ownBase = "http://127.0.0.1:" + GatewayProcess.freePort();
    TestGateway own = start(dir, ownBase, signIn(ownBase));
    try {
      AuthServerClient client = new AuthServerClient(vertx, ownBase);
      JsonObject body = new JsonObject().put("token_endpoint_auth_method", "none").put("redirect_uris", new JsonArray().add(CALLBACK));
      for (int i = 0; i < RegistrationEndpoint.REGISTRATIONS_PER_MINUTE; i++) assertEquals(201, client.register(body).statusCode(), "registration " + i);
      HttpResponse<Buffer> limited = client.register(body);
      assertEquals(429, limited.statusCode(), limited.bodyAsString());
      assertTrue(Long.parseLong(limited.getHeader("Retry-After")) >= 1);
    } finally {
      result(own.stop());
    }
  }

  @Test
  void registrationStopsAtTheClientLimit(@TempDir Path dir) throws Exception {
    String ownBase = "http://127.0.0.1:" + GatewayProcess.freePort();
    TestGateway own = start(dir, ownBase, signIn(ownBase).put("max_clients", 2));
    try {
      AuthServerClient client = new AuthServerClient(vertx, ownBase);
      JsonObject body = new JsonObject().put("token_endpoint_auth_method", "none").put("redirect_uris", new JsonArray().add(CALLBACK));
      assertEquals(201, client.register(body).statusCode());
      assertEquals(201, client.register(body).statusCode());
      HttpResponse<Buffer> full = client.register(body);
      assertEquals(503, full.statusCode(), full.bodyAsString());
      assertEquals("temporarily_unavailable", full.bodyAsJsonObject().getString("error"));
    } finally {
      result(own.stop());
    }
  }

  @Test
  void aRefreshPastTheSessionLimitNeedsANewSignIn(@TempDir Path dir) throws Exception {
    String ownBase = "http://127.0.0.1:" + GatewayProcess.freePort();
    TestGateway own = start(dir, ownBase, signIn(ownBase).put("session_max_age_ms", 4_000));
    try {
      AuthServerClient client = new AuthServerClient(vertx, ownBase);
      String clientId = client.registerPublic(CALLBACK);
      String verifier = AuthServerClient.verifier();
      String code = client.code(clientId, CALLBACK, ownBase + MISSING, verifier, "alice", "alice-pw");
      JsonObject tokens = client.token(codeGrant(clientId, code, CALLBACK, verifier)).bodyAsJsonObject();
      JsonObject refreshed = client.token(refreshGrant(clientId, tokens.getString("refresh_token"))).bodyAsJsonObject();
      assertTrue(refreshed.containsKey("access_token"), "within the limit: " + refreshed.encode());
      Thread.sleep(4_100);
      HttpResponse<Buffer> late = client.token(refreshGrant(clientId, refreshed.getString("refresh_token")));
      assertEquals(400, late.statusCode());
      assertEquals("invalid_grant", late.bodyAsJsonObject().getString("error"));
      assertTrue(late.bodyAsJsonObject().getString("error_description").contains("sign in again"), late.bodyAsString());
    } finally {
      result(own.stop());
    }
  }

  @Test
  void aRedirectUriNotAllowedIsRefusedAtRegistration() {
    HttpResponse<Buffer> refused = as.register(new JsonObject().put("token_endpoint_auth_method", "none")
        .put("redirect_uris", new JsonArray().add("https://evil.example/callback")));
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_redirect_uri", refused.bodyAsJsonObject().getString("error"));
    assertEquals("invalid_redirect_uri", as.register(new JsonObject().put("redirect_uris", new JsonArray().add("http://127.0.0.1:5/cb#frag")))
        .bodyAsJsonObject().getString("error"), "no fragment");
    assertEquals("invalid_redirect_uri", as.register(new JsonObject().put("redirect_uris",
        new JsonArray().add("cursor://anysphere.cursor-retrieval/oauth/a/b/callback"))).bodyAsJsonObject().getString("error"), "* is one segment");
    assertEquals("invalid_client_metadata", as.register(new JsonObject().put("redirect_uris", new JsonArray().add(CALLBACK))
        .put("token_endpoint_auth_method", "private_key_jwt")).bodyAsJsonObject().getString("error"));
    for (String allowed : new String[] {"http://localhost:12345/cb", "http://[::1]:1/x", "cursor://anysphere.cursor-retrieval/oauth/user-mcp/callback"}) {
      assertEquals(201, as.register(new JsonObject().put("token_endpoint_auth_method", "none").put("redirect_uris", new JsonArray().add(allowed)))
          .statusCode(), allowed);
    }
  }

  @Test
  void aRedirectUriMismatchAtAuthorizeIsAPageNotARedirect() {
    String clientId = as.registerPublic(CALLBACK);
    HttpResponse<Buffer> refused = as.authorize(authorization(clientId, "http://127.0.0.1:5999/elsewhere", base + MISSING, AuthServerClient.verifier()));
    assertEquals(400, refused.statusCode());
    assertNull(refused.getHeader("Location"));
    assertTrue(refused.bodyAsString().contains("redirect_uri"), refused.bodyAsString());
    assertEquals(200, as.authorize(authorization(clientId, "http://127.0.0.1:6123/callback", base + MISSING, AuthServerClient.verifier()))
        .statusCode(), "a loopback redirect URI matches on any port");
    HttpResponse<Buffer> unknown = as.authorize(authorization("nobody", CALLBACK, base + MISSING, AuthServerClient.verifier()));
    assertEquals(400, unknown.statusCode());
    assertNull(unknown.getHeader("Location"));
  }

  @Test
  void aResourceThatIsNotAGatewayEndpointIsRefused() {
    String clientId = as.registerPublic(CALLBACK);
    for (String resource : new String[] {"https://elsewhere.example/mcp/acme/x", base + "/accounts/acme", base + "/mcp/other/x", base + "/mcp/acme/x?y=1",
        "https://no-portal-here.example/mcp"}) {
      Map<String, String> answer = redirectQuery(as.authorize(authorization(clientId, CALLBACK, resource, AuthServerClient.verifier())));
      assertEquals("invalid_target", answer.get("error"), resource);
    }
    Map<String, String> request = authorization(clientId, CALLBACK, base + MISSING, AuthServerClient.verifier());
    request.remove("resource");
    assertEquals("invalid_target", redirectQuery(as.authorize(request)).get("error"), "resource is required");
    assertEquals(200, as.authorize(authorization(clientId, CALLBACK, base + "/mcp/acme/portals/team", AuthServerClient.verifier())).statusCode(),
        "a portal by path");
  }

  @Test
  void aTokenForAnotherResourceIsRefusedAtTheMcpEndpoint() {
    String clientId = as.registerPublic(CALLBACK);
    String verifier = AuthServerClient.verifier();
    String code = as.code(clientId, CALLBACK, base + "/mcp/acme/other", verifier, "alice", "alice-pw");
    String token = as.token(codeGrant(clientId, code, CALLBACK, verifier)).bodyAsJsonObject().getString("access_token");
    HttpResponse<Buffer> refused = as.initialize(MISSING, token);
    assertEquals(401, refused.statusCode());
    assertTrue(refused.getHeader("WWW-Authenticate").contains("error=\"invalid_token\""), refused.getHeader("WWW-Authenticate"));
    assertTrue(refused.bodyAsString().contains("not for this resource"), refused.bodyAsString());
  }

  @Test
  void aRevokedRefreshTokenIsRefused() {
    String clientId = as.registerPublic(CALLBACK);
    JsonObject tokens = tokens(clientId, "alice", "alice-pw");
    assertEquals(404, as.initialize(MISSING, tokens.getString("access_token")).statusCode());
    HttpResponse<Buffer> revoked = as.revoke(clientId, tokens.getString("refresh_token"));
    assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
    assertEquals(401, as.initialize(MISSING, tokens.getString("access_token")).statusCode(), "the grant's access token goes with it");
    HttpResponse<Buffer> refused = as.token(refreshGrant(clientId, tokens.getString("refresh_token")));
    assertEquals(400, refused.statusCode());
    assertEquals("invalid_grant", refused.bodyAsJsonObject().getString("error"));
    assertEquals(200, as.revoke(clientId, "never-issued").statusCode(), "RFC 7009: unknown tokens answer 200");
  }

  @Test
  void aWrongPasswordShowsTheFormAgainAndADenialTellsTheClient() {
    String clientId = as.registerPublic(CALLBACK);
    Map<String, String> request = authorization(clientId, CALLBACK, base + MISSING, AuthServerClient.verifier());
    HttpResponse<Buffer> loginPage = as.authorize(request);
    HttpResponse<Buffer> again = as.login(ticket(loginPage), "alice", "wrong");
    assertEquals(401, again.statusCode());
    assertTrue(again.bodyAsString().contains("role=\"alert\">Invalid username or password."), again.bodyAsString());
    HttpResponse<Buffer> consentPage = as.login(ticket(again), "alice", "alice-pw");
    Map<String, String> denied = redirectQuery(as.consent(ticket(consentPage), "deny"));
    assertEquals("access_denied", denied.get("error"));
    assertEquals(request.get("state"), denied.get("state"));
  }

  @Test
  void aConsentTicketWorksOnceAndOnlyInTheBrowserThatStartedTheSignIn() {
    String clientId = as.registerPublic(CALLBACK);
    HttpResponse<Buffer> consentPage = as.login(ticket(as.authorize(authorization(clientId, CALLBACK, base + MISSING, AuthServerClient.verifier()))),
        "alice", "alice-pw");
    String consentTicket = ticket(consentPage);
    AuthServerClient otherBrowser = new AuthServerClient(vertx, base);
    HttpResponse<Buffer> elsewhere = otherBrowser.consent(consentTicket, "approve");
    assertEquals(400, elsewhere.statusCode());
    assertTrue(elsewhere.bodyAsString().contains("another browser"), elsewhere.bodyAsString());
    assertEquals(303, as.consent(consentTicket, "approve").statusCode());
    HttpResponse<Buffer> twice = as.consent(consentTicket, "approve");
    assertEquals(400, twice.statusCode(), "the browser's cookie is gone, and the grant exists: " + twice.bodyAsString());
  }

  @Test
  void aNewSigningKeyTakesOverAndTokensOfTheOldOneStayValid(@TempDir Path dir) throws Exception {
    String rotatingBase = "http://127.0.0.1:" + GatewayProcess.freePort();
    TestGateway rotating = start(dir, rotatingBase, signIn(rotatingBase).put("signing_key_rotation_ms", 1500).put("jwks_refresh_ms", 400));
    try {
      AuthServerClient client = new AuthServerClient(vertx, rotatingBase);
      String clientId = client.registerPublic(CALLBACK);
      String verifier = AuthServerClient.verifier();
      String code = client.code(clientId, CALLBACK, rotatingBase + MISSING, verifier, "alice", "alice-pw");
      JsonObject tokens = client.token(codeGrant(clientId, code, CALLBACK, verifier)).bodyAsJsonObject();
      String oldToken = tokens.getString("access_token");
      String oldKid = AuthServerClient.header(oldToken).getString("kid");
      String newToken = null;
      String refresh = tokens.getString("refresh_token");
      for (long deadline = System.currentTimeMillis() + 15_000; newToken == null && System.currentTimeMillis() < deadline; ) {
        Thread.sleep(250);
        JsonObject next = client.token(refreshGrant(clientId, refresh)).bodyAsJsonObject();
        refresh = next.getString("refresh_token");
        if (!oldKid.equals(AuthServerClient.header(next.getString("access_token")).getString("kid"))) newToken = next.getString("access_token");
      }
      assertTrue(newToken != null, "a new key signs within 15 s of its rotation");
      String newKid = AuthServerClient.header(newToken).getString("kid");
      JsonArray published = result(client.web.get("/jwks").send()).bodyAsJsonObject().getJsonArray("keys");
      assertTrue(published.stream().map(k -> ((JsonObject) k).getString("kid")).toList().containsAll(java.util.List.of(oldKid, newKid)), published.encode());
      assertEquals(404, client.initialize(MISSING, newToken).statusCode(), "a token of the new key");
      assertEquals(404, client.initialize(MISSING, oldToken).statusCode(), "a token of the old key, still published");
    } finally {
      result(rotating.stop());
    }
  }

  @Test
  void anIdpThatCannotBeReachedIsAClearPageAtLogin(@TempDir Path dir) throws Exception {
    String idpBase = "http://127.0.0.1:" + GatewayProcess.freePort();
    JsonObject signIn = signIn(idpBase).put("local_users", new JsonArray())
        .put("idp", new JsonObject().put("issuer", "http://127.0.0.1:1").put("client_id", "gateway").put("client_secret", "idp-secret"));
    TestGateway withIdp = start(dir, idpBase, signIn);
    try {
      AuthServerClient client = new AuthServerClient(vertx, idpBase);
      String clientId = client.registerPublic(CALLBACK);
      Map<String, String> request = authorization(clientId, CALLBACK, idpBase + MISSING, AuthServerClient.verifier());
      HttpResponse<Buffer> page = client.authorize(request);
      assertEquals(503, page.statusCode());
      assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
      String html = page.bodyAsString();
      assertTrue(html.contains("The sign-in provider (http://127.0.0.1:1) cannot be reached right now"), html);
      assertTrue(html.contains("error=temporarily_unavailable") && html.contains("Return to the application"), "a way back to the client: " + html);
      assertFalse(html.contains("idp-secret"));
    } finally {
      result(withIdp.stop());
    }
  }
}
