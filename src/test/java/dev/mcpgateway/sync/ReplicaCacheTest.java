package dev.mcpgateway.sync;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.Postgres;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two gateway replicas on one PostgreSQL share nothing but the database and the secret key. */
class ReplicaCacheTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final String schema = Postgres.newSchema();
  Vertx vertx;
  TestGateway a;
  TestGateway b;
  FakeUpstream upstream;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    a = result(TestGateway.start(vertx, dirA, schema));
    b = result(TestGateway.start(vertx, dirB, schema));
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "echo")).add(new JsonObject().put("name", "add"));
    upstream = result(FakeUpstream.start(vertx, FakeUpstream.wellBehaved(vertx, tools, 0)));
  }

  @AfterEach
  void stop() {
    result(upstream.stop());
    result(a.stop());
    result(b.stop());
    result(Postgres.dropSchema(vertx, schema));
    result(vertx.close());
  }

  @Test
  void aChangeThroughOneReplicaInvalidatesTheOthersCacheWithinASecond() throws Exception {
    result(a.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "shared").put("name", "Shared").put("hostname", upstream.url())
            .put("auth_type", "unauthenticated")));
    result(a.client.post(TestGateway.servers("acme") + "/shared/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());

    // replica B serves the synced view from its cache
    Capabilities before = result(b.gateway.cache().get("acme", "shared"));
    assertEquals(List.of("echo", "add"), names(before.exposedTools()));

    // an update through A reaches B's cache, which reloads the new view
    result(a.client.put(TestGateway.servers("acme") + "/shared").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("updated_tools", new JsonArray()
            .add(new JsonObject().put("name", "echo").put("alias", "say"))
            .add(new JsonObject().put("name", "add").put("enabled", false)))));
    waitFor(() -> !b.gateway.cache().contains("acme", "shared"), 1000, "B's cache entry was not invalidated within 1 s");
    assertEquals(List.of("say"), names(result(b.gateway.cache().get("acme", "shared")).exposedTools()));

    // and so does a delete
    result(a.client.delete(TestGateway.servers("acme") + "/shared").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
    waitFor(() -> !b.gateway.cache().contains("acme", "shared"), 1000, "B still caches a deleted server");
  }

  @Test
  void aReplicaThatLostItsListenConnectionReconnectsAndForgetsEverything() throws Exception {
    // B hears of the create (NOTIFY) some time after A answered; loading B's cache before that lets the
    // notification empty it again, so the load waits until B has heard it (B's cache, listening first, has too)
    Promise<Void> bHeardTheCreate = Promise.promise();
    b.gateway.store().onChange(key -> {
      if (key.equals(new ServerKey("acme", "s"))) bHeardTheCreate.tryComplete();
    });
    result(a.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "s").put("name", "S").put("hostname", upstream.url()).put("auth_type", "unauthenticated")));
    result(bHeardTheCreate.future());
    result(b.gateway.cache().get("acme", "s"));
    assertTrue(b.gateway.cache().contains("acme", "s"));

    // as a database restart would: the server drops every LISTEN connection of this schema
    Pool admin = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(Postgres.URL)).using(vertx).build();
    try {
      long killed = result(admin.preparedQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
          + "WHERE application_name = 'mcp-gateway-listen' AND query ILIKE $1").execute(Tuple.of("%mcpgw_" + schema + "%")))
          .iterator().next().getLong(0);
      assertEquals(2, killed, "one LISTEN connection per replica");
    } finally {
      result(admin.close());
    }
    // notifications may have been missed while disconnected: after reconnecting, B forgets everything
    waitFor(() -> !b.gateway.cache().contains("acme", "s"), 5000, "B did not reconnect and invalidate");
    result(b.gateway.cache().get("acme", "s"));
    result(a.client.put(TestGateway.servers("acme") + "/s").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("name", "after reconnect")));
    waitFor(() -> !b.gateway.cache().contains("acme", "s"), 1000, "changes are heard again after the reconnection");
  }

  private static List<String> names(JsonArray tools) {
    return tools.stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  private static void waitFor(BooleanSupplier condition, long millis, String message) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError(message);
      Thread.sleep(10);
    }
  }
}
