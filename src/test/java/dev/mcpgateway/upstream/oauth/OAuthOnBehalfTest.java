package dev.mcpgateway.upstream.oauth;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.OAuthBrowser;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On behalf of users ({@code oauth_on_behalf}), against oidc-provider with its protected MCP
 * server: an agent whose user has no upstream token gets MCP's URL-mode elicitation error
 * ({@code -32042}) naming a gateway URL; the user opens it, authorizes at the authorization server
 * as themself, and from then on that user's calls carry that user's token: two users, each seen
 * upstream as themself, neither ever with the other's token. Sync keeps using the admin connection.
 */
class OAuthOnBehalfTest {
  static final String CALLBACK = "http://localhost/oauth/callback";
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  NodePeer as;
  String issuer;
  WebClient web;

  @BeforeEach
  void start() throws IOException {
    int port = GatewayProcess.freePort();
    as = NodePeer.start("oauth-server.mjs", Map.of("PORT", Integer.toString(port), "REDIRECT_URI", CALLBACK));
    issuer = "http://localhost:" + port;
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    HttpResponse<Buffer> created = result(admin(gw.client.post(TestGateway.servers("acme"))).sendJsonObject(new JsonObject()
        .put("id", "team").put("name", "Team").put("hostname", issuer + "/mcp").put("auth_type", "oauth").put("oauth_on_behalf", true)
        .put("auth_credentials", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret").encode())));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals(true, created.bodyAsJsonObject().getJsonObject("result").getBoolean("oauth_on_behalf"));
  }

  @AfterEach
  void stop() {
    web.close();
    result(gw.stop());
    result(vertx.close());
    as.close();
  }

  @Test
  void eachUserAuthorizesOnceAndOnlyTheirOwnTokenIsUsed() {
    // the admin connection serves sync
    String adminCallback = browse(URI.create(result(admin(gw.client.get("/oauth/connect/acme/team")).send()).getHeader("Location")), "admin-user");
    assertEquals(200, result(gw.client.get(adminCallback).send()).statusCode());
    assertEquals("ready", result(admin(gw.client.post(TestGateway.servers("acme") + "/team/sync")).send())
        .bodyAsJsonObject().getJsonObject("result").getString("status"));

    // alice's agent has no token of hers yet: URL-mode elicitation error naming where to authorize
    JsonObject refused = initialize(TestGateway.AGENT).bodyAsJsonObject();
    JsonObject error = refused.getJsonObject("error");
    assertNotNull(error, refused.encode());
    assertEquals(-32042, error.getInteger("code"));
    JsonObject elicitation = error.getJsonObject("data").getJsonArray("elicitations").getJsonObject(0);
    assertEquals("url", elicitation.getString("mode"));
    String link = elicitation.getString("url");
    assertTrue(error.getString("message").contains(link), "older agents read the URL in the message");
    // a link works once; a callback must come back to the browser that opened the link
    String other = initialize(TestGateway.AGENT).bodyAsJsonObject().getJsonObject("error").getJsonObject("data")
        .getJsonArray("elicitations").getJsonObject(0).getString("url");
    HttpResponse<Buffer> otherBrowser = authorizeAs(other, "mallory", false);
    assertEquals(400, otherBrowser.statusCode(), otherBrowser.bodyAsString());
    assertTrue(otherBrowser.bodyAsString().contains("another browser"), otherBrowser.bodyAsString());
    URI spent = URI.create(other);
    HttpResponse<Buffer> again = result(gw.client.get(spent.getRawPath() + "?" + spent.getRawQuery()).followRedirects(false).send());
    assertEquals(400, again.statusCode(), again.bodyAsString());
    assertTrue(again.bodyAsString().contains("used already"));
    URI older = URI.create(link);
    assertEquals(400, result(gw.client.get(older.getRawPath() + "?" + older.getRawQuery()).followRedirects(false).send()).statusCode(),
        "using a newer link spends the older ones");
    JsonObject again2 = initialize(TestGateway.AGENT).bodyAsJsonObject().getJsonObject("error");
    assertEquals(-32042, again2.getInteger("code"), "nothing stored");
    link = again2.getJsonObject("data").getJsonArray("elicitations").getJsonObject(0).getString("url");
    authorizeAs(link, "alice");
    assertEquals("alice", whoami(TestGateway.AGENT));

    // bob is another client token: alice's token is never his
    String bobLink = initialize(TestGateway.ACME_AGENT).bodyAsJsonObject().getJsonObject("error").getJsonObject("data")
        .getJsonArray("elicitations").getJsonObject(0).getString("url");
    assertFalse(bobLink.equals(link));
    authorizeAs(bobLink, "bob");
    assertEquals("bob", whoami(TestGateway.ACME_AGENT));
    assertEquals("alice", whoami(TestGateway.AGENT));
    // the upstream saw three distinct tokens: the admin's, alice's and bob's
    assertTrue(result(web.getAbs(issuer + "/stats").send()).bodyAsJsonObject().getJsonArray("mcp_tokens").size() >= 3);

    // a link is bound to its server: a forged or foreign one starts nothing
    HttpResponse<Buffer> forged = result(gw.client.get("/oauth/user/acme/team?ticket=v1.forged").send());
    assertEquals(400, forged.statusCode());
    assertEquals(1302, forged.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    URI aliceLink = URI.create(link);
    HttpResponse<Buffer> elsewhere = result(gw.client.get(aliceLink.getRawPath().replace("/team", "/other") + "?" + aliceLink.getRawQuery()).send());
    assertEquals(400, elsewhere.statusCode());

    // deleting the server revokes the users' tokens too
    JsonObject stats = result(web.getAbs(issuer + "/stats").send()).bodyAsJsonObject();
    String aliceToken = stats.getJsonArray("mcp_tokens").getString(1);
    assertEquals(200, result(admin(gw.client.delete(TestGateway.servers("acme") + "/team")).send()).statusCode());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (result(web.postAbs(issuer + "/mcp").putHeader("Authorization", "Bearer " + aliceToken)
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"))).statusCode() != 401) {
      assertTrue(System.nanoTime() < deadline, "alice's token was not revoked");
    }
  }

  void authorizeAs(String link, String user) {
    browser().authorizeAs(link, user);
  }

  HttpResponse<Buffer> authorizeAs(String link, String user, boolean sameBrowser) {
    return browser().authorizeAs(link, user, sameBrowser);
  }

  String browse(URI start, String user) {
    return browser().browse(start, user);
  }

  OAuthBrowser browser() {
    return new OAuthBrowser(gw.client, web, CALLBACK);
  }

  HttpResponse<Buffer> initialize(String agentToken) {
    return result(gw.client.post(TestGateway.mcp("acme", "team")).putHeader("Authorization", "Bearer " + agentToken)
        .putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
            .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
                .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
  }

  /** Opens a session as the agent and calls the upstream's whoami tool: the user the upstream saw. */
  String whoami(String agentToken) {
    HttpResponse<Buffer> init = initialize(agentToken);
    String session = init.getHeader("Mcp-Session-Id");
    assertNotNull(session, init.bodyAsString());
    HttpResponse<Buffer> call = result(gw.client.post(TestGateway.mcp("acme", "team")).putHeader("Authorization", "Bearer " + agentToken)
        .putHeader("Accept", "application/json, text/event-stream").putHeader("Mcp-Session-Id", session)
        .putHeader("MCP-Protocol-Version", "2025-11-25")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call")
            .put("params", new JsonObject().put("name", "whoami").put("arguments", new JsonObject()))));
    JsonObject answer = call.bodyAsJsonObject();
    assertNotNull(answer.getJsonObject("result"), answer.encode());
    return answer.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text");
  }

  static <T> HttpRequest<T> admin(HttpRequest<T> request) {
    return request.putHeader("Authorization", "Bearer " + TestGateway.ADMIN).followRedirects(false);
  }
}
