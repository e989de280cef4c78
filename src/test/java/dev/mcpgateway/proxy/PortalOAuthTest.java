package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.OAuthBrowser;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OAuth-protected member behind portals, against a real authorization server and MCP server
 * ({@code oauth-server.mjs}): with {@code on_behalf: true} a user without a connection is asked to
 * authorize (MCP's URL-mode elicitation error, per server) and then calls as themself; with
 * {@code on_behalf: false} every user's calls carry the server's admin credential — whatever the
 * server's own endpoint does.
 */
class PortalOAuthTest {
  static final String CALLBACK = "http://localhost/oauth/callback";
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer as;
  static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    int port = GatewayProcess.freePort();
    as = NodePeer.start("oauth-server.mjs", Map.of("PORT", Integer.toString(port), "REDIRECT_URI", CALLBACK));
    String issuer = "http://localhost:" + port;
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    // the server's own endpoint uses the admin's connection (not on behalf): the portals decide for themselves
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "team").put("name", "Team").put("hostname", issuer + "/mcp").put("auth_type", "oauth")
            .put("auth_credentials", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret").encode())));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    String adminCallback = browser().browse(URI.create(result(gw.client.get("/oauth/connect/acme/team")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).followRedirects(false).send()).getHeader("Location")), "admin-user");
    assertEquals(200, result(gw.client.get(adminCallback).send()).statusCode());
    assertEquals("ready", result(gw.client.post(TestGateway.servers("acme") + "/team/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .send()).bodyAsJsonObject().getJsonObject("result").getString("status"));
    Instant now = Instant.now();
    result(gw.gateway.stores().portals().create(new Portal("acme", "mine", "Each user", "mine.portal.test", null, CodeMode.OPT_IN, false,
        List.of(new PortalServer("team", false, true, List.of(), List.of())), now, "test", now, "test")));
    result(gw.gateway.stores().portals().create(new Portal("acme", "shared", "Shared", "shared.portal.test", null, CodeMode.OPT_IN, false,
        List.of(new PortalServer("team", false, false, List.of(), List.of())), now, "test", now, "test")));
  }

  @AfterAll
  static void stop() {
    web.close();
    result(gw.stop());
    result(vertx.close());
    as.close();
  }

  static OAuthBrowser browser() {
    return new OAuthBrowser(gw.client, web, CALLBACK);
  }

  @Test
  void onBehalfAsksEachUserToAuthorizeThenCallsAsThem() {
    JsonObject refused = whoami("mine", TestGateway.AGENT);
    JsonObject error = refused.getJsonObject("error");
    assertNotNull(error, refused.encode());
    assertEquals(-32042, error.getInteger("code"), refused.encode());
    String link = error.getJsonObject("data").getJsonArray("elicitations").getJsonObject(0).getString("url");
    browser().authorizeAs(link, "alice");
    assertEquals("alice", text(whoami("mine", TestGateway.AGENT)));
  }

  @Test
  void notOnBehalfEveryUserCallsWithTheAdminCredential() {
    assertEquals("admin-user", text(whoami("shared", TestGateway.ACME_AGENT)));
    assertEquals("admin-user", text(whoami("shared", TestGateway.AGENT)));
  }

  /** A stateless-era tools/call of the member's whoami through portal {@code portal}. */
  static JsonObject whoami(String portal, String token) {
    JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call").put("params", new JsonObject()
        .put("name", "team_whoami").put("arguments", new JsonObject())
        .put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
            .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())));
    HttpResponse<Buffer> answer = result(gw.client.post("/mcp/acme/portals/" + portal).putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28")
        .putHeader("Mcp-Method", "tools/call").putHeader("Mcp-Name", "team_whoami").sendJsonObject(call));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject();
  }

  static String text(JsonObject answer) {
    assertNotNull(answer.getJsonObject("result"), answer.encode());
    return answer.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text");
  }
}
