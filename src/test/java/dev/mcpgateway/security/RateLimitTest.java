package dev.mcpgateway.security;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitTest {
  @TempDir Path dataDir;

  @Test
  void tokenBucketsRefillAtTheirRateUpToTheirBurst() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(2, 3, now::get);
    for (int i = 0; i < 3; i++) assertEquals(Optional.empty(), limiter.tryAcquire("k"), "burst of 3");
    Optional<Duration> wait = limiter.tryAcquire("k");
    assertTrue(wait.isPresent());
    assertEquals(500, wait.get().toMillis(), "one token every 500 ms at 2/s");
    assertEquals(Optional.empty(), limiter.tryAcquire("other"), "keys are independent");
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertEquals(Optional.empty(), limiter.tryAcquire("k"));
    now.addAndGet(Duration.ofSeconds(60).toNanos());
    for (int i = 0; i < 3; i++) assertEquals(Optional.empty(), limiter.tryAcquire("k"), "refilled, but only up to the burst");
    assertTrue(limiter.tryAcquire("k").isPresent());
    assertEquals(1, RateLimiter.retryAfterSeconds(Duration.ofMillis(1)));
    assertTrue(new RateLimiter(0, 1, now::get).unlimited());
  }

  @Test
  void clientTokensAndAccountsAreLimitedWith429AndRetryAfter() {
    Vertx vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("limits", new JsonObject().put("client_rps", 0.5).put("client_burst", 2).put("account_rps", 0).put("auth_failures_per_minute", 0));
    TestGateway gw = result(TestGateway.start(vertx, config, dataDir, null));
    try {
      int[] statuses = new int[3];
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 3; i++) {
        last = result(gw.client.post(TestGateway.mcp("acme", "nope")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
            .putHeader("Accept", "application/json, text/event-stream")
            .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", i).put("method", "ping")));
        statuses[i] = last.statusCode();
      }
      assertTrue(statuses[0] != 429 && statuses[1] != 429, "the burst passes");
      assertEquals(429, statuses[2]);
      assertEquals("2", last.getHeader("Retry-After"), "a token every 2 s");
      // another client token has its own bucket
      HttpResponse<Buffer> other = result(gw.client.post(TestGateway.mcp("acme", "nope")).putHeader("Authorization", "Bearer " + TestGateway.ACME_AGENT)
          .putHeader("Accept", "application/json, text/event-stream")
          .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "ping")));
      assertTrue(other.statusCode() != 429);
    } finally {
      result(gw.stop());
      result(vertx.close());
    }
  }

  @Test
  void repeatedFailedAuthenticationsThrottleTheAddressEvenForAValidToken() {
    Vertx vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("limits", new JsonObject().put("client_rps", 0).put("account_rps", 0).put("auth_failures_per_minute", 5));
    TestGateway gw = result(TestGateway.start(vertx, config, dataDir, null));
    try {
      for (int i = 0; i < 5; i++) {
        assertEquals(401, result(gw.client.get(TestGateway.servers("acme")).putHeader("Authorization", "Bearer guess-" + i).send()).statusCode());
      }
      HttpResponse<Buffer> throttled = result(gw.client.get(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
      assertEquals(429, throttled.statusCode(), "no token is checked while throttled: guessing learns nothing");
      assertEquals(9004, throttled.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("code"));
      assertTrue(throttled.getHeader("Retry-After") != null);
      assertEquals(429, result(gw.client.post(TestGateway.mcp("acme", "x")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
          .sendJsonObject(new JsonObject())).statusCode(), "the MCP endpoint shares the address's failure budget");
    } finally {
      result(gw.stop());
      result(vertx.close());
    }
  }
}
