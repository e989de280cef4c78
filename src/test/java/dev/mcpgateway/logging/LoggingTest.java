package dev.mcpgateway.logging;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.AuthServerClient;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Plants secrets, drives traffic (good and bad), and greps every log line and response for them:
 * upstream credentials, API and client tokens, session ids, the secret key, and service tokens'
 * secrets (the created and the rotated one, used right and wrong on the MCP endpoint).
 */
class LoggingTest {
  static final String UPSTREAM_SECRET = "sk-upstream-PLANTED-77c1";
  /** What a misconfigured agent might send as its CF-Access-Client-Secret (or paste into a body): never echoed, never logged. */
  static final String PLANTED_CF_SECRET = "cf-secret-PLANTED-5b0e9d";
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  FakeUpstream upstream;
  final List<String> lines = new CopyOnWriteArrayList<>();
  final List<String> responses = new ArrayList<>();
  final JsonLogFormatter formatter = new JsonLogFormatter();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(formatter.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() {
    Logger.getLogger("").addHandler(capture);
    Logger.getLogger(AccessLog.LOGGER_NAME).setLevel(Level.INFO);
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    upstream = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "echo")), 0)));
  }

  @AfterEach
  void stop() {
    result(upstream.stop());
    result(gw.stop());
    result(vertx.close());
    Logger.getLogger("").removeHandler(capture);
  }

  String record(HttpResponse<Buffer> response) {
    responses.add(response.bodyAsString() + " " + response.headers());
    return response.bodyAsString();
  }

  HttpRequest<Buffer> mcp(String session) {
    HttpRequest<Buffer> request = gw.client.request(HttpMethod.POST, TestGateway.mcp("acme", "srv"))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }

  HttpRequest<Buffer> serviceToken(String clientId, String secret) {
    return gw.client.request(HttpMethod.POST, TestGateway.mcp("acme", "srv")).putHeader("Accept", "application/json, text/event-stream")
        .putHeader("CF-Access-Client-Id", clientId).putHeader("CF-Access-Client-Secret", secret);
  }

  static JsonObject initialize() {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")));
  }

  @Test
  void plantedSecretsAppearInNoLogLineAndNoResponse() {
    String admin = "Bearer " + TestGateway.ADMIN;
    record(result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("id", "srv").put("name", "srv").put("hostname", upstream.url()).put("auth_type", "bearer").put("auth_credentials", UPSTREAM_SECRET)
        .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "say"))))));
    record(result(gw.client.post(TestGateway.servers("acme") + "/srv/sync").putHeader("Authorization", admin).send()));
    // failures too: a bad body echoing the secret, a wrong token, a sync against a refusing upstream
    record(result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("id", "bad id").put("auth_type", "unauthenticated").put("auth_credentials", UPSTREAM_SECRET + " x"))));
    record(result(gw.client.get(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + UPSTREAM_SECRET).send()));
    record(result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("id", "down").put("name", "down").put("hostname", "http://127.0.0.1:1/mcp").put("auth_type", "bearer")
        .put("auth_credentials", UPSTREAM_SECRET))));
    record(result(gw.client.post(TestGateway.servers("acme") + "/down/sync").putHeader("Authorization", admin).send()));

    HttpResponse<Buffer> init = result(mcp(null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    record(init);
    String session = init.getHeader("Mcp-Session-Id");
    record(result(mcp(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "say").put("arguments", new JsonObject())))));
    record(result(mcp(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 3).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "echo")))));

    // service tokens: the secret is in the create's and the rotate's answer only (not recorded here: they must show it)
    String tokens = "/accounts/acme/access/service_tokens";
    JsonObject token = result(gw.client.post(tokens).putHeader("Authorization", admin).sendJsonObject(new JsonObject().put("name", "bot")))
        .bodyAsJsonObject().getJsonObject("result");
    String clientId = token.getString("client_id");
    String first = token.getString("client_secret");
    // Cloudflare's Service Auth: a service token reaches what a non_identity policy gives it
    record(result(gw.client.post("/accounts/acme/access/policies").putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("name", "service auth").put("decision", "non_identity")
        .put("include", new JsonArray().add(new JsonObject().put("any_valid_service_token", new JsonObject())))
        .put("servers", new JsonArray().add("*")))));
    HttpResponse<Buffer> used = result(serviceToken(clientId, first).sendJsonObject(initialize()));
    assertEquals(200, used.statusCode(), record(used));
    HttpResponse<Buffer> wrong = result(serviceToken(clientId, PLANTED_CF_SECRET).sendJsonObject(initialize()));
    assertEquals(401, wrong.statusCode(), record(wrong));
    record(result(serviceToken("0".repeat(32) + ".access", PLANTED_CF_SECRET).sendJsonObject(initialize())));
    String second = result(gw.client.post(tokens + "/" + token.getString("id") + "/rotate").putHeader("Authorization", admin)
        .sendJsonObject(new JsonObject().put("previous_client_secret_expires_at", "2099-01-01T00:00:00Z")))
        .bodyAsJsonObject().getJsonObject("result").getString("client_secret");
    record(result(serviceToken(clientId, first).sendJsonObject(initialize())));
    record(result(serviceToken(clientId, second).sendJsonObject(initialize())));
    record(result(gw.client.get(tokens).putHeader("Authorization", admin).send()));
    record(result(gw.client.get(tokens + "/" + token.getString("id")).putHeader("Authorization", admin).send()));
    record(result(gw.client.get("/accounts/acme/access/ai-controls/mcp/audit").putHeader("Authorization", admin).send()));
    record(result(gw.client.post(tokens).putHeader("Authorization", admin).sendJsonObject(new JsonObject().put("name", "x")
        .put("client_secret", PLANTED_CF_SECRET))));

    assertFalse(lines.isEmpty());
    for (String secret : List.of(UPSTREAM_SECRET, TestGateway.ADMIN, TestGateway.AGENT, session, TestGateway.SECRET_KEY, first, second,
        PLANTED_CF_SECRET)) {
      for (String line : lines) assertFalse(line.contains(secret), "log line leaks " + secret + ": " + line);
    }
    for (String response : responses) {
      assertFalse(response.contains(UPSTREAM_SECRET), response);
      assertFalse(response.contains(TestGateway.ADMIN) || response.contains(TestGateway.AGENT), response);
      assertFalse(response.contains(first) || response.contains(second) || response.contains(PLANTED_CF_SECRET), response);
    }

    List<JsonObject> access = lines.stream().map(String::trim).map(JsonObject::new)
        .filter(l -> AccessLog.LOGGER_NAME.equals(l.getString("logger"))).toList();
    JsonObject call = access.stream().filter(l -> "mcp".equals(l.getString("kind")) && "say".equals(l.getString("tool"))).findFirst()
        .orElseThrow(() -> new AssertionError("no access line for the call: " + access));
    assertEquals("acme", call.getString("account"));
    assertEquals("srv", call.getString("server"));
    assertEquals("tools/call", call.getString("method"));
    assertEquals(200, call.getInteger("status"));
    assertEquals("ok", call.getString("outcome"));
    assertEquals(12, call.getString("session").length(), "a short hash of the session, never the id");
    assertTrue(call.containsKey("duration_ms") && call.containsKey("time"));
    assertTrue(access.stream().anyMatch(l -> "admin".equals(l.getString("kind")) && "create".equals(l.getString("operation"))
        && "test-admin".equals(l.getString("actor")) && l.getInteger("status") == 200), access.toString());
    assertTrue(access.stream().anyMatch(l -> "refused".equals(l.getString("outcome"))), "the refused call is logged too");
  }

  /**
   * The built-in authorization server's secrets — a local user's password, a confidential client's
   * secret, codes, refresh tokens, the signing key's private part, the IdP client secret — appear in
   * no log line, and in no answer but the one the protocol returns them in.
   */
  @Test
  void plantedAuthorizationServerSecretsAppearInNoLogLineAndNoOtherResponse(@TempDir Path asDir, @TempDir Path idpDir) throws Exception {
    String password = "pw-PLANTED-9d2c";
    String idpSecret = "idp-secret-PLANTED-51ab";
    String base = "http://127.0.0.1:" + dev.mcpgateway.support.GatewayProcess.freePort();
    JsonObject config = TestGateway.signingIn(TestGateway.config(asDir, null), base, Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)),
        new JsonObject().put("mode", "builtin").put("local_users", new JsonArray().add(new JsonObject().put("name", "alice")
        .put("password_hash", "sha256$" + dev.mcpgateway.security.TokenHash.sha256Hex(password)).put("email", "alice@example.com"))));
    TestGateway builtIn = result(TestGateway.start(vertx, config, asDir, null));
    List<String> secrets = new ArrayList<>(List.of(password, idpSecret));
    try {
      AuthServerClient as = new AuthServerClient(vertx, base);
      String callback = "http://127.0.0.1:5999/callback";
      HttpResponse<Buffer> registered = as.register(new JsonObject().put("redirect_uris", new JsonArray().add(callback))
          .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token")));
      String clientId = registered.bodyAsJsonObject().getString("client_id");
      String clientSecret = registered.bodyAsJsonObject().getString("client_secret");
      secrets.add(clientSecret);
      String verifier = AuthServerClient.verifier();
      record(as.login(AuthServerClient.ticket(as.authorize(AuthServerClient.authorization(clientId, callback, base + "/mcp/acme/x", verifier))),
          "alice", password + "-wrong"));
      String code = as.code(clientId, callback, base + "/mcp/acme/x", verifier, "alice", password);
      secrets.add(code);
      var form = AuthServerClient.codeGrant(clientId, code, callback, verifier);
      form.remove("client_id");
      record(as.token(form, clientId, clientSecret + "-wrong"));
      JsonObject tokens = as.token(form, clientId, clientSecret).bodyAsJsonObject();
      secrets.add(tokens.getString("refresh_token"));
      record(as.token(form, clientId, clientSecret)); // the code again: a replay, logged
      form = AuthServerClient.refreshGrant(clientId, tokens.getString("refresh_token"));
      form.remove("client_id");
      record(as.token(form, clientId, clientSecret));
      record(result(as.web.post("/revoke").basicAuthentication(clientId, clientSecret)
          .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("token", tokens.getString("refresh_token")))));
      record(result(as.web.get("/jwks").send()));
      record(result(as.web.get("/.well-known/oauth-authorization-server").send()));
      for (java.nio.file.Path key : java.nio.file.Files.list(asDir.resolve("sign-in/keys")).toList()) {
        JsonObject stored = new JsonObject(java.nio.file.Files.readString(key));
        String pkcs8 = new dev.mcpgateway.security.SecretCipher(java.util.Base64.getDecoder().decode(TestGateway.SECRET_KEY), new java.security.SecureRandom())
            .open(new dev.mcpgateway.model.SealedSecret(stored.getString("private_key_sealed")), "sign_in_key:" + stored.getString("kid"));
        secrets.add(pkcs8.substring(100, 160)); // a stretch of the private key's encoding
        assertFalse(java.nio.file.Files.readString(key).contains(pkcs8.substring(100, 160)), "sealed at rest");
      }
    } finally {
      result(builtIn.stop());
    }
    String idpBase = "http://127.0.0.1:" + dev.mcpgateway.support.GatewayProcess.freePort();
    JsonObject idpConfig = TestGateway.signingIn(TestGateway.config(idpDir, null), idpBase, Integer.parseInt(idpBase.substring(idpBase.lastIndexOf(':') + 1)),
        new JsonObject().put("mode", "builtin")
            .put("idp", new JsonObject().put("issuer", "http://127.0.0.1:1").put("client_id", "gw").put("client_secret", idpSecret)));
    TestGateway withIdp = result(TestGateway.start(vertx, idpConfig, idpDir, null));
    try {
      AuthServerClient as = new AuthServerClient(vertx, idpBase);
      String clientId = as.registerPublic("http://127.0.0.1:5999/callback");
      record(as.authorize(AuthServerClient.authorization(clientId, "http://127.0.0.1:5999/callback", idpBase + "/mcp/acme/x", AuthServerClient.verifier())));
    } finally {
      result(withIdp.stop());
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("used twice")), "the replay was logged");
    for (String secret : secrets) {
      for (String line : lines) assertFalse(line.contains(secret), "log line leaks " + secret + ": " + line);
      for (String response : responses) assertFalse(response.contains(secret), "response leaks " + secret + ": " + response);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Authorization: Bearer abc.def-ghi_123|abc.def-ghi_123",
      "header basic dXNlcjpwYXNz|dXNlcjpwYXNz",
      "{\"auth_credentials\": \"tok-123\"}|tok-123",
      "{\"client_secret\":\"cs-9\"}|cs-9",
      "https://x.example/cb?code=1&access_token=at-5&x=1|at-5",
      "session v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA__--|AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "postgresql://user:hunter2@db:5432/x|hunter2",
  })
  void theRedactorMasksSecretShapes(String text, String secret) {
    String redacted = SecretRedactor.redact(text);
    assertFalse(redacted.contains(secret), redacted);
    assertTrue(redacted.contains("[redacted]"), redacted);
  }
}
