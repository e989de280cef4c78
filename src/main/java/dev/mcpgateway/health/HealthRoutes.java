package dev.mcpgateway.health;

import dev.mcpgateway.store.ServerStore;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * {@code /health/live}: the event loop answers. {@code /health/ready}: the store answers too, so
 * an orchestrator stops routing to a replica whose database is gone.
 */
public final class HealthRoutes {
  private static final long STORE_CHECK_TIMEOUT_MS = 2000;

  private HealthRoutes() {}

  public static void mount(Vertx vertx, Router router, ServerStore store) {
    HealthCheckHandler live = HealthCheckHandler.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK()));
    HealthCheckHandler ready = HealthCheckHandler.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK()))
        .register("store", STORE_CHECK_TIMEOUT_MS, promise -> store.ping()
            .onSuccess(ok -> promise.complete(Status.OK()))
            .onFailure(e -> promise.complete(Status.KO())));
    router.get("/health/live").handler(live);
    router.get("/health/ready").handler(ready);
  }
}
