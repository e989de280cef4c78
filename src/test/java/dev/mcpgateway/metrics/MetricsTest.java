package dev.mcpgateway.metrics;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real traffic through the gateway, then a scrape of /metrics read with a Prometheus text parser. */
class MetricsTest {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  FakeUpstream upstream;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("metrics", new JsonObject().put("token", "scrape-token"));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "echo")).add(new JsonObject().put("name", "danger"))
        .add(new JsonObject().put("name", "plain"));
    upstream = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, tools, 0)));
  }

  @AfterEach
  void stop() {
    result(upstream.stop());
    result(gw.stop());
    result(vertx.close());
  }

  PrometheusText scrape() {
    HttpResponse<Buffer> response = result(gw.client.get("/metrics").putHeader("Authorization", "Bearer scrape-token").send());
    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("Content-Type").startsWith("text/plain"));
    return PrometheusText.parse(response.bodyAsString());
  }

  HttpRequest<Buffer> mcp(String session) {
    HttpRequest<Buffer> request = gw.client.request(HttpMethod.POST, TestGateway.mcp("acme", "srv"))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return request;
  }

  JsonObject call(String session, String tool) {
    return result(mcp(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", new JsonObject())))).bodyAsJsonObject();
  }

  @Test
  void countersMoveByTheRightAmountsWithTheRightLabelsAndStayBounded() {
    assertEquals(401, result(gw.client.get("/metrics").send()).statusCode(), "the scrape token is required");
    result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "srv").put("name", "srv").put("hostname", upstream.url()).put("auth_type", "unauthenticated")
            .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "say"))
                .add(new JsonObject().put("name", "danger").put("enabled", false)))));
    result(gw.client.post(TestGateway.servers("acme") + "/srv/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    result(gw.client.get(TestGateway.servers("acme") + "/nope").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());

    HttpResponse<Buffer> init = result(mcp(null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
    String session = init.getHeader("Mcp-Session-Id");
    result(mcp(session).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/list")));
    for (int i = 0; i < 3; i++) assertTrue(call(session, "say").containsKey("result"));
    assertTrue(call(session, "danger").containsKey("error"));
    for (int i = 0; i < 1000; i++) call(session, "random-" + UUID.randomUUID());

    PrometheusText metrics = scrape();
    assertEquals(3, metrics.value("mcp_gateway_tool_calls_total", Map.of("server", "srv", "tool", "say", "outcome", "ok")));
    assertEquals(1001, metrics.value("mcp_gateway_tool_calls_total", Map.of("server", "srv", "tool", "other", "outcome", "refused")),
        "the disabled tool and the 1,000 unknown names all count as 'other'");
    Set<String> toolLabels = metrics.samples("mcp_gateway_tool_calls_total").stream()
        .map(s -> s.getJsonObject("labels").getString("tool")).collect(Collectors.toSet());
    assertEquals(Set.of("say", "other"), toolLabels, "cardinality stays bounded");
    assertEquals(3, metrics.count("mcp_gateway_mcp_request_duration_seconds",
        Map.of("account", "acme", "server", "srv", "method", "tools/call", "outcome", "ok")));
    assertEquals(1001, metrics.count("mcp_gateway_mcp_request_duration_seconds", Map.of("method", "tools/call", "outcome", "refused")));
    assertEquals(1, metrics.count("mcp_gateway_mcp_request_duration_seconds", Map.of("method", "tools/list", "outcome", "ok")));
    assertEquals(1, metrics.count("mcp_gateway_mcp_request_duration_seconds", Map.of("method", "initialize", "outcome", "ok")));
    assertTrue(metrics.has("mcp_gateway_mcp_upstream_duration_seconds_count") && metrics.has("mcp_gateway_mcp_gateway_duration_seconds_count"));

    assertEquals(1, metrics.value("mcp_gateway_admin_requests_total", Map.of("operation", "create", "status", "200")));
    assertEquals(1, metrics.value("mcp_gateway_admin_requests_total", Map.of("operation", "sync", "status", "200")));
    assertEquals(1, metrics.value("mcp_gateway_admin_requests_total", Map.of("operation", "read", "status", "404")));
    assertEquals(1, metrics.count("mcp_gateway_sync_duration_seconds", Map.of("outcome", "ready")));
    assertEquals(3, metrics.value("mcp_gateway_server_tools", Map.of("account", "acme", "server", "srv")));
    double sinceSync = metrics.value("mcp_gateway_server_seconds_since_last_successful_sync", Map.of("server", "srv"));
    assertTrue(sinceSync >= 0 && sinceSync < 60, "seconds since the last successful sync: " + sinceSync);
    assertTrue(metrics.value("cache_gets_total", Map.of("cache", "capabilities", "result", "hit")) > 0, "Caffeine's binder");
    assertTrue(metrics.has("jvm_memory_used_bytes") && metrics.has("mcp_gateway_event_loop_lag_seconds"));
    assertEquals(1, metrics.value("mcp_gateway_sessions_active", java.util.Map.of()), "the one session of this test");

    // no secret anywhere in the exposition
    String raw = result(gw.client.get("/metrics").putHeader("Authorization", "Bearer scrape-token").send()).bodyAsString();
    for (String secret : Set.of(TestGateway.AGENT, TestGateway.ADMIN, "scrape-token", session)) assertFalse(raw.contains(secret), secret);
  }

  @Test
  void metricsCanMoveToTheirOwnPort() {
    result(gw.stop());
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("metrics", new JsonObject().put("port", 0));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
    assertTrue(gw.gateway.metricsPort() != gw.gateway.port());
    WebClient management = WebClient.create(vertx);
    HttpResponse<Buffer> scrape = result(management.get(gw.gateway.metricsPort(), "127.0.0.1", "/metrics").send());
    assertEquals(200, scrape.statusCode());
    assertTrue(PrometheusText.parse(scrape.bodyAsString()).has("jvm_memory_used_bytes"));
    assertEquals(200, result(management.get(gw.gateway.metricsPort(), "127.0.0.1", "/health/ready").send()).statusCode());
    assertEquals(404, result(gw.client.get("/metrics").send()).statusCode(), "not on the public port");
    management.close();
  }
}
