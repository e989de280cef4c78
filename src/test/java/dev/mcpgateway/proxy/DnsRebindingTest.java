package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS-rebinding protection with no {@code allowed_origins} configured (the default): a browser
 * {@code Origin} other than the gateway's own, a loopback one over loopback, or a portal's own on
 * its hostname is refused with 403; a gateway bound to loopback also refuses foreign {@code Host}s.
 * The check runs before authentication, so any answer but 403 means it let the request through.
 */
class DnsRebindingTest {
  @TempDir Path dataDir;
  Vertx vertx = Vertx.vertx();
  TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) result(gw.stop());
    result(vertx.close());
  }

  void start(String host, String publicUrl) {
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("server").put("host", host);
    if (publicUrl != null) config.put("oauth", new JsonObject().put("public_base_url", publicUrl));
    gw = result(TestGateway.start(vertx, config, dataDir, null));
  }

  int post(String path, String hostHeader, String origin) {
    HttpRequest<Buffer> request = gw.client.post(path).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
    if (hostHeader != null) request.putHeader("Host", hostHeader);
    if (origin != null) request.putHeader("Origin", origin);
    return result(request.sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"))).statusCode();
  }

  @Test
  void foreignOriginsAreRefusedAndTheGatewaysOwnAndLoopbackOnesPass() {
    start("127.0.0.1", "https://gw.example.com");
    String server = TestGateway.mcp("acme", "srv");
    assertEquals(403, post(server, null, "https://evil.example"));
    assertEquals(403, post(server, null, "http://evil.example:8080"));
    assertEquals(403, post(server, null, "null"), "opaque origins (sandboxed frames, files)");
    assertEquals(403, post(server, null, "not an origin"));
    assertEquals(403, post(server, null, "https://gw.example.com.evil.example"));
    assertNotEquals(403, post(server, null, "https://gw.example.com"), "the gateway's public URL");
    assertNotEquals(403, post(server, null, "https://GW.example.com:443"), "compared as origins: case and default port");
    assertNotEquals(403, post(server, null, "http://localhost:6274"), "a local tool over loopback (the MCP Inspector)");
    assertNotEquals(403, post(server, null, "http://127.0.0.1:5173"));
    assertNotEquals(403, post(server, null, null), "agents that are not browsers send no Origin");
    assertEquals(403, post("/mcp/acme/portals/team", null, "https://evil.example"), "portals by path too");
  }

  @Test
  void aGatewayOnLoopbackRefusesForeignHostsButServesLoopbackNamesAndItsPublicHost() {
    start("127.0.0.1", "https://gw.example.com");
    String server = TestGateway.mcp("acme", "srv");
    int port = gw.gateway.port();
    assertEquals(403, post(server, "evil.example", null), "a rebound name arrives with the attacker's Host");
    assertEquals(403, post(server, "evil.example:" + port, null));
    assertNotEquals(403, post(server, "localhost:" + port, null));
    assertNotEquals(403, post(server, "127.0.0.1:" + port, null));
    assertNotEquals(403, post(server, "[::1]:" + port, null));
    assertNotEquals(403, post(server, "gw.example.com", null), "behind a reverse proxy that keeps the public Host");
    // a portal's hostname route: the Host names the portal (only registered ones resolve), and its own origin may call it
    assertNotEquals(403, post("/mcp", "team.portal.test", null));
    assertNotEquals(403, post("/mcp", "team.portal.test", "https://team.portal.test"));
    assertEquals(403, post("/mcp", "team.portal.test", "https://evil.example"));
  }

  @Test
  void aGatewayOnAllInterfacesLeavesHostAloneButStillChecksOrigins() {
    start("0.0.0.0", null);
    String server = TestGateway.mcp("acme", "srv");
    assertNotEquals(403, post(server, "gateway.internal", null));
    assertEquals(403, post(server, "gateway.internal", "https://evil.example"));
  }
}
