package dev.mcpgateway.upstream.oauth;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin connection against the official TypeScript SDK's example server with {@code --oauth}
 * (its demo authorization server: RFC 9728 and RFC 8414 metadata, dynamic client registration,
 * PKCE S256, an authorize endpoint that approves at once). The test plays the admin's browser: it
 * follows the gateway's redirect to the authorization server and carries the code back to the
 * gateway's callback. Then sync gets the tools with the token, and an agent (the SDK's client)
 * calls a tool through the gateway.
 */
class OAuthSdkServerTest {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  NodePeer upstream;
  WebClient browser;
  String mcpUrl;

  @BeforeEach
  void start() throws IOException {
    int[] ports = GatewayProcess.freePorts(2);
    int mcpPort = ports[0];
    int authPort = ports[1];
    upstream = NodePeer.start("oauth-sdk-server.mjs", Map.of("MCP_PORT", Integer.toString(mcpPort), "MCP_AUTH_PORT", Integer.toString(authPort),
        "STRICT", "1"));
    mcpUrl = "http://localhost:" + mcpPort + "/mcp";
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    browser = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    HttpResponse<Buffer> created = result(admin(gw.client.post(TestGateway.servers("acme")))
        .sendJsonObject(new JsonObject().put("id", "sdk").put("name", "SDK demo").put("hostname", mcpUrl).put("auth_type", "oauth")
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "greet").put("alias", "hello")))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
  }

  @AfterEach
  void stop() {
    browser.close();
    result(gw.stop());
    result(vertx.close());
    upstream.close();
  }

  @Test
  void adminConnectsThenSyncAndAgentsUseTheToken() throws Exception {
    JsonObject before = read();
    assertEquals("required", before.getString("authentication_status"));
    JsonObject failedSync = sync();
    assertEquals("error", failedSync.getString("status"));
    assertTrue(failedSync.getJsonObject("error_details").getString("cause").contains("/oauth/connect/acme/sdk"),
        "a sync before the connection says where to authorize: " + failedSync.encode());

    // the admin opens the connect URL: 302 to the authorization server, with PKCE S256, state and resource
    HttpResponse<Buffer> connect = result(admin(gw.client.get("/oauth/connect/acme/sdk")).send());
    assertEquals(302, connect.statusCode(), connect.bodyAsString());
    URI authorize = URI.create(connect.getHeader("Location"));
    MultiMap query = query(authorize);
    assertEquals("S256", query.get("code_challenge_method"));
    assertEquals(mcpUrl, query.get("resource"));
    assertEquals("code", query.get("response_type"));
    assertNotNull(query.get("state"));
    assertEquals("mcp:tools", query.get("scope"), "the scope the protected resource metadata lists");

    // the browser: the demo server approves at once and sends it back with a code
    String callback = approve(authorize);
    HttpResponse<Buffer> done = result(gw.client.get(callback).send());
    assertEquals(200, done.statusCode(), done.bodyAsString());
    assertEquals("connected", done.bodyAsJsonObject().getJsonObject("result").getString("authentication_status"));

    JsonObject connected = read();
    assertEquals("connected", connected.getString("authentication_status"));
    JsonObject summary = connected.getJsonObject("auth_config_summary");
    assertEquals("dcr", summary.getString("auth_mode"));
    assertNotNull(summary.getJsonObject("registration_info").getString("client_id"));
    assertEquals(mcpUrl, summary.getJsonObject("config").getString("resource"));
    assertFalse(connected.encode().contains("access_token") || connected.encode().contains("verifier"), connected.encode());

    // the same callback again: the state was single-use
    HttpResponse<Buffer> replay = result(gw.client.get(callback).send());
    assertEquals(400, replay.statusCode());
    assertEquals(1302, replay.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));

    JsonObject synced = sync();
    assertEquals("ready", synced.getString("status"), synced.encode());
    assertTrue(read().getJsonArray("tools").stream().map(JsonObject.class::cast).anyMatch(t -> t.getString("name").equals("greet")));

    JsonObject report = NodeAgent.run(gw.mcpUrl("acme", "sdk"), TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "hello").put("arguments", new JsonObject().put("name", "gateway"))));
    assertTrue(NodeAgent.step(report, 0).encode().contains("\"hello\""), report.encode());
    assertTrue(NodeAgent.step(report, 1).encode().contains("Hello, gateway!"), report.encode());

    // nothing secret in the store's view of the world but ciphertext
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file);
        assertFalse(text.contains("\"access_token\"") || text.contains("\"refresh_token\""), file + " holds a token in clear");
      }
    }
  }

  @Test
  void aStateIsBoundToItsAuthorizationAndAReplacedOneFails() throws Exception {
    URI first = connect();
    String firstCallback = approve(first);
    // a second connect replaces the pending authorization (a new verifier, a new state)
    URI second = connect();
    HttpResponse<Buffer> stale = result(gw.client.get(firstCallback).send());
    assertEquals(400, stale.statusCode(), stale.bodyAsString());
    assertEquals(1302, stale.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    // the first code with the second state: the verifier does not match the code's challenge (PKCE)
    String secondState = query(second).get("state");
    String mixed = OAuthSettings.CALLBACK_PATH + "?code=" + query(URI.create("http://x" + firstCallback)).get("code") + "&state=" + secondState;
    HttpResponse<Buffer> mismatch = result(gw.client.get(mixed).send());
    assertTrue(mismatch.statusCode() == 502 || mismatch.statusCode() == 400, mismatch.bodyAsString());
    assertEquals("required", read().getString("authentication_status"), "nothing stored");
    // a forged state
    HttpResponse<Buffer> forged = result(gw.client.get(OAuthSettings.CALLBACK_PATH + "?code=x&state=v1.forged").send());
    assertEquals(400, forged.statusCode());
    assertEquals(1302, forged.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    // connect needs an API token for the account
    assertEquals(401, result(gw.client.get("/oauth/connect/acme/sdk").send()).statusCode());
    assertEquals(404, result(admin(gw.client.get("/oauth/connect/acme/nope")).send()).statusCode());
  }

  URI connect() {
    HttpResponse<Buffer> connect = result(admin(gw.client.get("/oauth/connect/acme/sdk")).send());
    assertEquals(302, connect.statusCode(), connect.bodyAsString());
    return URI.create(connect.getHeader("Location"));
  }

  /** The browser at the authorization server: follows its redirect and answers the gateway-relative callback path. */
  String approve(URI authorize) {
    HttpResponse<Buffer> approved = result(browser.getAbs(authorize.toString()).send());
    assertEquals(302, approved.statusCode(), approved.bodyAsString());
    URI back = URI.create(approved.getHeader("Location"));
    assertEquals(OAuthSettings.CALLBACK_PATH, back.getPath());
    return back.getRawPath() + "?" + back.getRawQuery();
  }

  static MultiMap query(URI uri) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.add(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return params;
  }

  JsonObject read() {
    return result(admin(gw.client.get(TestGateway.servers("acme") + "/sdk")).send()).bodyAsJsonObject().getJsonObject("result");
  }

  JsonObject sync() {
    return result(admin(gw.client.post(TestGateway.servers("acme") + "/sdk/sync")).send()).bodyAsJsonObject().getJsonObject("result");
  }

  static <T> io.vertx.ext.web.client.HttpRequest<T> admin(io.vertx.ext.web.client.HttpRequest<T> request) {
    return request.putHeader("Authorization", "Bearer " + TestGateway.ADMIN).followRedirects(false);
  }
}
