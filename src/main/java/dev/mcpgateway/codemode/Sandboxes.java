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
import java.util.Iterator;
import java.util.List;

/**
 * The sandbox processes that run agents' code: up to {@code sandboxes} of them, started on first
 * use and kept, each doing one run at a time and only ever for one account (a process that served
 * another account is retired, not reused, when the pool is full and a run of a new account
 * waits); runs beyond that wait in a queue of {@code max_queued}, at most their time limit, and
 * beyond that are refused ({@code busy}). A process that dies is replaced when a run needs it.
 * All state lives on one context of the pool's own.
 *
 * <p>Why processes: a JVM's heap is the one memory limit that holds against any allocation
 * (GraalJS's community edition has no heap limit of its own), and code that exhausts it takes
 * down only its sandbox. The processes get none of the gateway's environment (its secret key,
 * tokens, database URL), no JVM attach or perf data, no network where the system lets an
 * unprivileged process drop it ({@code unshare -rn}: a user and network namespace of their own,
 * probed once), and a lower CPU priority ({@code nice}) than the gateway.
 */
public final class Sandboxes {
  private static final System.Logger LOG = System.getLogger(Sandboxes.class.getName());

  /** A run waiting for a sandbox, and the timer that gives up on it. */
  private static final class Waiting {
    final String account;
    final String mode;
    final String code;
    final JsonArray tools;
    final ToolCaller caller;
    final Promise<CodeResult> result;
    long expiry;
    /** Where it runs, once it does. */
    SandboxProcess process;
    long runId;

    Waiting(String account, String mode, String code, JsonArray tools, ToolCaller caller, Promise<CodeResult> result) {
      this.account = account;
      this.mode = mode;
      this.code = code;
      this.tools = tools;
      this.caller = caller;
      this.result = result;
    }
  }

  private final Context owner;
  private final CodeModeSettings settings;
  private volatile List<String> command;
  private final List<SandboxProcess> processes = new ArrayList<>();
  private final List<SandboxProcess> idle = new ArrayList<>();
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private volatile int alive;
  private int startedCount;
  private long runs;
  private int running;
  private int starting;
  private boolean closed;

  public Sandboxes(Vertx vertx, CodeModeSettings settings) {
    this.owner = vertx.getOrCreateContext();
    this.settings = settings;
  }

  /**
   * Runs {@code code} for {@code account} ({@code mode}: {@code search} or {@code execute}) with
   * {@code tools} as {@code codemode}'s tools, their calls made by {@code caller}.
   */
  public Future<CodeResult> run(String account, String mode, String code, JsonArray tools, ToolCaller caller) {
    return run(account, mode, code, tools, caller, Promise.<Void>promise().future());
  }

  /**
   * As above; when {@code abandoned} completes (the agent went away), a waiting run is dropped and
   * a running one stopped, so that no tool call with side effects is made for nobody.
   */
  public Future<CodeResult> run(String account, String mode, String code, JsonArray tools, ToolCaller caller, Future<Void> abandoned) {
    return Contexts.on(owner, () -> {
      if (closed) return Future.succeededFuture(CodeResult.refused("busy", "Code Mode is shutting down"));
      if (running + waiting.size() >= settings.sandboxes() + settings.maxQueued()) {
        return Future.succeededFuture(CodeResult.refused("busy", "Code Mode is busy: " + running + " runs are going on and "
            + waiting.size() + " are waiting; try again shortly"));
      }
      Promise<CodeResult> result = Promise.promise();
      Waiting entry = new Waiting(account, mode, code, tools, caller, result);
      entry.expiry = owner.owner().setTimer(settings.limits().timeoutMs(), t -> expire(entry));
      abandoned.onComplete(gone -> owner.runOnContext(v -> abandon(entry)));
      waiting.add(entry);
      dispatch();
      return result.future();
    });
  }

  private void abandon(Waiting entry) {
    if (waiting.remove(entry)) {
      owner.owner().cancelTimer(entry.expiry);
      entry.result.tryComplete(CodeResult.refused("cancelled", "Code Mode stopped the code: its agent went away"));
    } else if (entry.process != null) {
      entry.process.cancel(entry.runId);
    }
  }

  /**
   * A run waits at most its time limit for a sandbox that is busy with other runs; while a new
   * sandbox is starting (a second or two, bounded by its start timeout) the wait does not count.
   */
  private void expire(Waiting entry) {
    if (!waiting.contains(entry)) return;
    if (starting > 0 || processes.stream().anyMatch(p -> !p.ready().isComplete())) {
      entry.expiry = owner.owner().setTimer(settings.limits().timeoutMs(), t -> expire(entry));
      return;
    }
    waiting.remove(entry);
    entry.result.tryComplete(CodeResult.refused("busy", "Code Mode is busy: no sandbox was free within "
        + settings.limits().timeoutMs() + " ms; try again shortly"));
  }

  /** Sandbox processes started since the pool was made (on the pool's context: tests). */
  int started() {
    return startedCount;
  }

  /** Sandbox processes alive now (any thread). */
  public int size() {
    return alive;
  }

