package dev.mcpgateway.upstream.oauth;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.MovableClock;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token lifecycle against a full authorization server ({@code oidc-provider} from npm, in
 * {@code test-peers/oauth-server.mjs}, with a protected MCP server on the same port): a
 * pre-registered confidential client, dynamic registration, refresh ahead of expiry with rotating
 * refresh tokens (concurrent refreshes must coalesce: reusing a rotated refresh token revokes the
 * whole grant there), the authorization server down (retryable, nothing marked), a refused refresh
 * (stale, not retryable, reconnect works), client_credentials, {@code iss} checks, an
 * authorization server without S256. The gateway's clock is moved to expire tokens. Every
 * response, log line and metric is checked for the tokens the upstream received.
 */
class OAuthLifecycleTest {
  static final String CALLBACK = "http://localhost/oauth/callback";
  /** Where servers with is_shared_oauth_callback_enabled send browsers back (in production: a shared host routing to /oauth/callback). */
  static final String SHARED_CALLBACK = "http://callback.localhost/oauth/callback";
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  NodePeer as;
  int asPort;
  String issuer;
  WebClient web;
  /** Agents with a connection each, so concurrent agents really are concurrent. */
  WebClient agents;
  final MovableClock clock = new MovableClock();
  final List<String> seen = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      seen.add(String.valueOf(record.getMessage()) + " " + record.getThrown());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() throws IOException {
    Logger.getLogger("").addHandler(capture);
    Logger.getLogger("dev.mcpgateway").setLevel(Level.ALL);
    asPort = GatewayProcess.freePort();
    as = startAuthorizationServer();
    issuer = "http://localhost:" + asPort;
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("oauth", new JsonObject().put("refresh_ahead_ms", 60_000).put("shared_callback_url", SHARED_CALLBACK));
    gw = result(TestGateway.start(vertx, config, dataDir, null, clock));
    web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    agents = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gw.gateway.port()),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(20));
  }

  NodePeer startAuthorizationServer() {
    return NodePeer.start("oauth-server.mjs", Map.of("PORT", Integer.toString(asPort), "REDIRECT_URI", CALLBACK));
  }

  @AfterEach
  void stop() {
    web.close();
    agents.close();
    result(gw.stop());
    result(vertx.close());
    as.close();
    Logger.getLogger("").removeHandler(capture);
    Logger.getLogger("dev.mcpgateway").setLevel(null);
  }

  @Test
  void preRegisteredClientRefreshesAheadOfExpiryOnceForManyCallers() {
    create("jira", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret"));
    connect("jira");
    JsonObject read = read("jira");
    assertEquals("connected", read.getString("authentication_status"));
    assertEquals("manual", read.getJsonObject("auth_config_summary").getString("auth_mode"));
    assertEquals("client_secret_basic", read.getJsonObject("auth_config_summary").getJsonObject("registration_info")
        .getString("token_endpoint_auth_method"));
    assertTrue(read.getJsonObject("auth_config_summary").getBoolean("has_client_secret"));
    assertEquals("ready", sync("jira").getString("status"));
    assertEquals(1, stats().getJsonArray("mcp_tokens").size());

    // an hour later the token is due: ten agents at once cause one refresh (the refresh token rotates)
    clock.advance(Duration.ofHours(1));
    List<Future<HttpResponse<Buffer>>> agents = IntStream.range(0, 10).mapToObj(i -> initialize("jira")).toList();
    for (Future<HttpResponse<Buffer>> agent : agents) {
      assertNotNull(result(agent).bodyAsJsonObject().getJsonObject("result"), "initialize through the gateway: " + result(agent).bodyAsString());
    }
    JsonObject stats = stats();
    assertEquals(1, stats.getJsonObject("token_requests").getInteger("refresh_token", 0), stats.encode());
    assertEquals(2, stats.getJsonArray("mcp_tokens").size(), "the upstream now sees the refreshed token");
    assertEquals("ready", sync("jira").getString("status"));
    assertEquals("connected", read("jira").getString("authentication_status"));
    dev.mcpgateway.support.PrometheusText metrics = dev.mcpgateway.support.PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString());
    assertEquals(1.0, metrics.value("mcp_gateway_oauth_token_requests_total", Map.of("grant", "refresh_token", "outcome", "ok")));
    assertEquals(1.0, metrics.value("mcp_gateway_oauth_token_requests_total", Map.of("grant", "authorization_code", "outcome", "ok")));
    assertNoTokenLeaked();
  }

  @Test
  void authorizationServerDownIsRetryableAndARefusedRefreshMakesTheConnectionStale() {
    create("jira", new JsonObject().put("client_id", "post-client").put("client_secret", "post-secret"));
    connect("jira");
    clock.advance(Duration.ofHours(2));
    as.close(); // the authorization server (and the upstream with it) is gone

    JsonObject down = sync("jira");
    assertEquals("error", down.getString("status"));
    assertTrue(down.getJsonObject("error_details").getBoolean("retryable"), down.encode());
    assertEquals("connected", read("jira").getString("authentication_status"), "an unreachable server proves nothing against the tokens");

    as = startAuthorizationServer(); // back, but it has forgotten every grant: the refresh is refused
    JsonObject refused = sync("jira");
    assertEquals("error", refused.getString("status"));
    assertFalse(refused.getJsonObject("error_details").getBoolean("retryable"), refused.encode());
    assertTrue(refused.getJsonObject("error_details").getString("cause").contains("/oauth/connect/acme/jira"), refused.encode());
    JsonObject stale = read("jira");
    assertEquals("stale", stale.getString("authentication_status"));
    assertNotNull(stale.getString("authentication_error"));
    dev.mcpgateway.support.PrometheusText metrics = dev.mcpgateway.support.PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString());
    assertEquals(1.0, metrics.value("mcp_gateway_oauth_token_requests_total", Map.of("grant", "refresh_token", "outcome", "unreachable")));
    assertEquals(1.0, metrics.value("mcp_gateway_oauth_token_requests_total", Map.of("grant", "refresh_token", "outcome", "refused")));

    // agents get a clear JSON-RPC error, not a hang
    HttpResponse<Buffer> agent = result(initialize("jira"));
    assertTrue(agent.bodyAsString().contains("/oauth/connect/acme/jira"), agent.bodyAsString());

    connect("jira"); // the admin authorizes again
    assertEquals("connected", read("jira").getString("authentication_status"));
    assertEquals("ready", sync("jira").getString("status"));
    assertNoTokenLeaked();
  }

  @Test
  void deletingTheServerOrChangingItsAuthTypeRevokesItsTokens() {
    create("jira", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret"));
    connect("jira");
    assertEquals("ready", sync("jira").getString("status"));
    String token = stats().getJsonArray("mcp_tokens").getString(0);
    assertTrue(upstreamAccepts(token));
    assertEquals(200, result(admin(gw.client.delete(TestGateway.servers("acme") + "/jira")).send()).statusCode());
    awaitRejected(token);

    create("wiki", new JsonObject().put("client_id", "post-client").put("client_secret", "post-secret"));
    connect("wiki");
    assertEquals("ready", sync("wiki").getString("status"));
    JsonArray tokens = stats().getJsonArray("mcp_tokens");
    String wikiToken = tokens.getString(tokens.size() - 1);
    HttpResponse<Buffer> changed = result(admin(gw.client.put(TestGateway.servers("acme") + "/wiki"))
        .sendJsonObject(new JsonObject().put("auth_type", "unauthenticated")));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertFalse(changed.bodyAsJsonObject().getJsonObject("result").containsKey("authentication_status"));
    awaitRejected(wikiToken);
  }

  boolean upstreamAccepts(String token) {
    return result(web.postAbs(issuer + "/mcp").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list"))).statusCode() == 200;
  }

  /** Revocation runs after the admin's change is answered: wait (bounded) until the upstream refuses the token. */
  void awaitRejected(String token) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (upstreamAccepts(token)) {
      if (System.nanoTime() > deadline) throw new AssertionError("the token was not revoked");
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Test
  void dynamicRegistrationWhenNoClientIsConfigured() {
    create("linear", null);
    connect("linear");
    JsonObject read = read("linear");
    assertEquals("dcr", read.getJsonObject("auth_config_summary").getString("auth_mode"));
    assertEquals(issuer, read.getJsonObject("auth_config_summary").getJsonObject("config").getString("issuer"));
    assertEquals("ready", sync("linear").getString("status"));
    // a second connect reuses the registration
    String clientId = read.getJsonObject("auth_config_summary").getJsonObject("registration_info").getString("client_id");
    connect("linear");
    assertEquals(clientId, read("linear").getJsonObject("auth_config_summary").getJsonObject("registration_info").getString("client_id"));
    assertNoTokenLeaked();
  }

  @Test
  void clientCredentialsNeedNoAdminConnection() {
    create("m2m", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret").put("grant_type", "client_credentials"));
    assertEquals("ready", sync("m2m").getString("status"), read("m2m").encode());
    assertEquals(1, stats().getJsonObject("token_requests").getInteger("client_credentials", 0));
    assertEquals("connected", read("m2m").getString("authentication_status"));
    HttpResponse<Buffer> connect = result(admin(gw.client.get("/oauth/connect/acme/m2m")).send());
    assertEquals(400, connect.statusCode());
    assertEquals(1301, connect.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    clock.advance(Duration.ofHours(2));
    assertEquals("ready", sync("m2m").getString("status"));
    assertEquals(2, stats().getJsonObject("token_requests").getInteger("client_credentials", 0), "renewed when due");
    assertNoTokenLeaked();
  }

  @Test
  void aCallbackWithAnotherIssuerOrAnErrorStoresNothing() {
    create("jira", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret"));
    String callback = authorize(beginConnect("jira"));
    String forged = callback.replaceAll("iss=[^&]*", "iss=" + java.net.URLEncoder.encode("https://evil.example", java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(forged.contains("iss=https"), forged);
    HttpResponse<Buffer> refused = result(gw.client.get(forged).send());
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("RFC 9207"));
    assertEquals("required", read("jira").getString("authentication_status"));
    // the authorization server says no
    String state = OAuthSdkServerTest.query(beginConnect("jira")).get("state");
    HttpResponse<Buffer> denied = result(gw.client.get(OAuthSettings.CALLBACK_PATH + "?error=access_denied&state=" + state).send());
    assertEquals(400, denied.statusCode());
    assertTrue(denied.bodyAsString().contains("access_denied"));
    assertEquals("required", read("jira").getString("authentication_status"));
  }

  @Test
  void anAuthorizationOlderThanItsTtlIsRefused() {
    create("jira", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret"));
    String callback = authorize(beginConnect("jira"));
    clock.advance(Duration.ofMinutes(11)); // oauth.authorization_ttl_ms defaults to 10 minutes
    HttpResponse<Buffer> late = result(gw.client.get(callback).send());
    assertEquals(400, late.statusCode(), late.bodyAsString());
    assertTrue(late.bodyAsString().contains("expired"), late.bodyAsString());
    assertEquals("required", read("jira").getString("authentication_status"));
  }

  @Test
  void theSharedCallbackIsTheRedirectUriOfServersThatAskForIt() {
    HttpResponse<Buffer> created = result(admin(gw.client.post(TestGateway.servers("acme"))).sendJsonObject(new JsonObject()
        .put("id", "shared").put("name", "shared").put("hostname", issuer + "/mcp").put("auth_type", "oauth")
        .put("is_shared_oauth_callback_enabled", true)));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    URI authorize = beginConnect("shared");
    assertEquals(SHARED_CALLBACK, OAuthSdkServerTest.query(authorize).get("redirect_uri"));
    String callback = authorize(authorize, SHARED_CALLBACK); // the shared host hands the browser to the same handler
    assertEquals(200, result(gw.client.get(callback).send()).statusCode());
    assertEquals(SHARED_CALLBACK, read("shared").getJsonObject("auth_config_summary").getJsonObject("registration_info")
        .getJsonArray("redirect_uris").getString(0));
    assertEquals("ready", sync("shared").getString("status"));
    create("plain", null);
    assertEquals(CALLBACK, OAuthSdkServerTest.query(beginConnect("plain")).get("redirect_uri"), "the others keep the gateway's own");
  }

  @Test
  void anAuthorizationServerWithoutS256IsRefused() {
    FakeUpstream fake = result(FakeUpstream.start(vertx, request -> {
      String path = request.path();
      String origin = "http://127.0.0.1:" + request.localAddress().port();
      if (path.equals("/mcp")) {
        request.response().setStatusCode(401).putHeader("WWW-Authenticate",
            "Bearer resource_metadata=\"" + origin + "/.well-known/oauth-protected-resource/mcp\"").end();
      } else if (path.equals("/.well-known/oauth-protected-resource/mcp")) {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("resource", origin + "/mcp")
            .put("authorization_servers", new JsonArray().add(origin)).encode());
      } else if (path.equals("/.well-known/oauth-authorization-server")) {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("issuer", origin)
            .put("authorization_endpoint", origin + "/authorize").put("token_endpoint", origin + "/token")
            .put("registration_endpoint", origin + "/register").encode()); // no code_challenge_methods_supported
      } else {
        request.response().setStatusCode(404).end();
      }
    }));
    try {
      HttpResponse<Buffer> created = result(admin(gw.client.post(TestGateway.servers("acme"))).sendJsonObject(new JsonObject()
          .put("id", "nopkce").put("name", "n").put("hostname", fake.url()).put("auth_type", "oauth")));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      HttpResponse<Buffer> connect = result(admin(gw.client.get("/oauth/connect/acme/nopkce")).send());
      assertEquals(502, connect.statusCode());
      assertTrue(connect.bodyAsString().contains("S256"), connect.bodyAsString());
      assertEquals("required", read("nopkce").getString("authentication_status"));
    } finally {
      result(fake.stop());
    }
  }

  // ------------------------------------------------------------------ helpers

  void create(String id, JsonObject credentials) {
    JsonObject body = new JsonObject().put("id", id).put("name", id).put("hostname", issuer + "/mcp").put("auth_type", "oauth");
    if (credentials != null) body.put("auth_credentials", credentials.encode());
    HttpResponse<Buffer> created = result(admin(gw.client.post(TestGateway.servers("acme"))).sendJsonObject(body));
    assertEquals(200, created.statusCode(), created.bodyAsString());
  }

  URI beginConnect(String id) {
    HttpResponse<Buffer> connect = result(admin(gw.client.get("/oauth/connect/acme/" + id)).send());
    assertEquals(302, connect.statusCode(), connect.bodyAsString());
    return URI.create(connect.getHeader("Location"));
  }

  /** The admin's browser: follows the authorization server's redirects (keeping its cookies) until it is sent to the gateway. */
  String authorize(URI start) {
    return authorize(start, CALLBACK);
  }

  String authorize(URI start, String callbackUrl) {
    WebClientSession browser = WebClientSession.create(web);
    URI at = start;
    for (int hop = 0; hop < 10; hop++) {
      HttpResponse<Buffer> answer = result(browser.getAbs(at.toString()).send());
      String location = answer.getHeader("Location");
      assertNotNull(location, "hop " + hop + " at " + at.getPath() + ": HTTP " + answer.statusCode() + " " + answer.bodyAsString());
      URI next = at.resolve(location);
      if (next.toString().startsWith(callbackUrl)) return next.getRawPath() + "?" + next.getRawQuery();
      at = next;
    }
    throw new AssertionError("no way back to the gateway");
  }

  void connect(String id) {
    String callback = authorize(beginConnect(id));
    assertTrue(callback.contains("iss="), "oidc-provider sends iss (RFC 9207)");
    HttpResponse<Buffer> done = result(gw.client.get(callback).send());
    assertEquals(200, done.statusCode(), done.bodyAsString());
  }

  Future<HttpResponse<Buffer>> initialize(String id) {
    return agents.post(TestGateway.mcp("acme", id)).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
            .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
                .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))));
  }

  JsonObject read(String id) {
    return result(admin(gw.client.get(TestGateway.servers("acme") + "/" + id)).send()).bodyAsJsonObject().getJsonObject("result");
  }

  JsonObject sync(String id) {
    return result(admin(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")).send()).bodyAsJsonObject().getJsonObject("result");
  }

  JsonObject stats() {
    return result(web.getAbs(issuer + "/stats").send()).bodyAsJsonObject();
  }

  /** The tokens the upstream received appear in no response, log line, metric or audit entry of the gateway. */
  void assertNoTokenLeaked() {
    JsonArray tokens = stats().getJsonArray("mcp_tokens");
    StringBuilder everything = new StringBuilder();
    everything.append(result(admin(gw.client.get(TestGateway.servers("acme"))).send()).bodyAsString());
    everything.append(result(admin(gw.client.get("/accounts/acme/access/ai-controls/mcp/audit?per_page=100")).send()).bodyAsString());
    everything.append(result(gw.client.get("/metrics").send()).bodyAsString());
    seen.forEach(everything::append);
    for (Object token : tokens) {
      assertFalse(everything.toString().contains((String) token), "an upstream access token leaked");
    }
    assertFalse(everything.toString().contains("conf-secret") || everything.toString().contains("post-secret"), "a client secret leaked");
  }

  static <T> HttpRequest<T> admin(HttpRequest<T> request) {
    return request.putHeader("Authorization", "Bearer " + TestGateway.ADMIN).followRedirects(false);
  }
}
