package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OAuth-protected member behind portals, against a real authorization server and MCP server
 * ({@code oauth-server.mjs}): with {@code on_behalf: true} a user without a connection is asked to
 * authorize (MCP's URL-mode elicitation error, per server) and then calls as themself; with
 * {@code on_behalf: false} every user's calls carry the server's admin credential — whatever the
 * server's own endpoint does. The switches page and {@code portal_toggle_single_server} point a user
 * without a connection to the same authorization link.
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

  @Test
  void theSwitchesPageOffersConnectUntilTheUserHasAConnectionAndToggleOnPointsThere() {
    // switched back on, an on-behalf member the user has not connected says where to connect it
    assertEquals(false, builtIn("mine", TestGateway.ACME_AGENT, "portal_toggle_single_server",
        new JsonObject().put("server_id", "team").put("action", "untoggle")).getJsonObject("structuredContent").getBoolean("enabled"));
    JsonObject on = builtIn("mine", TestGateway.ACME_AGENT, "portal_toggle_single_server",
        new JsonObject().put("server_id", "team").put("action", "toggle")).getJsonObject("structuredContent");
    assertTrue(on.getString("authorization_url", "").contains("/oauth/user/acme/team?ticket="), on.encode());

    URI page = URI.create(builtIn("mine", TestGateway.ACME_AGENT, "portal_toggle_servers", new JsonObject())
        .getJsonObject("structuredContent").getString("url"));
    String html = result(gw.client.get(page.getRawPath() + "?" + page.getRawQuery()).send()).bodyAsString();
    Matcher connect = Pattern.compile("<a class=\"connect\" rel=\"noreferrer\" href=\"([^\"]+)\">Connect</a>").matcher(html);
    assertTrue(connect.find(), html);
    String link = connect.group(1).replace("&amp;", "&");
    assertTrue(link.contains("/oauth/user/acme/team?ticket="), link);
    browser().authorizeAs(link, "carol");
    assertFalse(result(gw.client.get(page.getRawPath() + "?" + page.getRawQuery()).send()).bodyAsString().contains("class=\"connect\""),
        "connected: no link");
    assertEquals("carol", text(whoami("mine", TestGateway.ACME_AGENT)));

    // a member that uses the admin's credential in this portal never asks the user
    URI shared = URI.create(builtIn("shared", TestGateway.AGENT, "portal_toggle_servers",
        new JsonObject()).getJsonObject("structuredContent").getString("url"));
    String sharedHtml = result(gw.client.get(shared.getRawPath() + "?" + shared.getRawQuery()).send()).bodyAsString();
    assertTrue(sharedHtml.contains("data-server=\"team\"") && !sharedHtml.contains("class=\"connect\""), sharedHtml);
  }

  /** A stateless-era call of a built-in tool of portal {@code portal}: its result. */
  static JsonObject builtIn(String portal, String token, String name, JsonObject arguments) {
    JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call").put("params", new JsonObject()
        .put("name", name).put("arguments", arguments)
        .put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
            .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())));
    HttpResponse<Buffer> answer = result(gw.client.post("/mcp/acme/portals/" + portal).putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("MCP-Protocol-Version", "2026-07-28")
        .putHeader("Mcp-Method", "tools/call").putHeader("Mcp-Name", name).sendJsonObject(call));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertNotNull(answer.bodyAsJsonObject().getJsonObject("result"), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonObject("result");
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