  /** Kills every sandbox process (at shutdown); runs still going fail. */
  public Future<Void> close() {
    return Contexts.on(owner, () -> {
      closed = true;
      processes.forEach(SandboxProcess::kill);
      waiting.forEach(w -> w.result.tryComplete(CodeResult.refused("busy", "Code Mode is shutting down")));
      waiting.clear();
      return Future.succeededFuture();
    });
  }

  private void dispatch() {
    for (Iterator<Waiting> each = waiting.iterator(); each.hasNext(); ) {
      Waiting next = each.next();
      SandboxProcess process = idleFor(next.account);
      if (process == null) continue;
      each.remove();
      idle.remove(process);
      owner.owner().cancelTimer(next.expiry);
      running++;
      next.process = process;
      next.runId = ++runs;
      process.run(next.runId, next.account, next.mode, next.code, next.tools, next.caller).onComplete(done -> {
        running--;
        next.result.tryComplete(done.succeeded() ? done.result() : CodeResult.refused("crashed", "the sandbox failed"));
        if (process.alive() && processes.contains(process)) idle.add(process);
        dispatch();
      });
    }
    if (closed || waiting.size() <= starting) return;
    if (processes.size() + starting >= settings.sandboxes() && !idle.isEmpty()) {
      // full, and the idle processes belong to accounts nobody waiting has: retire one to make room
      SandboxProcess spare = idle.remove(0);
      processes.remove(spare);
      alive = processes.size();
      spare.kill();
    }
    if (processes.size() + starting < settings.sandboxes()) start();
  }

  /** An idle process for {@code account}: one that served it, else a fresh one. */
  private SandboxProcess idleFor(String account) {
    SandboxProcess fresh = null;
    for (SandboxProcess process : idle) {
      if (!process.alive()) continue;
      if (account.equals(process.account())) return process;
      if (process.account() == null && fresh == null) fresh = process;
    }
    return fresh;
  }

  private void start() {
    starting++;
    // fork and exec take milliseconds (and the first start probes the system): on a worker, never on the event loop
    owner.owner().executeBlocking(() -> SandboxProcess.start(owner, settings.limits(), command(), this::exited), false).onComplete(started -> {
      starting--;
      if (started.failed()) {
        LOG.log(System.Logger.Level.ERROR, "codemode: cannot start a sandbox process: " + started.cause().getMessage());
        failOne();
        dispatch();
        return;
      }
      SandboxProcess process = started.result();
      if (closed) {
        process.kill();
        return;
      }
      processes.add(process);
      alive = processes.size();
      startedCount++;
      process.ready().onComplete(r -> {
        if (r.succeeded() && process.alive() && processes.contains(process)) {
          idle.add(process);
        } else if (r.failed()) {
          LOG.log(System.Logger.Level.ERROR, "codemode: a sandbox process did not start: " + r.cause().getMessage());
          failOne();
        }
        dispatch();
      });
    });
  }

  /** One waiting run pays for a sandbox that cannot start, so that a broken setup cannot loop. */
  private void failOne() {
    Waiting next = waiting.poll();
    if (next == null) return;
    owner.owner().cancelTimer(next.expiry);
    next.result.tryComplete(CodeResult.refused("crashed", "Code Mode cannot start its sandbox"));
  }

  private void exited(SandboxProcess process) {
    processes.remove(process);
    idle.remove(process);
    alive = processes.size();
    if (!closed) {
      LOG.log(System.Logger.Level.DEBUG, "codemode: a sandbox process ended; " + processes.size() + " left");
      dispatch();
    }
  }

  private List<String> command() {
    List<String> known = command;
    if (known == null) command = known = command(settings.limits(), isolatesNetwork());
    return known;
  }

  /**
   * The sandbox's command line: this JVM's {@code java} and classpath, with the sandbox's heap, no
   * attach, JVM messages on stderr (stdout is the protocol), a lower priority, and no network when
   * {@code unshare} may drop it.
   */
  static List<String> command(SandboxLimits limits, boolean unshareNetwork) {
    List<String> command = new ArrayList<>();
    if (unshareNetwork) command.addAll(List.of("/usr/bin/unshare", "--user", "--map-root-user", "--net", "--"));
    if (Files.isExecutable(Path.of("/usr/bin/nice"))) command.addAll(List.of("/usr/bin/nice", "-n", "10"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx" + limits.heapMb() + "m", "-Xss4m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-XX:+DisplayVMOutputToStderr", "-XX:+DisableAttachMechanism", "-XX:-UsePerfData",
        "-XX:ActiveProcessorCount=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-cp", System.getProperty("java.class.path"), "dev.mcpgateway.codemode.child.SandboxMain", limits.toJson().encode()));
    return command;
  }

  /** Whether this system lets an unprivileged process take a network namespace of its own (blocking: a worker's job). */
  static boolean isolatesNetwork() {
    if (!Files.isExecutable(Path.of("/usr/bin/unshare"))) return false;
    try {
      Process probe = new ProcessBuilder("/usr/bin/unshare", "--user", "--map-root-user", "--net", "--", "/bin/true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      boolean isolated = probe.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && probe.exitValue() == 0;
      if (!isolated) probe.destroyForcibly();
      LOG.log(System.Logger.Level.INFO, "codemode: sandbox processes " + (isolated ? "run without network (unshare)"
          : "keep the network: this system refuses unshare --net to an unprivileged process"));
      return isolated;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
