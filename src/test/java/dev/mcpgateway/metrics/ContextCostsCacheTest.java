package dev.mcpgateway.metrics;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server's cost is counted once per version, on a worker: the caller's event loop only schedules it. */
class ContextCostsCacheTest {
  static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

  Vertx vertx;
  ContextCosts costs;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    costs = new ContextCosts(vertx, portal -> Future.failedFuture("no portals here"), GatewayMetrics.create(Clock.systemUTC()),
        new ContextBudget(0));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  static McpServer server(int tools, Instant synced) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < tools; i++) {
      list.add(new JsonObject().put("name", "tool_" + i).put("description", "Lists the open issues of repository number " + i
          + " with their labels, assignees and last update, newest first.").put("inputSchema", new JsonObject().put("type", "object")
          .put("properties", new JsonObject().put("repository", new JsonObject().put("type", "string")))));
    }
    return McpServer.builder().accountId("acme").id("big").name("Big").hostname("https://big.example.com/mcp")
        .authType(AuthType.UNAUTHENTICATED).tools(list).status(ServerStatus.READY).lastSynced(synced).lastSuccessfulSync(synced)
        .createdAt(T).createdBy("t").modifiedAt(T).modifiedBy("t").build();
  }

  /** Runs {@code call} on an event loop and answers its future and how long the call itself held the loop. */
  record Timed(Future<ContextCost> cost, long heldNanos) {}

  Timed onEventLoop(McpServer server) {
    Context context = vertx.getOrCreateContext();
    Promise<Timed> timed = Promise.promise();
    context.runOnContext(v -> {
      assertTrue(Context.isOnEventLoopThread());
      long t0 = System.nanoTime();
      Future<ContextCost> cost = costs.server(server);
      timed.complete(new Timed(cost, System.nanoTime() - t0));
    });
    return result(timed.future());
  }

  @Test
  void countedOncePerVersionOffTheEventLoop() {
    McpServer big = server(3_000, T);
    Timed first = onEventLoop(big);
    assertFalse(first.cost().isComplete(), "the count is not done on the caller's event loop");
    long countStart = System.nanoTime();
    ContextCost cost = result(first.cost());
    long countNanos = System.nanoTime() - countStart + first.heldNanos();
    assertTrue(first.heldNanos() < countNanos, "the loop was held " + first.heldNanos() / 1e6 + " ms; the count took " + countNanos / 1e6 + " ms");
    assertEquals(ContextCost.of(big.tools()), cost);

    Timed again = onEventLoop(big);
    assertSame(first.cost(), again.cost(), "the same version is not counted again");
    assertSame(first.cost(), onEventLoop(big.toBuilder().name("Renamed").build()).cost(), "a change that no list depends on neither");

    McpServer resynced = server(2, T.plusSeconds(60));
    Timed second = onEventLoop(resynced);
    assertNotSame(first.cost(), second.cost(), "a sync is a new version");
    assertEquals(ContextCost.of(resynced.tools()), result(second.cost()));

    McpServer overridden = resynced.toBuilder().updatedTools(List.of(new CapabilityOverride("tool_0", null, null, false)))
        .modifiedAt(T.plusSeconds(120)).build();
    ContextCost afterOverride = result(onEventLoop(overridden).cost());
    assertEquals(ContextCost.of(new JsonArray().add(resynced.tools().getJsonObject(1))), afterOverride,
        "what the server's endpoint lists: overrides applied");
  }

  @Test
  void aServerThatNeverSyncedHasNoCostYet() {
    assertNull(result(costs.server(server(3, null).toBuilder().lastSuccessfulSync(null).build())));
  }
}
