package dev.mcpgateway.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code test-peers/agent.mjs}: the official TypeScript SDK client performing a list of steps
 * against an MCP endpoint, and answers its JSON report. Bounded: a hung agent is killed.
 */
public final class NodeAgent {
  private NodeAgent() {}

  public static JsonObject run(String url, String token, JsonArray steps) {
    return runScript(List.of("node", "agent.mjs", url, token == null ? "" : token, steps.encode()));
  }

  /** The same with these headers on every request instead of a bearer token (a service token's CF-Access-Client-Id and -Secret). */
  public static JsonObject runWithHeaders(String url, java.util.Map<String, String> headers, JsonArray steps) {
    return runScript(List.of("node", "agent.mjs", url, new JsonObject(new java.util.LinkedHashMap<>(headers)).encode(), steps.encode()));
  }

  /**
   * The same with the official TypeScript SDK v2 client ({@code agent-modern.mjs}); {@code mode} is its
   * version negotiation: {@code auto} (probe the 2026-07-28 era with server/discover, fall back to
   * initialize), {@code legacy} or {@code pin}. The report also carries {@code era} and {@code version}.
   */
  public static JsonObject runModern(String url, String token, String mode, JsonArray steps) {
    return runScript(List.of("node", "agent-modern.mjs", url, token == null ? "" : token, mode, steps.encode()));
  }

  /**
   * Any other script of {@code test-peers/} that prints its JSON report as its last line (e.g.
   * {@code cloudflare-portals.mjs}, the Cloudflare API library driving the management API).
   */
  public static JsonObject runReport(String script, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return runScript(command);
  }

  /** {@link #runReport} with extra environment (e.g. {@code SCREENSHOT_DIR}). */
  public static JsonObject runReport(java.util.Map<String, String> env, String script, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return runScript(command, env);
  }

  private static JsonObject runScript(List<String> command) {
    return runScript(command, java.util.Map.of());
  }

  private static JsonObject runScript(List<String> command, java.util.Map<String, String> env) {
    try {
      // files, not pipes: a large report must not block the agent on a full pipe
      java.nio.file.Path out = java.nio.file.Files.createTempFile("agent", ".out");
      java.nio.file.Path err = java.nio.file.Files.createTempFile("agent", ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(NodePeer.testPeers().toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(1) + " did not finish within 60 s");
      }
      String stdout = java.nio.file.Files.readString(out, StandardCharsets.UTF_8).trim();
      String stderr = java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
      java.nio.file.Files.deleteIfExists(out);
      java.nio.file.Files.deleteIfExists(err);
      String last = stdout.isEmpty() ? "" : stdout.substring(stdout.lastIndexOf('\n') + 1);
      if (!last.startsWith("{")) {
        throw new AssertionError(command.get(1) + " printed no report; stdout: " + stdout + "; stderr: " + stderr);
      }
      return new JsonObject(last);
    } catch (IOException e) {
      throw new AssertionError("cannot run node " + command.get(1), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static JsonObject step(JsonObject report, int index) {
    return report.getJsonArray("steps").getJsonObject(index);
  }
}
