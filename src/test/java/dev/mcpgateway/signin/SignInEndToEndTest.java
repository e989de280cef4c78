package dev.mcpgateway.signin;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent sign-in with real parts end to end: the company IdP is {@code oidc-provider}
 * ({@code test-peers/company-idp.mjs}, JWT access tokens per resource), the agent is the official
 * TypeScript SDK client with its {@code OAuthClientProvider} flow ({@code test-peers/oauth-agent.mjs}),
 * the browser part driven in headless Chromium (Debian's, via playwright-core), and the upstream is
 * {@code @modelcontextprotocol/server-everything}. Discovery starts from the gateway's bare 401.
 */
class SignInEndToEndTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer idp;
  static NodePeer everything;
  static String base;
  static String issuer;
  static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    int port = GatewayProcess.freePort();
    base = "http://127.0.0.1:" + port;
    idp = NodePeer.start("company-idp.mjs", Map.of("RESOURCE_PREFIX", base + "/mcp/"));
    issuer = "http://localhost:" + idp.port();
    everything = NodePeer.everything("streamableHttp");
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("server").put("port", port);
    config.put("oauth", new JsonObject().put("public_base_url", base));
    config.put("sign_in", new JsonObject().put("issuer", issuer).put("scopes", new JsonArray().add("mcp")).put("accounts", new JsonArray().add("acme")));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    gw.addSyncedServer("acme", "everything", everything.url("/mcp"));
    // two more servers (the same upstream): what each user may use is the policies' to say
    gw.addSyncedServer("acme", "eng-tools", everything.url("/mcp"));
    gw.addSyncedServer("acme", "sales-tools", everything.url("/mcp"));
    admin("/accounts/acme/access/ai-controls/mcp/portals", new JsonObject().put("id", "team").put("name", "Team").put("hostname", "team.example.com")
        .put("servers", new JsonArray().add(new JsonObject().put("server_id", "eng-tools")).add(new JsonObject().put("server_id", "sales-tools"))));
    admin("/accounts/acme/access/policies", new JsonObject().put("name", "Engineering").put("decision", "allow")
        .put("include", new JsonArray().add(new JsonObject().put("oidc", new JsonObject().put("claim_name", "groups").put("claim_value", "eng"))))
        .put("servers", new JsonArray().add("everything").add("eng-tools")).put("portals", new JsonArray().add("team")));
    admin("/accounts/acme/access/policies", new JsonObject().put("name", "Sales").put("decision", "allow")
        .put("include", new JsonArray().add(new JsonObject().put("email_domain", new JsonObject().put("domain", "corp.example"))))
        .put("servers", new JsonArray().add("sales-tools")).put("portals", new JsonArray().add("team")));
  }

  static void admin(String path, JsonObject body) {
    HttpResponse<Buffer> response = result(gw.client.post(path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN).sendJsonObject(body));
    assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.bodyAsString());
  }

  @AfterAll
  static void stop() {
    if (gw != null) result(gw.stop());
    result(vertx.close());
    if (everything != null) everything.close();
    if (idp != null) idp.close();
  }

  static JsonObject signInAndUse(String user, String password, String browser) {
    return signInAndUse(user, password, browser, "/mcp/acme/everything", "echo");
  }

  static JsonObject signInAndUse(String user, String password, String browser, String path, String tool) {
    JsonObject options = new JsonObject().put("user", user).put("password", password).put("browser", browser)
        .put("steps", new JsonArray().add(new JsonObject().put("op", "listTools"))
            .add(new JsonObject().put("op", "callTool").put("name", tool).put("arguments", new JsonObject().put("message", "hi " + user))));
    JsonObject report = NodeAgent.runReport(Map.of("SCREENSHOT_DIR", Path.of("target", "screenshots", "sign-in").toAbsolutePath().toString()),
        "oauth-agent.mjs", base + path, options.encode());
    assertTrue(report.getString("error") == null, report.encode());
    return report;
  }

  static JsonObject idpStats() {
    return result(web.getAbs(issuer.replace("localhost", "127.0.0.1") + "/stats").send()).bodyAsJsonObject();
  }

  @Test
  void aUserSignsInThroughTheBrowserFromTheBare401AndCallsTools() {
    JsonObject report = signInAndUse("alice", "alice-pw", "chromium");
    String resource = base + "/mcp/acme/everything";
    JsonObject discovery = report.getJsonObject("discovery");
    assertEquals(base + "/.well-known/oauth-protected-resource/mcp/acme/everything", discovery.getString("resource_metadata_url"), report.encode());
    assertEquals(resource, discovery.getString("resource"));
    JsonObject claims = report.getJsonObject("token_claims");
    assertEquals(resource, claims.getString("aud"), "the token is bound to this endpoint (RFC 8707)");
    assertEquals("alice", claims.getString("sub"));
    JsonObject list = report.getJsonArray("steps").getJsonObject(0);
    assertTrue(list.getBoolean("ok") && list.getJsonObject("result").getJsonArray("tools").stream()
        .anyMatch(t -> "echo".equals(((JsonObject) t).getString("name"))), list.encode());
    JsonObject call = report.getJsonArray("steps").getJsonObject(1);
    assertTrue(call.getBoolean("ok") && call.encode().contains("hi alice"), call.encode());
  }

  @Test
  void anotherUserSignsInTooAndTheKeysAreNotReadPerRequest() {
    int reads = idpStats().getInteger("jwks_requests");
    JsonObject report = signInAndUse("bob", "bob-pw", "http", "/mcp/acme/sales-tools", "echo");
    assertEquals("bob", report.getJsonObject("token_claims").getString("sub"));
    assertTrue(report.getJsonArray("steps").getJsonObject(1).encode().contains("hi bob"), report.encode());
    assertEquals(reads, idpStats().getInteger("jwks_requests"), "the gateway read no keys for a new user's requests");
  }

  @Test
  void aKeyRotationDuringTrafficIsPickedUpOnTheFirstTokenOfTheNewKey() {
    String resource = base + "/mcp/acme/everything";
    String before = mint(new JsonObject().put("sub", "alice").put("resource", resource));
    assertEquals(200, initialize(before).statusCode());
    int reads = idpStats().getInteger("jwks_requests");
    result(web.postAbs(issuer.replace("localhost", "127.0.0.1") + "/rotate").send());
    String after = mint(new JsonObject().put("sub", "alice").put("resource", resource));
    assertEquals(200, initialize(after).statusCode(), "a token of the new key");
    assertEquals(reads + 1, idpStats().getInteger("jwks_requests"), "one read for the new key");
    assertEquals(200, initialize(before).statusCode(), "tokens of the old key stay valid while the JWKS publishes it");
    assertEquals(401, initialize(mint(new JsonObject().put("sub", "alice").put("resource", resource).put("unpublished_key", true))).statusCode());
    assertEquals(401, initialize(mint(new JsonObject().put("sub", "alice").put("resource", resource).put("ttl", -60))).statusCode());
    assertEquals(401, initialize(mint(new JsonObject().put("sub", "alice").put("resource", base + "/mcp/acme/other"))).statusCode());
  }

  @Test
  void eachUserReachesOnlyTheServersThePoliciesGiveThem() {
    assertEquals(200, initialize("/mcp/acme/eng-tools", token("alice", "/mcp/acme/eng-tools")).statusCode());
    HttpResponse<Buffer> refused = initialize("/mcp/acme/sales-tools", token("alice", "/mcp/acme/sales-tools"));
    assertEquals(403, refused.statusCode());
    assertTrue(refused.bodyAsString().contains("no access policy lets this user use this MCP server"), refused.bodyAsString());
    assertEquals(200, initialize("/mcp/acme/sales-tools", token("bob", "/mcp/acme/sales-tools")).statusCode());
    assertEquals(403, initialize("/mcp/acme/eng-tools", token("bob", "/mcp/acme/eng-tools")).statusCode());
    assertEquals(403, initialize("/mcp/acme/everything", token("bob", "/mcp/acme/everything")).statusCode());
    assertEquals(403, initialize("/mcp/acme/portals/team", token("carol", "/mcp/acme/portals/team")).statusCode(),
        "a user no policy names (not in the IdP's user list either: minted) reaches not even the portal");
  }

  @Test
  void throughOnePortalEachUserSeesAndCallsOnlyTheirMembers() {
    JsonObject alice = signInAndUse("alice", "alice-pw", "http", "/mcp/acme/portals/team", "eng-tools_echo");
    assertEquals(Set.of("eng-tools"), members(alice));
    assertTrue(alice.getJsonArray("steps").getJsonObject(1).encode().contains("hi alice"), alice.encode());
    JsonObject bob = signInAndUse("bob", "bob-pw", "http", "/mcp/acme/portals/team", "eng-tools_echo");
    assertEquals(Set.of("sales-tools"), members(bob));
    assertFalse(bob.getJsonArray("steps").getJsonObject(1).getBoolean("ok"), "bob cannot call alice's member: " + bob.encode());
  }

  /** The member server ids behind a portal's tools list (the built-in portal_* tools aside). */
  static Set<String> members(JsonObject report) {
    JsonObject list = report.getJsonArray("steps").getJsonObject(0);
    assertTrue(list.getBoolean("ok"), list.encode());
    return list.getJsonObject("result").getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name"))
        .filter(name -> !name.startsWith("portal_")).map(name -> name.substring(0, name.indexOf('_'))).collect(Collectors.toSet());
  }

  static String token(String user, String path) {
    return mint(new JsonObject().put("sub", user).put("resource", base + path));
  }

  static HttpResponse<Buffer> initialize(String path, String token) {
    return result(gw.client.post(path).putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params", new JsonObject()
            .put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
  }

  static String mint(JsonObject request) {
    HttpResponse<Buffer> minted = result(web.postAbs(issuer.replace("localhost", "127.0.0.1") + "/mint").sendJsonObject(request));
    assertEquals(200, minted.statusCode(), minted.bodyAsString());
    return minted.bodyAsJsonObject().getString("access_token");
  }

  static HttpResponse<Buffer> initialize(String token) {
    return initialize("/mcp/acme/everything", token);
  }
}
