package dev.mcpgateway;

import dev.mcpgateway.config.ConfigLoader;
import dev.mcpgateway.security.AdminTokenBootstrap;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import dev.mcpgateway.logging.LogSetup;
import dev.mcpgateway.metrics.GatewayMetrics;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts the gateway ({@code java -jar mcp-gateway.jar}), mints an API token ({@code mint-token NAME}),
 * or probes a running gateway's liveness ({@code healthcheck [URL]}, the container HEALTHCHECK).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("mint-token")) {
      mintToken(args.length > 1 ? args[1] : "automation");
      return;
    }
    if (args.length > 0 && args[0].equals("healthcheck")) {
      System.exit(HealthProbe.run(args.length > 1 ? args[1] : HealthProbe.defaultUrl()));
    }
    Clock clock = Clock.systemUTC();
    GatewayMetrics metrics = GatewayMetrics.create(clock);
    // Vert.x reports HTTP server and client metrics to the gateway's registry, labelled by route
    // template (never the raw path), method and status: bounded label sets
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
    ConfigLoader.load(vertx)
        .onSuccess(config -> LogSetup.apply(config.logLevel(), config.logFormat(), config.accessLog()))
        .compose(config -> Gateway.start(vertx, config, clock, metrics).onSuccess(gateway -> Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> stop(vertx, gateway, config.shutdownGrace().toMillis()), "shutdown"))))
        .onFailure(e -> {
          System.err.println("mcp-gateway failed to start: " + e.getMessage());
          vertx.close();
          System.exit(1);
        });
  }

  /**
   * SIGTERM: runs on the JVM's shutdown thread, never on an event loop, so it may wait — for the
   * in-flight requests (up to the configured grace), the upstream sessions and the store.
   */
  private static void stop(Vertx vertx, Gateway gateway, long graceMs) {
    CountDownLatch done = new CountDownLatch(1);
    gateway.stop().eventually(vertx::close).onComplete(r -> done.countDown());
    try {
      done.await(graceMs + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void mintToken(String name) {
    String token = AdminTokenBootstrap.mint(new SecureRandom());
    System.out.println("token:  " + token);
    System.out.println("sha256: " + TokenHash.sha256Hex(token));
    System.out.println();
    System.out.println("Add to conf/gateway.yaml under security.api_tokens (the gateway keeps only the hash):");
    System.out.println("  - name: " + name);
    System.out.println("    sha256: " + TokenHash.sha256Hex(token));
    System.out.println("    accounts: \"*\"   # or a list of account ids");
  }
}
