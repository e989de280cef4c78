package dev.mcpgateway.upstream;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundGuardTest {

  static Future<InetAddress> resolvesTo(String ip) {
    try {
      return Future.succeededFuture(InetAddress.getByName(ip));
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Test
  void aNameThatResolvesToMetadataIsRefusedAtConnectTimeAndRequestsArePinned() {
    AtomicInteger lookups = new AtomicInteger();
    // a rebinding DNS: the first answer was public when the admin registered the name, now it is metadata
    OutboundGuard guard = new OutboundGuard(new OutboundGuard.Policy(false, false), host -> {
      lookups.incrementAndGet();
      return resolvesTo(host.equals("rebind.example") ? "169.254.169.254" : "93.184.216.34");
    });
    Throwable refused = failure(guard.pin(new RequestOptions().setAbsoluteURI("http://rebind.example/mcp")));
    assertInstanceOf(OutboundGuard.ForbiddenAddressException.class, refused);
    RequestOptions pinned = result(guard.pin(new RequestOptions().setAbsoluteURI("https://public.example/mcp")));
    assertEquals("93.184.216.34", pinned.getServer().toString().replaceAll(":.*", ""));
    assertEquals("public.example", pinned.getHost(), "the name stays for Host, SNI and the certificate check");
    assertEquals(2, lookups.get());
    assertInstanceOf(OutboundGuard.ForbiddenAddressException.class,
        failure(guard.pin(new RequestOptions().setAbsoluteURI("http://[::ffff:169.254.169.254]/"))), "literals are judged without a lookup");
    assertEquals(2, lookups.get());
  }

  @Test
  void privateAndLoopbackAreRefusedOnlyWhenConfigured() {
    OutboundGuard open = new OutboundGuard(new OutboundGuard.Policy(false, false), OutboundGuardTest::resolvesTo);
    OutboundGuard strict = new OutboundGuard(new OutboundGuard.Policy(false, true), OutboundGuardTest::resolvesTo);
    for (String url : new String[] {"http://127.0.0.1:8080/", "http://10.1.2.3/", "http://192.168.1.1/", "http://172.16.0.1/", "http://[::1]/",
        "http://[fd12::1]/", "http://100.64.0.1/"}) {
      result(open.pin(new RequestOptions().setAbsoluteURI(url)));
      assertInstanceOf(OutboundGuard.ForbiddenAddressException.class, failure(strict.pin(new RequestOptions().setAbsoluteURI(url))), url);
    }
    result(strict.pin(new RequestOptions().setAbsoluteURI("http://8.8.8.8/")));
  }

  @Test
  void aSyncToADeniedAddressIsRefusedByTheGatewayNotRetried(@TempDir Path dataDir) {
    Vertx vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("outbound", new JsonObject().put("deny_private", true));
    TestGateway gw = result(TestGateway.start(vertx, config, dataDir, null));
    try {
      // a name, not a literal: the refusal happens on the resolved address, at connect time
      result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", "local").put("name", "local").put("hostname", "http://localhost:9/mcp")
              .put("auth_type", "unauthenticated")));
      JsonObject result = result(gw.client.post(TestGateway.servers("acme") + "/local/sync")
          .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()).bodyAsJsonObject().getJsonObject("result");
      assertEquals("error", result.getString("status"));
      JsonObject details = result.getJsonObject("error_details");
      assertEquals(false, details.getBoolean("is_upstream"));
      assertEquals(false, details.getBoolean("retryable"));
      assertTrue(details.getString("cause").contains("private or loopback"), details.encode());
    } finally {
      result(gw.stop());
      result(vertx.close());
    }
  }
}
