package dev.mcpgateway.deploy;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.Gateway;
import dev.mcpgateway.config.GatewayConfig;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.MeteredVertx;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.NodePeer;
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
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A gateway as the process runs it (its Vert.x reporting HTTP metrics to the gateway's registry)
 * with real traffic to a real upstream, so that the labelled series a dashboard queries exist:
 * {@code test-peers/oauth-server.mjs} (oidc-provider in front of a protected MCP server) as an
 * {@code oauth} server with the {@code client_credentials} grant (upstream token requests), synced;
 * a second server never synced; a portal of both (the first with the gateway's own credentials, not
 * each user's; the second left out); agent messages straight to the
 * server and through the portal; one Code Mode run; the context-cost gauges awaited.
 */
final class GatewayUnderTraffic implements AutoCloseable {
  private final NodePeer upstream;
  private final Vertx vertx;
  private final Gateway gateway;
  private final WebClient client;

  private GatewayUnderTraffic(NodePeer upstream, Vertx vertx, Gateway gateway, WebClient client) {
    this.upstream = upstream;
    this.vertx = vertx;
    this.gateway = gateway;
    this.client = client;
  }

  static GatewayUnderTraffic start(Path dataDir) {
    NodePeer upstream = NodePeer.start("oauth-server.mjs", Map.of());
    GatewayMetrics metrics = GatewayMetrics.create(Clock.systemUTC());
    Vertx vertx = MeteredVertx.create(metrics);
    Gateway gateway = result(Gateway.start(vertx, GatewayConfig.fromJson(TestGateway.config(dataDir, null)), Clock.systemUTC(), metrics));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
    GatewayUnderTraffic traffic = new GatewayUnderTraffic(upstream, vertx, gateway, client);
    traffic.drive();
    return traffic;
  }

  private void drive() {
    // the issuer is http://localhost:<port>: the upstream must be named the same way for discovery to agree
    admin(HttpMethod.POST, TestGateway.servers("acme"), new JsonObject().put("id", "m2m").put("name", "m2m")
        .put("hostname", "http://localhost:" + upstream.port() + "/mcp").put("auth_type", "oauth")
        .put("auth_credentials", new JsonObject().put("client_id", "conf-client").put("client_secret", "conf-secret")
            .put("grant_type", "client_credentials").encode()));
    JsonObject synced = admin(HttpMethod.POST, TestGateway.servers("acme") + "/m2m/sync", null);
    if (!"ready".equals(synced.getString("status"))) throw new IllegalStateException("sync: " + synced.encode());
    admin(HttpMethod.POST, TestGateway.servers("acme"), new JsonObject().put("id", "pending").put("name", "pending")
        .put("hostname", "http://localhost:" + upstream.port() + "/mcp").put("auth_type", "unauthenticated"));
    admin(HttpMethod.POST, TestGateway.portals("acme"), new JsonObject().put("id", "team").put("name", "Team")
        .put("hostname", "team.portal.test").put("code_mode", "opt_in")
        .put("servers", new JsonArray().add(new JsonObject().put("server_id", "m2m").put("on_behalf", false)).add(new JsonObject().put("server_id", "pending"))));

    String direct = TestGateway.mcp("acme", "m2m");
    String session = initialize(direct);
    mcp(direct, session, "tools/list", new JsonObject());
    mcp(direct, session, "tools/call", new JsonObject().put("name", "echo").put("arguments", new JsonObject().put("message", "hi")));
    String portal = "/mcp/acme/portals/team";
    String portalSession = initialize(portal);
    mcp(portal, portalSession, "tools/list", new JsonObject());
    mcp(portal, portalSession, "tools/call", new JsonObject().put("name", "m2m_echo").put("arguments", new JsonObject().put("message", "hi")));
    String codeMode = portal + "?codemode=search_and_execute";
    mcp(codeMode, initialize(codeMode), "tools/call", new JsonObject().put("name", "portal_codemode_search")
        .put("arguments", new JsonObject().put("code", "async () => codemode.tools().length")));

    // jvm_gc_pause_seconds appears with the first collection, which a short run may not reach on its own
    System.gc();
    // counted on a worker after a sync or a portal change, not on the request path
    Await.until(() -> scrape().has("mcp_gateway_server_context_tokens") && scrape().has("mcp_gateway_portal_context_tokens"),
        "the context-cost gauges are set");
  }

  PrometheusText scrape() {
    return PrometheusText.parse(result(client.get("/metrics").send()).bodyAsString());
  }

  private JsonObject admin(HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = client.request(method, path).putHeader("Authorization", "Bearer " + TestGateway.ADMIN);
    HttpResponse<Buffer> response = result(body == null ? request.send() : request.sendJsonObject(body));
    if (response.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  private String initialize(String path) {
    HttpResponse<Buffer> response = post(path, null, new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "dashboards").put("version", "1"))));
    String session = response.getHeader("Mcp-Session-Id");
    if (session == null) throw new IllegalStateException("initialize " + path + ": " + response.statusCode() + " " + response.bodyAsString());
    post(path, session, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
    return session;
  }

  private void mcp(String path, String session, String method, JsonObject params) {
    HttpResponse<Buffer> response = post(path, session, new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", method).put("params", params));
    if (response.statusCode() != 200 || response.bodyAsString().contains("\"error\"")) {
      throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.bodyAsString());
    }
  }

  private HttpResponse<Buffer> post(String path, String session, JsonObject message) {
    HttpRequest<Buffer> request = client.post(path).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
    if (session != null) request.putHeader("Mcp-Session-Id", session);
    return result(request.sendJsonObject(message));
  }

  @Override
  public void close() {
    client.close();
    result(gateway.stop());
    result(vertx.close());
    upstream.close();
  }
}
