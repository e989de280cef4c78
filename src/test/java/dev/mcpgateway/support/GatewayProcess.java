package dev.mcpgateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway as a real child process ({@code dev.mcpgateway.Main} on the test classpath), for
 * what only a process can show: kill -9, SIGTERM, restart on the same data directory.
 */
public final class GatewayProcess {
  public final int port;
  private final Process process;
  private final Path log;

  private GatewayProcess(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  public static GatewayProcess start(Path dataDir, int port, Map<String, String> env) throws IOException {
    Path log = Files.createTempFile("gateway", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.mcpgateway.Main"))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.equals("PG_URL"));
    builder.environment().putAll(Map.of("GATEWAY_PORT", Integer.toString(port), "GATEWAY_HOST", "127.0.0.1",
        "GATEWAY_DATA_DIR", dataDir.toString(), "GATEWAY_STORE", "embedded", "GATEWAY_SYNC_ON_CREATE", "false",
        "GATEWAY_LOG_LEVEL", "warn"));
    builder.environment().putAll(env);
    GatewayProcess gateway = new GatewayProcess(port, builder.start(), log);
    gateway.awaitLive();
    return gateway;
  }

  public static int freePort() throws IOException {
    return freePorts(1)[0];
  }

  /** {@code count} distinct free ports: the sockets are held together, since two asked in turn may be the same port. */
  public static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) socket.close();
      }
    }
  }

  private void awaitLive() throws IOException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(200)).build();
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) throw new AssertionError("the gateway exited at start: " + Files.readString(log));
      try {
        HttpResponse<Void> live = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
            .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding());
        if (live.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("the gateway did not come up within 30 s: " + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then waits (bounded) for the process to exit; answers its exit code. */
  public int terminate(Duration wait) throws InterruptedException {
    sigterm();
    return awaitExit(wait);
  }

  /** SIGTERM without waiting: the test watches the shutdown happen. */
  public void sigterm() {
    process.destroy();
  }

  /** Waits (bounded) for the process to exit; answers its exit code. */
  public int awaitExit(Duration wait) throws InterruptedException {
    if (!process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the gateway did not stop within " + wait);
    }
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
