package dev.mcpgateway.console;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin console in a real browser: headless Chromium (Debian's, driven by playwright-core from
 * test-peers' lock file, {@code test-peers/console-e2e.mjs}) against a real gateway on its embedded
 * store and a real upstream (the official SDK's server, {@code paged-server.mjs}, whose
 * {@code /drift} changes a tool). The administrator signs in (a wrong token first), creates a server
 * (a refused hostname first), syncs it, aliases a tool and disables another (a refused alias first),
 * sees a drift as a side-by-side diff and accepts it, looks at a portal and the activity, and
 * deletes the server (refused first while a portal uses it). Every refusal must show the API's own
 * message; axe-core runs on every main page and must find nothing; the page must log no error (a
 * Content-Security-Policy refusal would be one). Screenshots go to {@code target/console-screenshots/}.
 */
class ConsoleEndToEndTest {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer upstream;
  static JsonObject report;

  @BeforeAll
  static void run() {
    upstream = NodePeer.start("paged-server.mjs", Map.of("TOOL_COUNT", "3", "PROMPT_COUNT", "1", "DRIFT_ROUTE", "1"));
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    callsBeforeTheConsoleOpens();
    String base = "http://127.0.0.1:" + gw.gateway.port();
    JsonObject options = new JsonObject()
        .put("console", base + "/console/")
        .put("api", base)
        .put("token", TestGateway.ACME)
        .put("wrong_token", "not-a-token-of-this-gateway")
        .put("account", "acme")
        .put("upstream", upstream.url("/mcp"))
        .put("drift", upstream.url("/drift"));
    NodePeer.Run run = NodePeer.run(Map.of("SCREENSHOT_DIR", SCREENSHOTS.toString()), 180_000, "console-e2e.mjs", options.encode());
    String output = run.output().trim();
    String last = output.substring(output.lastIndexOf("\n{") + 1);
    assertTrue(last.startsWith("{"), "the browser run printed no report: " + output);
    report = new JsonObject(last);
    assertEquals(null, report.getString("error"), report.encodePrettily());
  }

  @AfterAll
  static void stop() {
    if (gw != null) result(gw.stop());
    if (vertx != null) result(vertx.close());
    if (upstream != null) upstream.close();
  }

  static final int CALLS = 2;

  /** Two tool calls in the account, through a server deleted before the console opens: its Activity chart counts them. */
  static void callsBeforeTheConsoleOpens() {
    gw.addSyncedServer("acme", "calls", upstream.url("/mcp"));
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.AGENT)
        .add("Accept", "application/json, text/event-stream");
    var init = result(gw.client.post(TestGateway.mcp("acme", "calls")).putHeaders(headers).sendJsonObject(new JsonObject().put("jsonrpc", "2.0")
        .put("id", 1).put("method", "initialize").put("params", new JsonObject().put("protocolVersion", "2025-11-25")
            .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "console-test").put("version", "1")))));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    for (int i = 0; i < CALLS; i++) {
      var call = result(gw.client.post(TestGateway.mcp("acme", "calls")).putHeaders(headers).putHeader("Mcp-Session-Id", init.getHeader("Mcp-Session-Id"))
          .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2 + i).put("method", "tools/call")
              .put("params", new JsonObject().put("name", "tool-000").put("arguments", new JsonObject()))));
      assertEquals(200, call.statusCode(), call.bodyAsString());
    }
    assertEquals(200, result(gw.client.delete(TestGateway.servers("acme") + "/calls").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send())
        .statusCode());
  }

  @Test
  void theActivityChartsTheAnalyticsApisToolCalls() {
    JsonObject api = result(gw.client.get("/accounts/acme/access/ai-controls/mcp/analytics/tool-calls/timeseries?days=30&aggregate=true")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()).bodyAsJsonObject().getJsonObject("result");
    JsonObject chart = step("activity").getJsonObject("tool_calls");
    assertEquals(CALLS, api.getInteger("total"), api.encode());
    assertEquals(String.valueOf(CALLS), chart.getString("total"), chart.encode());
    assertEquals(api.getJsonArray("series").size(), chart.getInteger("bars"), "a bar per day");
    assertEquals(CALLS + " tool calls in the last 30 days", chart.getString("label"));
  }

  static JsonObject step(String name) {
    for (Object s : report.getJsonArray("steps")) if (name.equals(((JsonObject) s).getString("name"))) return (JsonObject) s;
    throw new AssertionError("no step '" + name + "' in " + report.encodePrettily());
  }

  /** The message the API itself gives for the error at {@code pointer}. */
  static String apiMessage(JsonObject envelope, String pointer) {
    for (Object e : envelope.getJsonArray("errors")) {
      JsonObject error = (JsonObject) e;
      JsonObject source = error.getJsonObject("source");
      if (source != null && pointer.equals(source.getString("pointer"))) return error.getString("message");
    }
    throw new AssertionError("no error at " + pointer + " in " + envelope.encode());
  }

  @Test
  void axeFindsNoViolationOnAnyPage() {
    JsonObject axe = report.getJsonObject("axe");
    for (String page : new String[] {"sign-in", "new-server", "server", "drift", "servers", "portal", "activity", "delete-dialog"}) {
      assertTrue(axe.containsKey(page), "axe ran on " + page);
      assertEquals(new JsonArray(), axe.getJsonArray(page), page + ": " + axe.getJsonArray(page).encodePrettily());
    }
  }

  @Test
  void thePageLogsNoErrorAndNoPolicyRefusal() {
    assertEquals(new JsonArray(), report.getJsonArray("console_errors"));
  }

  @Test
  void aWrongTokenShowsThe401InWordsWithTheApiMessage() {
    JsonObject envelope = result(gw.client.get(TestGateway.servers("acme")).putHeader("Authorization", "Bearer not-a-token-of-this-gateway").send())
        .bodyAsJsonObject();
    String alert = step("wrong token refused").getString("alert");
    assertTrue(alert.contains("did not accept the API token (401)"), alert);
    assertTrue(alert.contains(envelope.getJsonArray("errors").getJsonObject(0).getString("message")), alert + " vs " + envelope.encode());
  }

  @Test
  void theTokenIsKeptInMemoryOnly() {
    assertEquals(new JsonObject().put("local", 0).put("session", 0).put("cookies", ""), step("signed in").getJsonObject("stored"));
  }

  @Test
  void refusedFieldsShowTheApiMessageBesideThem() {
    JsonObject badHost = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "x").put("name", "x").put("hostname", "ftp://example.com/mcp").put("auth_type", "unauthenticated")))
        .bodyAsJsonObject();
    JsonObject hostname = step("bad hostname refused");
    assertEquals(apiMessage(badHost, "/hostname"), hostname.getString("text"));
    assertEquals("true", hostname.getString("invalid"));
    JsonObject alias = step("bad alias refused");
    assertEquals("updated_tools.0.alias: must be letters and digits, optionally joined by single '-' or '_'", alias.getString("text"),
        "the API's message for /updated_tools/0/alias (ServerRequestParser), beside the alias of tool-000");
    assertEquals("true", alias.getString("invalid"));
  }

  @Test
  void theServerIsCreatedSyncedAndCurated() {
    JsonObject synced = step("synced");
    assertEquals("Ready", synced.getString("status"));
    assertEquals("3", synced.getString("tools"));
    JsonObject saved = step("overrides saved");
    assertEquals("zero", saved.getString("alias"));
    assertEquals(false, saved.getBoolean("enabled"));
    assertEquals(new JsonArray().add(new JsonObject().put("name", "tool-000").put("alias", "zero"))
        .add(new JsonObject().put("name", "tool-002").put("enabled", false)), saved.getJsonArray("updated_tools"));
    String row = step("listed").getString("row");
    assertTrue(row.startsWith("Docs docs") && row.contains("Ready") && !row.contains("held"), row);
  }

  @Test
  void aDriftIsShownSideBySideAndAccepted() {
    JsonObject drift = step("drift shown");
    assertEquals("tool-001", drift.getString("tool"));
    assertEquals(new JsonArray().add("Accepted definition").add("Changed definition (held back)"), drift.getJsonArray("headers"));
    String removed = String.join("\n", drift.getJsonArray("removed").stream().map(Object::toString).toList());
    String added = String.join("\n", drift.getJsonArray("added").stream().map(Object::toString).toList());
    assertTrue(removed.contains("\"Test tool number 1\""), removed);
    assertTrue(added.contains("collector.example") && added.contains("conversation"), added);
    assertEquals(0, step("drift accepted").getInteger("held_section"));
  }

  @Test
  void thePortalShowsItsUrlSnippetAndMembers() {
    JsonObject portal = step("portal");
    assertEquals("https://team.example.com/mcp", portal.getString("url"));
    assertEquals("https://team.example.com/mcp", portal.getJsonObject("snippet").getJsonObject("mcpServers").getJsonObject("team").getString("url"));
    assertTrue(portal.getString("members").startsWith("Docs Ready"), portal.getString("members"));
  }

  @Test
  void theActivityIsFilteredByServerAndActor() {
    JsonObject activity = step("activity");
    assertEquals(new JsonArray(), activity.getJsonArray("by_others"), "nothing by test-admin");
    assertEquals("Nothing recorded for this filter.", activity.getString("by_others_text"));
    JsonArray rows = activity.getJsonArray("rows");
    assertTrue(rows.size() >= 5, rows.encodePrettily());
    for (Object row : rows) assertTrue(row.toString().contains("Server docs"), rows.encodePrettily());
    assertTrue(rows.getString(0).contains("acme-bot"), "by the token's name: " + rows.encodePrettily());
  }

  @Test
  void deletingIsRefusedWhileAPortalUsesTheServerThenDone() {
    String refused = step("delete refused").getString("alert");
    assertTrue(refused.contains("(409)"), refused);
    assertTrue(step("deleted").getString("notice").contains("Deleted Docs."));
    assertEquals(0, result(gw.client.get(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send())
        .bodyAsJsonObject().getJsonArray("result").size());
  }

  @Test
  void screenshotsOfTheMainPagesAreSaved() throws Exception {
    for (String page : new String[] {"sign-in", "servers", "server", "drift", "portal", "activity"}) {
      Path png = SCREENSHOTS.resolve(page + ".png");
      assertTrue(Files.size(png) > 1000, png.toString());
    }
  }
}
