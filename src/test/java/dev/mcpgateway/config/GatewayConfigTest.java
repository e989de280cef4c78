package dev.mcpgateway.config;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.store.StoreSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void theShippedYamlLoadsToTheDocumentedDefaults() {
    Vertx vertx = Vertx.vertx();
    try {
      // the test JVM has none of the GATEWAY_* variables set unless a developer exported them
      GatewayConfig config = result(ConfigLoader.load(vertx));
      if (System.getenv("GATEWAY_PORT") == null) assertEquals(8080, config.server().port());
      if (System.getenv("PG_URL") == null && System.getenv("GATEWAY_STORE") == null) {
        assertInstanceOf(StoreSettings.Embedded.class, config.store());
      }
      assertEquals(1_048_576, config.server().maxBodyBytes());
      assertFalse(config.outbound().allowLinkLocal());
    } finally {
      result(vertx.close());
    }
  }

  @Test
  void environmentVariablesOverrideTheirYamlPaths() {
    JsonObject merged = new JsonObject()
        .put("server", new JsonObject().put("port", 8080).put("host", "0.0.0.0"))
        .put("store", new JsonObject().put("data_dir", "./data"))
        .put("GATEWAY_PORT", "9999")
        .put("GATEWAY_DATA_DIR", "/var/lib/gw")
        .put("PG_URL", "postgresql://postgres@db:5432/gw")
        .put("GATEWAY_ALLOW_LINK_LOCAL", "true")
        .put("GATEWAY_API_TOKENS", "[{\"name\":\"ci\",\"sha256\":\"" + "ab".repeat(32) + "\",\"accounts\":[\"a1\"]}]")
        .put("GATEWAY_ADMIN_TOKEN", "");
    GatewayConfig config = GatewayConfig.fromJson(ConfigLoader.applyEnvironment(merged));
    assertEquals(9999, config.server().port());
    assertEquals("0.0.0.0", config.server().host());
    assertEquals(Path.of("/var/lib/gw"), config.dataDir());
    StoreSettings.Postgres pg = assertInstanceOf(StoreSettings.Postgres.class, config.store());
    assertEquals("postgresql://postgres@db:5432/gw", pg.url());
    assertTrue(config.outbound().allowLinkLocal());
    assertEquals(1, config.security().apiTokens().size());
    assertTrue(config.security().apiTokens().get(0).mayManage("a1"));
    assertFalse(config.security().apiTokens().get(0).mayManage("a2"));
    assertEquals(null, config.security().adminToken(), "an empty variable counts as unset");
  }

  @Test
  void builtInSignInReadsItsNestedIdpSettingsFromTheEnvironmentAndTheIssuerIsThePublicUrl() {
    JsonObject merged = new JsonObject()
        .put("oauth", new JsonObject().put("public_base_url", "https://gw.example/"))
        .put("GATEWAY_SIGN_IN_MODE", "builtin")
        .put("GATEWAY_SIGN_IN_IDP_ISSUER", "https://login.example.com/tenant/v2.0")
        .put("GATEWAY_SIGN_IN_IDP_CLIENT_ID", "gw-client")
        .put("GATEWAY_SIGN_IN_IDP_CLIENT_SECRET", "idp-secret")
        .put("GATEWAY_SIGN_IN_REDIRECT_URIS", "https://claude.ai/api/mcp/auth_callback, cursor://x/oauth/*/callback")
        .put("GATEWAY_SIGN_IN_ACCESS_TOKEN_TTL_MS", "300000");
    SignInSettings signIn = GatewayConfig.fromJson(ConfigLoader.applyEnvironment(merged)).signIn();
    assertTrue(signIn.builtIn() && signIn.enabled());
    assertEquals("https://gw.example", signIn.issuer(), "the gateway's own issuer");
    AuthServerSettings as = signIn.authServer();
    assertEquals(new AuthServerSettings.Idp("https://login.example.com/tenant/v2.0", "gw-client", "idp-secret", "openid email profile"), as.idp());
    assertFalse(as.toString().contains("idp-secret"), as.toString());
    assertEquals(java.util.List.of("https://claude.ai/api/mcp/auth_callback", "cursor://x/oauth/*/callback"), as.redirectUris());
    assertEquals(java.time.Duration.ofMinutes(5), as.accessTokenTtl());
    assertEquals(java.time.Duration.ofDays(30), as.refreshTokenTtl());
    assertEquals(SignInSettings.Mode.EXTERNAL, GatewayConfig.fromJson(new JsonObject()).signIn().mode(), "external by default");
  }

  @Test
  void builtInSignInNeedsALoginAndNoExternalIssuer() {
    IllegalArgumentException noLogin = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(
        new JsonObject().put("sign_in", new JsonObject().put("mode", "builtin"))));
    assertTrue(noLogin.getMessage().contains("GATEWAY_SIGN_IN_IDP_ISSUER") && noLogin.getMessage().contains("local_users"), noLogin.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(new JsonObject().put("sign_in",
        new JsonObject().put("mode", "builtin").put("issuer", "https://idp.example").put("idp", new JsonObject().put("issuer", "https://idp.example")
            .put("client_id", "c")))));
    assertTrue(both.getMessage().contains("sign_in.issuer (GATEWAY_SIGN_IN_ISSUER)"), both.getMessage());
    IllegalArgumentException noClient = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(new JsonObject().put("sign_in",
        new JsonObject().put("mode", "builtin").put("idp", new JsonObject().put("issuer", "https://idp.example")))));
    assertTrue(noClient.getMessage().contains("sign_in.idp.client_id (GATEWAY_SIGN_IN_IDP_CLIENT_ID)"), noClient.getMessage());
    IllegalArgumentException badHash = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(new JsonObject().put("sign_in",
        new JsonObject().put("mode", "builtin").put("local_users", "[{\"name\":\"a\",\"password_hash\":\"hunter2\"}]"))));
    assertTrue(badHash.getMessage().contains("user 'a'") && !badHash.getMessage().contains("hunter2"), badHash.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(new JsonObject().put("sign_in", new JsonObject().put("mode", "internal"))));
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(new JsonObject().put("sign_in",
        new JsonObject().put("redirect_uris", new JsonArray().add("https://x.example/cb#frag")))));
  }

  @Test
  void everyDocumentedVariableMapsToASettingTheConfigReads() {
    ConfigLoader.ENVIRONMENT.forEach((variable, path) -> {
      String[] parts = path.split("\\.");
      assertTrue(parts.length == 2 || parts.length == 3 && path.startsWith("sign_in.idp."), variable + ": a section's key (or sign_in.idp's)");
      assertTrue(java.util.Set.of("server", "store", "security", "outbound", "upstream", "sync", "cache", "proxy", "metrics", "logging", "limits", "oauth", "code_mode", "sign_in", "analytics").contains(parts[0]), variable);
    });
  }

  @Test
  void invalidSettingsFailAtStartNamingTheSetting() {
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(
        new JsonObject().put("server", new JsonObject().put("port", "eighty"))), "port");
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(
        new JsonObject().put("store", new JsonObject().put("kind", "redis"))));
    assertTrue(kind.getMessage().contains("store.kind"));
    IllegalArgumentException pg = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(
        new JsonObject().put("store", new JsonObject().put("kind", "postgres"))));
    assertTrue(pg.getMessage().contains("PG_URL"));
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(new JsonObject().put("security",
        new JsonObject().put("api_tokens", "[{\"name\":\"x\",\"sha256\":\"not-hex\"}]"))));
    IllegalArgumentException retention = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(
        new JsonObject().put("analytics", new JsonObject().put("retention_days", 0))));
    assertTrue(retention.getMessage().contains("GATEWAY_ANALYTICS_RETENTION_DAYS"), retention.getMessage());
    assertEquals(new dev.mcpgateway.analytics.AnalyticsSettings(180, java.time.Duration.ofSeconds(5), 100_000),
        GatewayConfig.fromJson(new JsonObject()).analytics(), "the defaults");
  }

  @Test
  void configToStringHidesSecrets() {
    GatewayConfig config = GatewayConfig.fromJson(new JsonObject()
        .put("store", new JsonObject().put("pg_url", "postgresql://u:hunter2@db/x"))
        .put("security", new JsonObject().put("admin_token", "plain-admin").put("secret_key", "a2V5")));
    String text = config.toString();
    assertFalse(text.contains("hunter2"), text);
    assertFalse(text.contains("plain-admin"), text);
    assertFalse(text.contains("a2V5"), text);
  }

  @Test
  void errorsNameTheYamlPathAndTheVariable() {
    Map<JsonObject, String> cases = Map.of(
        new JsonObject().put("server", new JsonObject().put("port", "eighty")), "server.port (GATEWAY_PORT) must be a number, not 'eighty'",
        new JsonObject().put("server", new JsonObject().put("port", 70000)), "server.port (GATEWAY_PORT) must be between 0 and 65535",
        new JsonObject().put("sync", new JsonObject().put("jitter", 0.9)), "sync.jitter (GATEWAY_SYNC_JITTER) must be between",
        new JsonObject().put("outbound", new JsonObject().put("deny_private", "maybe")), "outbound.deny_private (GATEWAY_DENY_PRIVATE_UPSTREAMS) must be true or false",
        new JsonObject().put("proxy", new JsonObject().put("session_idle_ms", 0)), "proxy.session_idle_ms (GATEWAY_SESSION_IDLE_MS) must be positive",
        new JsonObject().put("logging", new JsonObject().put("format", "xml")), "logging.format (GATEWAY_LOG_FORMAT) must be json or text",
        new JsonObject().put("oauth", new JsonObject().put("public_base_url", "ftp://x")), "oauth.public_base_url (GATEWAY_PUBLIC_URL) must be an absolute",
        new JsonObject().put("security", new JsonObject().put("client_tokens", 5)), "security.client_tokens (GATEWAY_CLIENT_TOKENS) must be a list");
    cases.forEach((settings, message) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(settings), message);
      assertTrue(e.getMessage().startsWith(message), e.getMessage());
    });
  }

  /** No fallbacks in code: a default missing from the YAML is an error naming it, not a silent value. */
  @Test
  void aSettingWithoutADefaultInTheYamlFailsNamingIt() {
    JsonObject defaults = ConfigDefaults.yaml();
    defaults.getJsonObject("upstream").remove("breaker_reset_ms");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.from(defaults));
    assertTrue(e.getMessage().startsWith("upstream.breaker_reset_ms (GATEWAY_UPSTREAM_BREAKER_RESET_MS) has no value"), e.getMessage());
  }

  /** An operator's file and the environment change only what they name; an empty key keeps the default. */
  @Test
  void settingsAreLaidOverThePackagedDefaults() {
    GatewayConfig config = GatewayConfig.fromJson(new JsonObject()
        .put("server", new JsonObject().put("port", 9090).putNull("host"))
        .put("proxy", new JsonObject().put("allowed_origins", new JsonArray().add("https://app.example"))));
    assertEquals(9090, config.server().port());
    assertEquals("0.0.0.0", config.server().host());
    assertEquals(30_000, config.server().requestTimeoutMs());
    assertEquals(java.util.Set.of("https://app.example"), config.proxy().allowedOrigins());
    assertEquals("http://localhost:9090", config.oauth().publicBaseUrl(), "derived from the port");
    assertEquals(100, config.clientOptions().maxPages(), "sync.max_pages reaches the client");
    assertEquals(java.time.Duration.ofSeconds(10), config.server().shutdownGrace());
  }
}
