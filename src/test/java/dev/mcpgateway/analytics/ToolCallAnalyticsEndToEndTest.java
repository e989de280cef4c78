package dev.mcpgateway.analytics;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.store.StoreSettings;
import dev.mcpgateway.store.Stores;
import dev.mcpgateway.store.ToolCallQuery;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.CuttableTcpProxy;
import dev.mcpgateway.support.MovableClock;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool-call analytics end to end: the official SDK client calling server-everything through the
 * gateway, on a server's endpoint and through a portal; then the three timeseries routes answer what
 * {@code mcp_gateway_tool_calls_total} says, shifted by {@code tz}; the counts survive a restart on
 * the embedded store; and on PostgreSQL a database outage fails no call and loses no count.
 * The gateway's clock stands at 23:45 UTC (it moves with real time from there), so that a call
 * falls on one day in UTC and on the next in +05:30.
 */
class ToolCallAnalyticsEndToEndTest {
  static final String ANALYTICS = "/accounts/acme/access/ai-controls/mcp/analytics";
  static final Instant AT = Instant.parse("2026-03-04T23:45:00Z");

  @TempDir Path dataDir;
  @RegisterExtension final PgSchema pg = new PgSchema();
  Vertx vertx;
  NodePeer everything;
  TestGateway gw;
  final MovableClock clock = new MovableClock();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    everything = NodePeer.everything("streamableHttp");
    clock.advance(Duration.between(Instant.now(), AT));
  }

  @AfterEach
  void stop() {
    if (gw != null) result(gw.stop());
    everything.close();
    result(vertx.close());
  }

  TestGateway startGateway(JsonObject config) {
    return result(TestGateway.start(vertx, config, dataDir, null, clock));
  }

  void registerServerAndPortal() {
    gw.addSyncedServer("acme", "every", everything.url("/mcp"));
    HttpResponse<Buffer> portal = result(admin(gw.client.post(TestGateway.portals("acme"))).sendJsonObject(new JsonObject()
        .put("id", "team").put("name", "Team").put("hostname", "team.portal.test")
        .put("servers", new JsonArray().add(new JsonObject().put("server_id", "every").put("on_behalf", false)))));
    assertEquals(201, portal.statusCode(), portal.bodyAsString());
  }

  static HttpRequest<Buffer> admin(HttpRequest<Buffer> request) {
    return request.putHeader("Authorization", "Bearer " + TestGateway.ADMIN);
  }

  static JsonObject call(String name) {
    return new JsonObject().put("op", "callTool").put("name", name).put("arguments", new JsonObject().put("message", "hi"));
  }

  /** Calls through the official SDK client; every step must succeed but the unknown tool's. */
  void agentCalls(String url, List<String> tools) {
    JsonArray steps = new JsonArray();
    tools.forEach(t -> steps.add(call(t)));
    JsonObject report = NodeAgent.run(url, TestGateway.AGENT, steps);
    for (int i = 0; i < tools.size(); i++) {
      JsonObject step = NodeAgent.step(report, i);
      String text = step.encode();
      if (tools.get(i).equals("no_such_tool")) assertTrue(text.contains("Unknown tool"), text);
      else assertTrue(text.contains("Echo: hi"), text);
    }
  }

  JsonObject timeseries(String path, String query) {
    HttpResponse<Buffer> response = result(admin(gw.client.get(ANALYTICS + path + "/tool-calls/timeseries" + query)).send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("no-store", response.getHeader("Cache-Control"));
    return body.getJsonObject("result");
  }

  PrometheusText scrape() {
    HttpResponse<Buffer> response = result(gw.client.get("/metrics").send());
    assertEquals(200, response.statusCode());
    return PrometheusText.parse(response.bodyAsString());
  }

  static JsonArray days(String... dayCount) {
    JsonArray series = new JsonArray();
    for (int i = 0; i < dayCount.length; i += 2) series.add(new JsonObject().put("day", dayCount[i]).put("count", Long.parseLong(dayCount[i + 1])));
    return series;
  }

  @Test
  void theApiCountsWhatTheMetricCountsShiftedByTzAndKeepsItAcrossARestart() {
    gw = startGateway(TestGateway.config(dataDir, null));
    registerServerAndPortal();
    agentCalls(gw.mcpUrl("acme", "every"), List.of("echo", "echo", "echo", "no_such_tool"));
    agentCalls("http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/team", List.of("every_echo", "every_echo"));

    PrometheusText metrics = scrape();
    long metered = (long) metrics.value("mcp_gateway_tool_calls_total", Map.of("account", "acme"));
    assertEquals(6, metered, "three calls and a refused one on the server's endpoint, two through the portal");
    assertEquals(2, (long) metrics.value("mcp_gateway_portal_requests_total", Map.of("portal", "team", "method", "tools/call")));

    JsonObject account = timeseries("", "");
    assertEquals("daily", account.getString("granularity"));
    assertEquals(false, account.getBoolean("aggregate"));
    assertEquals("utc", account.getString("tz"));
    assertEquals(metered, account.getLong("total"), "the API and the metric agree");
    assertEquals(Instant.parse("2026-02-26T00:00:00Z").toEpochMilli(), account.getLong("start"), "seven days, today included");
    assertEquals(Instant.parse("2026-03-05T00:00:00Z").toEpochMilli(), account.getLong("end"), "end exclusive: the coming midnight");
    assertEquals(new JsonArray()
        .add(new JsonObject().put("day", "2026-03-04").put("server_id", "every").put("tool", "echo").put("count", 3))
        .add(new JsonObject().put("day", "2026-03-04").put("server_id", "every").put("tool", "every_echo").put("count", 2))
        .add(new JsonObject().put("day", "2026-03-04").put("server_id", "every").put("tool", "other").put("count", 1)),
        account.getJsonArray("series"), "not aggregated: one entry per day, server and tool called, as the metric labels them");

    assertEquals(days("2026-03-03", "0", "2026-03-04", "6"), timeseries("", "?aggregate=true&days=2").getJsonArray("series"));
    JsonObject india = timeseries("", "?aggregate=true&days=2&tz=%2B05:30");
    assertEquals("+05:30", india.getString("tz"));
    assertEquals(days("2026-03-04", "0", "2026-03-05", "6"), india.getJsonArray("series"), "23:45 UTC is already tomorrow in +05:30");
    assertEquals(Instant.parse("2026-03-03T18:30:00Z").toEpochMilli(), india.getLong("start"));
    assertEquals(days("2026-03-03", "0", "2026-03-04", "6"), timeseries("", "?aggregate=true&days=2&tz=-09:30").getJsonArray("series"));
    assertEquals(days("2026-03-04", "6"), timeseries("", "?aggregate=true&days=1&tz=Z").getJsonArray("series"));

    JsonObject monthly = timeseries("", "?granularity=monthly&aggregate=true&days=500");
    assertEquals(days("2025-09-01", "0", "2025-10-01", "0", "2025-11-01", "0", "2025-12-01", "0", "2026-01-01", "0", "2026-02-01", "0",
        "2026-03-01", "6"), monthly.getJsonArray("series"), "monthly: the months that overlap the 180 days of retention; days is not read");
    assertEquals(Instant.parse("2026-04-01T00:00:00Z").toEpochMilli(), monthly.getLong("end"));

    assertEquals(6, timeseries("/servers/every", "").getLong("total"));
    assertEquals(2, timeseries("/portals/team", "").getLong("total"));
    assertEquals(new JsonArray().add(new JsonObject().put("day", "2026-03-04").put("server_id", "every").put("tool", "every_echo").put("count", 2)),
        timeseries("/portals/team", "").getJsonArray("series"));

    // a restart on the embedded store: the stop flushes, the new gateway reads the files
    result(gw.stop());
    gw = startGateway(TestGateway.config(dataDir, null));
    assertEquals(account.getJsonArray("series"), timeseries("", "").getJsonArray("series"), "the counts survive a restart");
    assertEquals(0, (long) scrape().value("mcp_gateway_tool_calls_total", Map.of("account", "acme")), "the metric starts over; the analytics do not");
  }

  @Test
  void badParametersAre400WithAnErrorEachAndUnknownServersAndPortals404() {
    gw = startGateway(TestGateway.config(dataDir, null));
    for (String query : List.of("granularity=weekly", "days=0", "days=180", "days=seven", "tz=%2B15:00", "tz=-12:30", "tz=garbage",
        "tz=%2B05:20", "aggregate=maybe")) {
      for (String path : List.of("", "/servers/every", "/portals/team")) {
        HttpResponse<Buffer> response = result(admin(gw.client.get(ANALYTICS + path + "/tool-calls/timeseries?" + query)).send());
        assertEquals(400, response.statusCode(), query + " " + response.bodyAsString());
        JsonObject body = response.bodyAsJsonObject();
        assertEquals(false, body.getBoolean("success"));
        assertEquals(1, body.getJsonArray("errors").size(), query + " " + body.encode());
        assertEquals(1201, body.getJsonArray("errors").getJsonObject(0).getInteger("code"));
      }
    }
    HttpResponse<Buffer> all = result(admin(gw.client.get(ANALYTICS + "/tool-calls/timeseries?granularity=weekly&aggregate=maybe&tz=x&days=0")).send());
    assertEquals(400, all.statusCode());
    assertEquals(4, all.bodyAsJsonObject().getJsonArray("errors").size(), "one error per problem: " + all.bodyAsString());
    assertEquals(200, result(admin(gw.client.get(ANALYTICS + "/tool-calls/timeseries?granularity=monthly&days=0")).send()).statusCode(),
        "days is not read for monthly");
    assertEquals(200, result(admin(gw.client.get(ANALYTICS + "/tool-calls/timeseries?days=179&tz=-12:00")).send()).statusCode());
    assertEquals(200, result(admin(gw.client.get(ANALYTICS + "/tool-calls/timeseries?days=1&tz=%2B14:00")).send()).statusCode());

    HttpResponse<Buffer> server = result(admin(gw.client.get(ANALYTICS + "/servers/missing/tool-calls/timeseries")).send());
    assertEquals(404, server.statusCode());
    assertEquals(2001, server.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    HttpResponse<Buffer> portal = result(admin(gw.client.get(ANALYTICS + "/portals/missing/tool-calls/timeseries")).send());
    assertEquals(404, portal.statusCode());
    assertEquals(2101, portal.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
  }

  @Test
  void aDatabaseOutageFailsNoCallAndItsCountsLandOnceTheDatabaseIsBack() {
    CuttableTcpProxy link = result(CuttableTcpProxy.start(vertx, "127.0.0.1", 5432));
    try {
      JsonObject config = TestGateway.config(dataDir, pg.name());
      String viaLink = Postgres.URL.replace("127.0.0.1:5432", "127.0.0.1:" + link.port());
      config.getJsonObject("store").put("pg_url", viaLink).put("pg_connect_timeout_ms", 1000);
      config.put("analytics", new JsonObject().put("flush_ms", 100));
      gw = startGateway(config);
      registerServerAndPortal();
      // a session opened while the database is up, its capabilities warm (as in DatabaseOutageTest)
      String session = initialize();
      assertEquals(200, toolCall(session, 1).statusCode());

      link.cut();
      for (int i = 2; i <= 5; i++) {
        HttpResponse<Buffer> answer = toolCall(session, i);
        assertEquals(200, answer.statusCode(), "a call while the database is down: " + answer.bodyAsString());
        assertTrue(answer.bodyAsString().contains("Echo: hi"), answer.bodyAsString());
      }
      Await.until(() -> scrape().value("mcp_gateway_analytics_flushes_total", Map.of("outcome", "failed")) > 0,
          "a flush has failed against the cut link");
      assertEquals(5, (long) scrape().value("mcp_gateway_tool_calls_total", Map.of("account", "acme")));

      link.restore();
      // read the store itself (not the API, which adds this replica's pending counts): the flush must land them
      Stores direct = result(Postgres.settings(pg.name()).open(vertx));
      try {
        ToolCallQuery all = new ToolCallQuery("acme", null, null, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
        Await.until(() -> stored(direct, all) == 5, "the five calls are in the database");
        // the clock started at 23:45:00 and the test takes well under a quarter hour: one bucket
        assertEquals(Map.of(new ToolCallKey("acme", ToolCallKey.bucketOf(AT), "every", null, "echo"), 5L), result(direct.toolCalls().read(all)),
            "counted once each, under the server's own endpoint");
      } finally {
        result(direct.close());
      }
      assertEquals(5, timeseries("", "").getLong("total"), "and the API answers them, nothing counted twice");
    } finally {
      if (gw != null) result(gw.stop());
      gw = null;
      result(link.close());
    }
  }

  long stored(Stores stores, ToolCallQuery query) {
    return result(stores.toolCalls().read(query)).values().stream().mapToLong(Long::longValue).sum();
  }

  String initialize() {
    HttpResponse<Buffer> response = result(mcp(null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String session = response.getHeader("Mcp-Session-Id");
    result(mcp(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized")));
    return session;
  }

  HttpResponse<Buffer> toolCall(String session, int id) {
    return result(mcp(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "echo").put("arguments", new JsonObject().put("message", "hi")))));
  }

  HttpRequest<Buffer> mcp(String session) {
    HttpRequest<Buffer> request = gw.client.post(TestGateway.mcp("acme", "every"))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }
}
