package dev.mcpgateway.config;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.store.StoreSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void theShippedYamlLoadsToTheDocumentedDefaults() {
    Vertx vertx = Vertx.vertx();
    try {
      // the test JVM has none of the GATEWAY_* variables set unless a developer exported them
      GatewayConfig config = result(ConfigLoader.load(vertx));
      if (System.getenv("GATEWAY_PORT") == null) assertEquals(8080, config.port());
      if (System.getenv("PG_URL") == null && System.getenv("GATEWAY_STORE") == null) {
        assertInstanceOf(StoreSettings.Embedded.class, config.store());
      }
      assertEquals(1_048_576, config.maxBodyBytes());
      assertFalse(config.allowLinkLocal());
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
    assertEquals(9999, config.port());
    assertEquals("0.0.0.0", config.host());
    assertEquals(Path.of("/var/lib/gw"), config.dataDir());
    StoreSettings.Postgres pg = assertInstanceOf(StoreSettings.Postgres.class, config.store());
    assertEquals("postgresql://postgres@db:5432/gw", pg.url());
    assertTrue(config.allowLinkLocal());
    assertEquals(1, config.apiTokens().size());
    assertTrue(config.apiTokens().get(0).mayManage("a1"));
    assertFalse(config.apiTokens().get(0).mayManage("a2"));
    assertEquals(null, config.adminToken(), "an empty variable counts as unset");
  }

  @Test
  void everyDocumentedVariableMapsToASettingTheConfigReads() {
    ConfigLoader.ENVIRONMENT.forEach((variable, path) -> {
      String[] parts = path.split("\\.");
      assertEquals(2, parts.length, variable);
      assertTrue(java.util.Set.of("server", "store", "security", "outbound", "upstream", "sync", "cache", "proxy", "metrics", "logging", "limits", "oauth").contains(parts[0]), variable);
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
}
