package dev.mcpgateway;

import dev.mcpgateway.tracing.Tracing;
import dev.mcpgateway.config.ConfigLoader;
import dev.mcpgateway.security.AdminTokenBootstrap;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.mcpgateway.logging.LogSetup;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.MeteredVertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts the gateway ({@code java -jar mcp-gateway.jar}), mints an API token ({@code mint-token NAME}) or a
 * local user's password hash ({@code mint-password NAME}, the password on standard input),
 * or probes a running gateway's liveness ({@code healthcheck [URL]}, the container HEALTHCHECK).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("mint-token")) {
      mintToken(args.length > 1 ? args[1] : "automation");
      return;
    }
    if (args.length > 0 && args[0].equals("mint-password")) {
      System.exit(mintPassword(args.length > 1 ? args[1] : "user"));
    }
    if (args.length > 0 && args[0].equals("healthcheck")) {
      System.exit(HealthProbe.run(args.length > 1 ? args[1] : HealthProbe.defaultUrl()));
    }
    Clock clock = Clock.systemUTC();
    GatewayMetrics metrics = GatewayMetrics.create(clock);
    // traces only when OTEL_* configures an exporter (see tracing/Tracing): otherwise Vert.x has no tracer at all
    Tracing tracing = Tracing.fromEnvironment();
    Vertx vertx = MeteredVertx.create(metrics, tracing);
    ConfigLoader.load(vertx)
        .onSuccess(config -> LogSetup.apply(config.logging().level(), config.logging().format(), config.logging().access()))
        .compose(config -> Gateway.start(vertx, config, clock, metrics).onSuccess(gateway -> Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> stop(vertx, gateway, tracing, config.server().shutdownGrace()), "shutdown"))))
        .onFailure(e -> {
          System.err.println("mcp-gateway failed to start: " + e.getMessage());
          vertx.close();
          System.exit(1);
        });
  }

  /**
   * SIGTERM: runs on the JVM's shutdown thread, never on an event loop, so it may wait — for the
   * in-flight requests (up to the configured grace), the upstream sessions and the store — and then
   * for Vert.x itself. The two waits are separate on purpose: {@link Gateway#stop()}'s future
   * belongs to an event-loop context, so a listener chained onto it after {@code vertx.close()} is
   * handed to a terminated event loop (a RejectedExecutionException, and a listener that never
   * runs). {@code vertx.close()}'s own future has no context and completes on a fresh thread.
   */
  private static void stop(Vertx vertx, Gateway gateway, Tracing tracing, Duration grace) {
    await(gateway.stop(), grace.plus(STOP_MARGIN));
    tracing.shutdown(STOP_MARGIN); // the last requests' spans leave before the process does
    await(vertx.close(), STOP_MARGIN);
  }

  /** Beyond the grace period: ending upstream sessions, closing the store, then Vert.x's own pools. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  private static void await(Future<?> future, Duration bound) {
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(r -> done.countDown());
    try {
      if (!done.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("mcp-gateway: shutdown step still running after " + bound.toMillis() + " ms; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A local user's {@code password_hash} for {@code sign_in.local_users}: the password is read from
   * the terminal without echo (or the first line of standard input), never from the command line.
   */
  private static int mintPassword(String name) {
    String password;
    java.io.Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("password for %s: ", name);
      password = typed == null ? null : new String(typed);
    } else {
      try {
        password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
      } catch (java.io.IOException e) {
        password = null;
      }
    }
    if (password == null || password.isEmpty()) {
      System.err.println("no password given");
      return 2;
    }
    String hash = dev.mcpgateway.security.PasswordHash.pbkdf2(password, dev.mcpgateway.security.PasswordHash.ITERATIONS, new SecureRandom());
    System.out.println("Add to sign_in.local_users (the gateway keeps only the hash):");
    System.out.println("  - name: " + name);
    System.out.println("    password_hash: \"" + hash + "\"");
    System.out.println("    email: " + name + "@example.com   # the user's e-mail, for access policies");
    System.out.println("    groups: []");
    return 0;
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
