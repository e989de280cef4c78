package dev.mcpgateway.metrics;

import dev.mcpgateway.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * The gateway's Vert.x instance, reporting its HTTP server and client metrics to the gateway's
 * registry (and tracing with {@code tracing}, when on). One place, so that the process
 * ({@code Main}) and the test that checks the shipped dashboards against a live scrape expose
 * exactly the same {@code vertx_*} series.
 */
public final class MeteredVertx {
  private MeteredVertx() {}

  public static Vertx create(GatewayMetrics metrics) {
    return create(metrics, Tracing.OFF);
  }

  public static Vertx create(GatewayMetrics metrics, Tracing tracing) {
    // labelled by route template (never the raw path), method and status: bounded label sets
    return tracing.build(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))),
        builder -> builder.withMetrics(new MicrometerMetricsFactory(metrics.registry())));
  }
}
