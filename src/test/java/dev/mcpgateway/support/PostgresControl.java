package dev.mcpgateway.support;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts this machine's PostgreSQL cluster, for the tests that prove the gateway survives
 * a database outage. Always start it again in a {@code finally}: later tests need it.
 */
public final class PostgresControl {
  private PostgresControl() {}

  public static void stop() {
    run("stop", "-m", "fast");
  }

  public static void start() {
    run("start");
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (exec(List.of("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432")) == 0) return;
      sleep(200);
    }
    throw new AssertionError("PostgreSQL did not come back within 30 s");
  }

  private static void run(String... action) {
    String[] versions = new File("/etc/postgresql").list();
    if (versions == null || versions.length == 0) throw new AssertionError("no PostgreSQL cluster under /etc/postgresql");
    List<String> command = new java.util.ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main"));
    command.addAll(List.of(action));
    int exit = exec(command);
    if (exit != 0 && !(action[0].equals("start") && exit == 2)) { // 2: already running
      throw new AssertionError("pg_ctlcluster " + String.join(" ", action) + " failed with exit " + exit);
    }
  }

  private static int exec(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
