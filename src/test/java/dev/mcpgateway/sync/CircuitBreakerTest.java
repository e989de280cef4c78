package dev.mcpgateway.sync;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeated connection failures open an upstream's circuit; a probe after the reset closes it. */
class CircuitBreakerTest {

  JsonObject sync(TestGateway gw) {
    return result(gw.client.post(TestGateway.servers("acme") + "/flaky/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send())
        .bodyAsJsonObject().getJsonObject("result");
  }

  static double circuitsOpen(TestGateway gw) {
    String scrape = result(gw.client.get("/metrics").send()).bodyAsString();
    return scrape.lines().filter(line -> line.startsWith("mcp_gateway_upstream_circuits_open "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
        .orElseThrow(() -> new AssertionError("no mcp_gateway_upstream_circuits_open in /metrics"));
  }

  @Test
  void afterRepeatedFailuresCallsFailFastUntilAProbeSucceeds(@TempDir Path dataDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("upstream").put("breaker_failures", 3).put("breaker_reset_ms", 500);
    TestGateway gw = result(TestGateway.start(vertx, config, dataDir, null));
    int port = GatewayProcess.freePort(); // nothing listens there yet
    FakeUpstream upstream = null;
    try {
      result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", "flaky").put("name", "flaky").put("hostname", "http://127.0.0.1:" + port + "/mcp")
              .put("auth_type", "unauthenticated")));
      for (int i = 0; i < 3; i++) {
        JsonObject failed = sync(gw);
        assertTrue(failed.getJsonObject("error_details").getString("cause").contains("refused"), failed.encode());
      }
      JsonObject open = sync(gw);
      assertTrue(open.getJsonObject("error_details").getString("cause").contains("circuit open"), open.encode());
      assertEquals(true, open.getJsonObject("error_details").getBoolean("retryable"));
      assertEquals(1.0, circuitsOpen(gw), "the open circuit is counted");

      upstream = result(FakeUpstream.start(vertx, port, FakeUpstream.wellBehaved(vertx, new JsonArray().add(new JsonObject().put("name", "t")), 0)));
      assertTrue(sync(gw).getJsonObject("error_details").getString("cause").contains("circuit open"), "still open before the reset");
      Thread.sleep(700);
      assertEquals("ready", sync(gw).getString("status"), "the half-open probe succeeds and closes the circuit");
      assertEquals("ready", sync(gw).getString("status"));
      assertEquals(0.0, circuitsOpen(gw), "closed again");
    } finally {
      if (upstream != null) result(upstream.stop());
      result(gw.stop());
      result(vertx.close());
    }
  }
}
