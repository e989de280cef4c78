package dev.mcpgateway.authserver;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in authorization server with real parts end to end, for an IdP without dynamic client
 * registration in mind: the MCP client is the official TypeScript SDK client's OAuth flow
 * ({@code test-peers/oauth-agent.mjs}) and registers with the gateway, never with the IdP; the IdP is
 * {@code oidc-provider} ({@code test-peers/company-idp.mjs}) with the gateway pre-registered as its
 * confidential client; the browser part (the IdP's login and consent, then the gateway's consent)
 * runs in headless Chromium; the upstream is {@code @modelcontextprotocol/server-everything}.
 * Discovery starts from the gateway's bare 401.
 */
class AuthServerEndToEndTest {
  static final String IDP_CLIENT_SECRET = "idp-client-secret-PLANTED-4e1f";
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer idp;
  static NodePeer everything;
  static String base;
  static String idpIssuer;
  static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    int port = GatewayProcess.freePort();
    base = "http://127.0.0.1:" + port;
    idp = NodePeer.start("company-idp.mjs", Map.of("GATEWAY_CLIENT", new JsonObject().put("client_id", "mcp-gateway")
        .put("client_secret", IDP_CLIENT_SECRET).put("redirect_uris", new JsonArray().add(base + "/authorize/callback")).encode()));
    idpIssuer = "http://localhost:" + idp.port();
    everything = NodePeer.everything("streamableHttp");
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    JsonObject config = TestGateway.signingIn(TestGateway.config(dataDir, null), base, port, new JsonObject().put("mode", "builtin")
        .put("accounts", new JsonArray().add("acme")).put("idp", new JsonObject().put("issuer", idpIssuer).put("client_id", "mcp-gateway").put("client_secret", IDP_CLIENT_SECRET)));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    gw.addSyncedServer("acme", "everything", everything.url("/mcp"));
    // who may use it is the access policies' to say: here the IdP's group claim, carried through the gateway's own token
    HttpResponse<Buffer> policy = result(gw.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("name", "Engineering and sales").put("decision", "allow")
            .put("include", new JsonArray().add(new JsonObject().put("oidc", new JsonObject().put("claim_name", "groups").put("claim_value", "eng")))
                .add(new JsonObject().put("email_domain", new JsonObject().put("domain", "corp.example"))))
            .put("servers", new JsonArray().add("everything"))));
    assertEquals(201, policy.statusCode(), policy.bodyAsString());
  }

  @AfterAll
  static void stop() {
    if (gw != null) result(gw.stop());
    result(vertx.close());
    if (everything != null) everything.close();
    if (idp != null) idp.close();
  }

  static JsonObject signInAndUse(String user, String password, String browser) {
    JsonObject options = new JsonObject().put("user", user).put("password", password).put("browser", browser)
        .put("steps", new JsonArray().add(new JsonObject().put("op", "listTools"))
            .add(new JsonObject().put("op", "callTool").put("name", "echo").put("arguments", new JsonObject().put("message", "hi " + user))));
    JsonObject report = NodeAgent.runReport(Map.of("SCREENSHOT_DIR", Path.of("target", "screenshots", "built-in-as").toAbsolutePath().toString()),
        "oauth-agent.mjs", base + "/mcp/acme/everything", options.encode());
    assertTrue(report.getString("error") == null, report.encode());
    return report;
  }

  static JsonObject idpStats() {
    return result(web.getAbs(idpIssuer.replace("localhost", "127.0.0.1") + "/stats").send()).bodyAsJsonObject();
  }

  @Test
  void aUserSignsInAtTheIdpInChromiumThroughTheGatewaysOwnAuthorizationServerAndCallsTools() {
    int registrations = idpStats().getInteger("registrations");
    JsonObject report = signInAndUse("alice", "alice-pw", "chromium");
    String resource = base + "/mcp/acme/everything";
    JsonObject discovery = report.getJsonObject("discovery");
    assertEquals(base + "/.well-known/oauth-protected-resource/mcp/acme/everything", discovery.getString("resource_metadata_url"), report.encode());
    assertEquals(resource, discovery.getString("resource"));
    assertTrue(discovery.getString("authorization_server").startsWith(base), "the gateway is the authorization server: " + discovery);
    assertTrue(report.getString("authorization_url").startsWith(base + "/authorize?"), report.getString("authorization_url"));
    assertTrue(report.getString("login_page").startsWith(idpIssuer + "/interaction/"), "the login is the IdP's: " + report.getString("login_page"));
    assertEquals(true, report.getBoolean("gateway_consent"), "the gateway's consent page was answered");
    assertEquals("at+jwt", report.getJsonObject("token_header").getString("typ"));
    JsonObject claims = report.getJsonObject("token_claims");
    assertEquals(base, claims.getString("iss"));
    assertEquals(resource, claims.getString("aud"), "bound to this endpoint (RFC 8707)");
    assertEquals("alice", claims.getString("sub"), "the IdP's subject");
    assertEquals("alice@example.com", claims.getString("email"), "from the IdP's ID token");
    assertEquals(new JsonArray().add("eng"), claims.getJsonArray("groups"));
    assertEquals(report.getString("client_id"), claims.getString("client_id"));
    assertTrue(report.getBoolean("refresh_token"));
    assertEquals(registrations, idpStats().getInteger("registrations"), "the client registered with the gateway, not with the IdP");
    assertEquals(0, idpStats().getInteger("userinfo_requests"), "the ID token had the claims");
    JsonObject list = report.getJsonArray("steps").getJsonObject(0);
    assertTrue(list.getBoolean("ok") && list.getJsonObject("result").getJsonArray("tools").stream()
        .anyMatch(t -> "echo".equals(((JsonObject) t).getString("name"))), list.encode());
    JsonObject call = report.getJsonArray("steps").getJsonObject(1);
    assertTrue(call.getBoolean("ok") && call.encode().contains("hi alice"), call.encode());
    assertFalse(report.encode().contains(IDP_CLIENT_SECRET));
  }

  @Test
  void anotherUserSignsInOverTheHttpShortcut() {
    JsonObject report = signInAndUse("bob", "bob-pw", "http");
    assertEquals(true, report.getBoolean("gateway_consent"));
    assertEquals("bob", report.getJsonObject("token_claims").getString("sub"));
    assertEquals("bob@corp.example", report.getJsonObject("token_claims").getString("email"));
    assertTrue(report.getJsonArray("steps").getJsonObject(1).encode().contains("hi bob"), report.encode());
  }

  @Test
  void claimsAStrictIdpLeavesOutOfTheIdTokenAreReadFromItsUserinfo(@TempDir Path dir) throws Exception {
    int port = GatewayProcess.freePort();
    String strictBase = "http://127.0.0.1:" + port;
    try (NodePeer strict = NodePeer.start("company-idp.mjs", Map.of("CONFORM_ID_TOKEN_CLAIMS", "true", "GATEWAY_CLIENT", new JsonObject()
        .put("client_id", "mcp-gateway").put("client_secret", IDP_CLIENT_SECRET).put("redirect_uris", new JsonArray().add(strictBase + "/authorize/callback"))
        .encode()))) {
      JsonObject config = TestGateway.signingIn(TestGateway.config(dir, null), strictBase, port, new JsonObject().put("mode", "builtin")
          .put("accounts", new JsonArray().add("acme")).put("idp", new JsonObject().put("issuer", "http://localhost:" + strict.port())
              .put("client_id", "mcp-gateway").put("client_secret", IDP_CLIENT_SECRET)));
      TestGateway strictGateway = result(TestGateway.start(vertx, config, dir, null));
      try {
        strictGateway.addSyncedServer("acme", "everything", everything.url("/mcp"));
        assertEquals(201, result(strictGateway.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
            .sendJsonObject(new JsonObject().put("name", "eng").put("decision", "allow").put("include", new JsonArray()
                .add(new JsonObject().put("oidc", new JsonObject().put("claim_name", "groups").put("claim_value", "eng"))))
                .put("servers", new JsonArray().add("*")))).statusCode());
        JsonObject options = new JsonObject().put("user", "alice").put("browser", "http")
            .put("steps", new JsonArray().add(new JsonObject().put("op", "callTool").put("name", "echo").put("arguments", new JsonObject().put("message", "hi"))));
        JsonObject report = NodeAgent.runReport("oauth-agent.mjs", strictBase + "/mcp/acme/everything", options.encode());
        assertTrue(report.getString("error") == null, report.encode());
        assertEquals("alice@example.com", report.getJsonObject("token_claims").getString("email"), report.encode());
        assertEquals(new JsonArray().add("eng"), report.getJsonObject("token_claims").getJsonArray("groups"), "the group policy admits her");
        assertTrue(report.getJsonArray("steps").getJsonObject(0).getBoolean("ok"), report.encode());
        assertEquals(1, result(web.getAbs("http://127.0.0.1:" + strict.port() + "/stats").send()).bodyAsJsonObject().getInteger("userinfo_requests"));
      } finally {
        result(strictGateway.stop());
      }
    }
  }
}
