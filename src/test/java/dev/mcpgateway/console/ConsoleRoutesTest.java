package dev.mcpgateway.console;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.config.GatewayConfig;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files as the browser gets them: from the jar, at the configured path, with a strict
 * Content-Security-Policy, nosniff, and no-cache + Last-Modified revalidation (304).
 */
class ConsoleRoutesTest {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (gw != null) result(gw.stop());
    result(vertx.close());
  }

  void startWith(String consolePath) {
    JsonObject config = TestGateway.config(dataDir, null);
    if (consolePath != null) config.getJsonObject("server").put("console_path", consolePath);
    gw = result(TestGateway.start(vertx, config, dataDir, null));
  }

  HttpResponse<Buffer> get(String path) {
    return result(gw.client.get(path).followRedirects(false).send());
  }

  static void assertHardened(HttpResponse<Buffer> response) {
    String csp = response.getHeader("Content-Security-Policy");
    assertTrue(csp != null && csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
        && csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && !csp.contains("unsafe"), String.valueOf(csp));
    assertEquals("nosniff", response.getHeader("X-Content-Type-Options"));
    assertEquals("no-referrer", response.getHeader("Referrer-Policy"));
  }

  @Test
  void theIndexIsServedAtTheDefaultPathWithAStrictPolicyAndRevalidation() {
    startWith(null);
    HttpResponse<Buffer> bare = get("/console");
    assertEquals(301, bare.statusCode());
    assertEquals("/console/", bare.getHeader("Location"), "relative module URLs need the trailing slash");

    HttpResponse<Buffer> index = get("/console/");
    assertEquals(200, index.statusCode());
    assertTrue(index.getHeader("Content-Type").startsWith("text/html"), index.getHeader("Content-Type"));
    assertHardened(index);
    assertEquals("no-cache", index.getHeader("Cache-Control"));
    String body = index.bodyAsString();
    assertTrue(body.contains("<script type=\"module\" src=\"app.js\"></script>"), body);
    assertTrue(!body.contains("<script>") && !body.contains("style="), "no inline script or style");

    String lastModified = index.getHeader("Last-Modified");
    assertTrue(lastModified != null, "revalidation by Last-Modified");
    HttpResponse<Buffer> again = result(gw.client.get("/console/").putHeader("If-Modified-Since", lastModified).send());
    assertEquals(304, again.statusCode(), "unchanged: not sent again");
  }

  @Test
  void modulesAndTheStylesheetHaveTheirTypesAndTheSameHeaders() {
    startWith(null);
    HttpResponse<Buffer> app = get("/console/app.js");
    assertEquals(200, app.statusCode());
    assertTrue(app.getHeader("Content-Type").startsWith("text/javascript") || app.getHeader("Content-Type").startsWith("application/javascript"),
        app.getHeader("Content-Type"));
    assertHardened(app);
    assertEquals("no-cache", app.getHeader("Cache-Control"));
    HttpResponse<Buffer> css = get("/console/console.css");
    assertTrue(css.getHeader("Content-Type").startsWith("text/css"), css.getHeader("Content-Type"));
    assertEquals(404, get("/console/missing.js").statusCode());
    assertEquals(404, get("/console/../openapi.json/x").statusCode());
  }

  @Test
  void theConsoleMovesToTheConfiguredPath() {
    startWith("/ops/ui/");
    assertEquals(200, get("/ops/ui/").statusCode());
    assertEquals("/ops/ui/", get("/ops/ui").getHeader("Location"));
    assertEquals(404, get("/console/").statusCode());
  }

  @Test
  void aPathTheGatewayServesItselfOrNoPathIsRefusedAtStart() {
    for (String bad : new String[] {"/mcp", "/accounts/x", "console", "/", "/a//b", "/a/../b", "/a b"}) {
      JsonObject settings = new JsonObject().put("server", new JsonObject().put("console_path", bad));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromJson(settings), bad);
      assertTrue(e.getMessage().contains("server.console_path (GATEWAY_CONSOLE_PATH)"), e.getMessage());
    }
  }
}
