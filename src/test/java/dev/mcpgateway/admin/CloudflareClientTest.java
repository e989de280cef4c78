package dev.mcpgateway.admin;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloudflare's official TypeScript library ({@code cloudflare} on npm, pinned in
 * {@code test-peers/package.json}), unchanged but for its {@code baseURL}, drives the portals API
 * ({@code test-peers/cloudflare-portals.mjs}): create, list with auto-pagination, search, read,
 * update, delete, and the library's typed errors for a 404 and a 400. What it answered must be
 * what the gateway then holds.
 */
class CloudflareClientTest {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    for (String id : List.of("alpha", "beta")) {
      JsonObject server = new JsonObject().put("id", id).put("name", "Server " + id).put("hostname", "https://" + id + ".example.com/mcp")
          .put("auth_type", "unauthenticated");
      assertEquals(200, result(gw.client.post(TestGateway.servers("acme")).bearerTokenAuthentication(TestGateway.ADMIN)
          .sendJsonObject(server)).statusCode());
    }
  }

  @AfterEach
  void stop() {
    result(gw.stop());
    result(vertx.close());
  }

  JsonObject read(String id) {
    return result(gw.client.get(TestGateway.portals("acme") + "/" + id).bearerTokenAuthentication(TestGateway.ADMIN).send())
        .bodyAsJsonObject();
  }

  @Test
  void theCloudflareLibraryManagesPortalsUnchanged() {
    JsonObject report = NodeAgent.runReport("cloudflare-portals.mjs", "http://127.0.0.1:" + gw.gateway.port(), TestGateway.ACME, "acme",
        new JsonObject().put("servers", new JsonArray().add("alpha").add("beta")).encode());
    assertNull(report.getValue("error"), report.encode());

    JsonArray created = report.getJsonArray("created");
    assertEquals(5, created.size());
    for (int i = 0; i < 5; i++) {
      JsonObject portal = created.getJsonObject(i);
      assertEquals("sdk-" + i, portal.getString("id"));
      assertEquals("sdk-" + i + ".portals.example", portal.getString("hostname"));
      assertEquals("SDK portal " + i, portal.getString("name"));
      assertEquals(i == 2 ? "enforced" : i == 3 ? "off" : "opt_in", portal.getString("code_mode"), portal.encode());
      assertEquals(i != 3, portal.getBoolean("allow_code_mode"));
      assertEquals("acme-bot", portal.getString("created_by"));
      JsonArray servers = portal.getJsonArray("servers");
      if (i == 4) {
        assertEquals(new JsonArray(), servers);
        continue;
      }
      JsonObject alpha = servers.getJsonObject(0);
      assertEquals("alpha", alpha.getString("id"));
      assertEquals("alpha", alpha.getString("server_id"));
      assertEquals(i == 1, alpha.getBoolean("default_disabled"));
      assertEquals(false, alpha.getBoolean("on_behalf"));
      assertEquals(new JsonArray().add(new JsonObject().put("name", "echo").put("portal_alias", "say")
          .put("portal_description", "Says it back")), alpha.getJsonArray("updated_tools"));
    }
    assertEquals("made by the Cloudflare library", created.getJsonObject(0).getString("description"));

    // for await: every portal once, as it was created (the list ran before any change)
    assertEquals(created, report.getJsonArray("listed"));
    assertEquals(new JsonArray().add(new JsonArray().add("sdk-0").add("sdk-1")).add(new JsonArray().add("sdk-2").add("sdk-3"))
        .add(new JsonArray().add("sdk-4")).add(new JsonArray()), report.getJsonArray("pages"),
        "the library asks for the next page until one comes back empty");
    assertEquals(new JsonArray().add("sdk-3"), report.getJsonArray("searched"));
    assertEquals(created.getJsonObject(0), report.getJsonObject("read"));

    JsonObject updated = report.getJsonObject("updated");
    assertEquals("Renamed by the library", updated.getString("name"));
    assertEquals("off", updated.getString("code_mode"));
    assertEquals(false, updated.getBoolean("allow_code_mode"));
    assertEquals(List.of("alpha", "beta"), updated.getJsonArray("servers").stream().map(o -> ((JsonObject) o).getString("server_id")).toList());
    assertEquals(new JsonArray().add(new JsonObject().put("name", "greet").put("enabled", false)),
        updated.getJsonArray("servers").getJsonObject(1).getJsonArray("updated_prompts"));
    assertEquals("made by the Cloudflare library", updated.getString("description"), "omitted fields are left as they were");
    assertEquals(updated, read("sdk-0").getJsonObject("result"), "the gateway holds what the library was told");

    JsonObject deleted = report.getJsonObject("deleted");
    assertEquals("sdk-1", deleted.getString("id"));
    assertFalse(deleted.containsKey("servers"));
    assertEquals(new JsonArray().add("sdk-0").add("sdk-2").add("sdk-3").add("sdk-4"), report.getJsonArray("remaining"));

    JsonObject notFound = report.getJsonObject("readDeleted");
    assertEquals("NotFoundError", notFound.getString("class"));
    assertEquals(404, notFound.getInteger("status"));
    assertEquals(2101, notFound.getJsonArray("errors").getJsonObject(0).getInteger("code"));
    assertEquals(2101, read("sdk-1").getJsonArray("errors").getJsonObject(0).getInteger("code"), "and the gateway has no sdk-1");
    JsonObject invalid = report.getJsonObject("invalid");
    assertEquals("BadRequestError", invalid.getString("class"));
    assertEquals(400, invalid.getInteger("status"));
    JsonObject error = invalid.getJsonArray("errors").getJsonObject(0);
    assertEquals(1104, error.getInteger("code"));
    assertEquals("/hostname", error.getJsonObject("source").getString("pointer"));
  }
}
