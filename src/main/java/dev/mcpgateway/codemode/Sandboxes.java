package dev.mcpgateway.codemode;

import dev.mcpgateway.concurrency.Contexts;
import dev.mcpgateway.config.CodeModeSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The sandbox processes that run agents' code: up to {@code sandboxes} of them, started on first
 * use and kept, each doing one run at a time; runs beyond that wait in a queue of
 * {@code max_queued} and beyond that are refused ({@code busy}). A process that dies is replaced
 * when a run needs it. All state lives on one context of the pool's own.
 *
 * <p>Why processes: a JVM's heap is the one memory limit that holds against any allocation
 * (GraalJS's community edition has no heap limit of its own), and code that exhausts it takes
 * down only its sandbox; the processes run at a lower CPU priority ({@code nice}) than the
 * gateway, so a run that spins cannot slow the gateway's event loops.
 */
public final class Sandboxes {
  private static final System.Logger LOG = System.getLogger(Sandboxes.class.getName());

  private record Waiting(String mode, String code, JsonArray tools, ToolCaller caller, Promise<CodeResult> result) {}

  private final Context owner;
  private final CodeModeSettings settings;
  private final List<String> command;
  private final List<SandboxProcess> processes = new ArrayList<>();
  private final Deque<SandboxProcess> idle = new ArrayDeque<>();
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private long runs;
  private int running;
  private int starting;
  private boolean closed;

  public Sandboxes(Vertx vertx, CodeModeSettings settings) {
    this.owner = vertx.getOrCreateContext();
    this.settings = settings;
    this.command = command(settings.limits());
  }

  public SandboxLimits limits() {
    return settings.limits();
  }

  /** Runs {@code code} ({@code mode}: {@code search} or {@code execute}) with {@code tools} as {@code codemode}'s tools. */
  public Future<CodeResult> run(String mode, String code, JsonArray tools, ToolCaller caller) {
    return Contexts.on(owner, () -> {
      Promise<CodeResult> result = Promise.promise();
      if (closed) return Future.succeededFuture(CodeResult.refused("busy", "Code Mode is shutting down"));
      if (running + waiting.size() >= settings.sandboxes() + settings.maxQueued()) {
        return Future.succeededFuture(CodeResult.refused("busy", "Code Mode is busy: " + running + " runs are going on and "
            + waiting.size() + " are waiting; try again shortly"));
      }
      waiting.add(new Waiting(mode, code, tools, caller, result));
      dispatch();
      return result.future();
    });
  }

  /** Sandbox processes alive now. */
  public int size() {
    return processes.size();
  }

  /** Kills every sandbox process (at shutdown); runs still going fail. */
  public Future<Void> close() {
    return Contexts.on(owner, () -> {
      closed = true;
      processes.forEach(SandboxProcess::kill);
      waiting.forEach(w -> w.result().tryComplete(CodeResult.refused("busy", "Code Mode is shutting down")));
      waiting.clear();
      return Future.succeededFuture();
    });
  }

  private void dispatch() {
    while (!waiting.isEmpty() && !idle.isEmpty()) {
      SandboxProcess process = idle.poll();
      if (!process.alive()) continue;
      Waiting next = waiting.poll();
      running++;
      process.run(++runs, next.mode(), next.code(), next.tools(), next.caller()).onComplete(done -> {
        running--;
        next.result().tryComplete(done.succeeded() ? done.result() : CodeResult.refused("crashed", "the sandbox failed"));
        if (process.alive() && processes.contains(process)) idle.add(process);
        dispatch();
      });
    }
    if (waiting.size() > starting && processes.size() + starting < settings.sandboxes() && !closed) start();
  }

  private void start() {
    starting++;
    // fork and exec take milliseconds: on a worker, never on the event loop
    owner.owner().executeBlocking(() -> SandboxProcess.start(owner, settings.limits(), command, this::exited), false).onComplete(started -> {
      starting--;
      if (started.failed()) {
        LOG.log(System.Logger.Level.ERROR, "codemode: cannot start a sandbox process: " + started.cause().getMessage());
        Waiting next = waiting.poll();
        if (next != null) next.result().tryComplete(CodeResult.refused("crashed", "Code Mode cannot start its sandbox"));
        return;
      }
      SandboxProcess process = started.result();
      if (closed) {
        process.kill();
        return;
      }
      processes.add(process);
      process.ready().onComplete(r -> {
        if (r.succeeded() && processes.contains(process)) {
          idle.add(process);
        } else if (r.failed()) { // one waiting run pays for a sandbox that cannot start, so that a broken setup cannot loop
          LOG.log(System.Logger.Level.ERROR, "codemode: a sandbox process did not start: " + r.cause().getMessage());
          Waiting next = waiting.poll();
          if (next != null) next.result().tryComplete(CodeResult.refused("crashed", "Code Mode cannot start its sandbox"));
        }
        dispatch();
      });
    });
  }

  private void exited(SandboxProcess process) {
    processes.remove(process);
    idle.remove(process);
    if (!closed) {
      LOG.log(System.Logger.Level.INFO, "codemode: a sandbox process ended; " + processes.size() + " left");
      dispatch();
    }
  }

  /** The sandbox's command line: this JVM's {@code java} and classpath, with the sandbox's heap and a lower priority. */
  static List<String> command(SandboxLimits limits) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/nice"))) command.addAll(List.of("/usr/bin/nice", "-n", "10"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx" + limits.heapMb() + "m", "-Xss4m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-XX:ActiveProcessorCount=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-cp", System.getProperty("java.class.path"), "dev.mcpgateway.codemode.child.SandboxMain", limits.toJson().encode()));
    return command;
  }
}
