package dev.mcpgateway.codemode;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One sandbox process seen from the gateway: its pipes (read and written on virtual threads, never
 * on an event loop), the run it is doing, and that run's tool calls, made through the
 * {@link ToolCaller} and answered back. Every state change happens on the pool's context. A run
 * that outlives its limit by {@link #KILL_GRACE_MS} (the sandbox's own watchdog missed it) gets
 * the process killed; a process that dies fails its run with the reason ({@code heap} when the
 * JVM ran out of memory: exit code 3 of {@code -XX:+ExitOnOutOfMemoryError}).
 */
final class SandboxProcess {
  static final long KILL_GRACE_MS = 2_000;
  /** A JVM with GraalJS starts in one or two seconds; on a loaded machine, give it many times that. */
  static final long START_TIMEOUT_MS = 60_000;
  private static final System.Logger LOG = System.getLogger(SandboxProcess.class.getName());
  private static final int OUT_OF_MEMORY_EXIT = 3;

  /** The reasons a sandbox may give for stopping a run. */
  static final java.util.Set<String> STOPS = java.util.Set.of("cpu", "statements", "memory", "timeout", "cancelled");
  /** Tool calls of one run out at once; more wait here, in order. */
  static final int MAX_CALLS_IN_FLIGHT = 16;
  /** The longest line a sandbox may write: a run's answer and a call's arguments are far smaller. */
  static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

  /** The run going on: its calls counted here too, so a sandbox cannot make more than the limit whatever it says. */
  private static final class Active {
    final long id;
    final ToolCaller caller;
    final Promise<CodeResult> result;
    final long killTimer;
    final java.util.ArrayDeque<JsonObject> queuedCalls = new java.util.ArrayDeque<>();
    int calls;
    int inFlight;

    Active(long id, ToolCaller caller, Promise<CodeResult> result, long killTimer) {
      this.id = id;
      this.caller = caller;
      this.result = result;
      this.killTimer = killTimer;
    }

    long id() {
      return id;
    }

    int calls() {
      return calls;
    }
  }

  private final Context owner;
  private final SandboxLimits limits;
  private final Process process;
  private final Writer stdin;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("codemode-writer").factory());
  private final Promise<Void> ready = Promise.promise();
  private final Consumer<SandboxProcess> onExit;
  private Active active;
  /** The account whose runs this process does: one process never runs two accounts' code. */
  private String account;
  private boolean killedForTime;
  private boolean exited;

  private SandboxProcess(Context owner, SandboxLimits limits, Process process, Consumer<SandboxProcess> onExit) {
    this.owner = owner;
    this.limits = limits;
    this.process = process;
    this.onExit = onExit;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts a process with {@code command}; its future completes once the sandbox said it is ready. */
  static SandboxProcess start(Context owner, SandboxLimits limits, List<String> command, Consumer<SandboxProcess> onExit) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    // nothing of the gateway's environment (its secret key, tokens, database URL, JVM options) reaches a sandbox
    builder.environment().clear();
    builder.environment().put("LANG", "C.UTF-8");
    Process process = builder.start();
    SandboxProcess sandbox = new SandboxProcess(owner, limits, process, onExit);
    Thread.ofVirtual().name("codemode-reader").start(sandbox::readMessages);
    Thread.ofVirtual().name("codemode-stderr").start(sandbox::readErrors);
    owner.runOnContext(v -> owner.owner().setTimer(START_TIMEOUT_MS, t -> {
      if (!sandbox.ready.future().isComplete()) {
        LOG.log(System.Logger.Level.WARNING, "codemode: a sandbox process was not ready within " + START_TIMEOUT_MS + " ms; killing it");
        process.destroyForcibly();
      }
    }));
    return sandbox;
  }

  Future<Void> ready() {
    return ready.future();
  }

  /** The account this process runs code for, or null before its first run. */
  String account() {
    return account;
  }

  /** One run; on the owner's context, when no other is going on (the pool hands out idle processes only). */
  Future<CodeResult> run(long id, String account, String mode, String code, JsonArray tools, ToolCaller caller) {
    if (this.account != null && !this.account.equals(account)) throw new IllegalStateException("a sandbox process serves one account");
    this.account = account;
    Promise<CodeResult> result = Promise.promise();
    long killTimer = owner.owner().setTimer(limits.timeoutMs() + KILL_GRACE_MS, t -> {
      if (active != null && active.id() == id) {
        killedForTime = true;
        LOG.log(System.Logger.Level.WARNING, "codemode: a sandbox did not stop a run at its time limit; killing the process");
        process.destroyForcibly();
      }
    });
    active = new Active(id, caller, result, killTimer);
    send(new JsonObject().put("op", "run").put("run", id).put("mode", mode).put("code", code).put("tools", tools));
    return result.future();
  }

  /** Asks the sandbox to stop run {@code id} (its agent went away); its {@code done} follows. */
  void cancel(long id) {
    if (active != null && active.id == id) send(new JsonObject().put("op", "cancel").put("run", id));
  }

  void kill() {
    process.destroyForcibly();
  }

  private void onMessage(JsonObject message) {
    Active run = active;
    if (run == null || message.getLong("run", -1L) != run.id()) return; // a late message of a run already answered
    switch (message.getString("op", "")) {
      case "call" -> call(run, message);
      case "done" -> {
        // the sandbox's word, bounded: texts capped, a stop reason only from the known set (it becomes a metric label)
        boolean ok = Boolean.TRUE.equals(message.getValue("ok"));
        String text = message.getValue("text") instanceof String t ? SandboxLimits.cap(t, limits.outputChars()) : "";
        String logs = message.getValue("logs") instanceof String l ? SandboxLimits.cap(l, SandboxLimits.CONSOLE_CHARS) : "";
        String stopped = message.getValue("stopped") instanceof String r && STOPS.contains(r) ? r : null;
        finish(new CodeResult(ok, text, logs, ok ? null : stopped, run.calls()));
      }
      default -> LOG.log(System.Logger.Level.WARNING, "codemode: unknown message from a sandbox: " + message.getString("op"));
    }
  }

  private void call(Active run, JsonObject message) {
    if (run.calls >= limits.maxToolCalls()) {
      answer(run, message.getLong("call", -1L), Future.failedFuture(new ToolCallRefused("this run already made " + run.calls
          + " tool calls, the most Code Mode allows in one run")));
      return;
    }
    run.calls++;
    if (run.inFlight >= MAX_CALLS_IN_FLIGHT) {
      run.queuedCalls.add(message);
      return;
    }
    start(run, message);
  }

  private void start(Active run, JsonObject message) {
    long call = message.getLong("call", -1L);
    String tool = message.getValue("tool") instanceof String t ? t : "";
    JsonObject arguments = message.getValue("args") instanceof JsonObject a ? a : new JsonObject();
    run.inFlight++;
    Future<Object> outcome;
    try {
      outcome = run.caller.call(tool, arguments);
    } catch (RuntimeException e) { // a caller that throws instead of failing its future must not leave the run waiting
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(done -> {
      run.inFlight--;
      answer(run, call, done);
      JsonObject next = run.queuedCalls.poll();
      if (next != null && active == run) start(run, next);
    });
  }

  private void answer(Active run, long call, io.vertx.core.AsyncResult<Object> outcome) {
    if (active != run) return; // the run ended (a limit) while the call was out
    JsonObject result = new JsonObject().put("op", "result").put("run", run.id).put("call", call).put("ok", outcome.succeeded());
    if (outcome.succeeded()) result.put("value", outcome.result());
    else result.put("error", outcome.cause() instanceof ToolCallRefused refused ? refused.getMessage() : "the tool call failed");
    send(result);
  }

  private void finish(CodeResult result) {
    Active run = active;
    if (run == null) return;
    active = null;
    owner.owner().cancelTimer(run.killTimer);
    run.result.tryComplete(result);
  }

  private void exited(int code) {
    if (exited) return;
    exited = true;
    writer.shutdownNow();
    // out of the pool first: the run's completion below must not hand this process another run
    onExit.accept(this);
    if (!ready.future().isComplete()) ready.tryFail("the sandbox process ended before it was ready (exit code " + code + ")");
    if (active == null) return;
    if (killedForTime) {
      finish(new CodeResult(false, "Code Mode stopped the code: it did not finish within " + limits.timeoutMs() + " ms", "", "timeout", 0));
    } else if (code == OUT_OF_MEMORY_EXIT) {
      finish(new CodeResult(false, "Code Mode stopped the code: it ran out of the sandbox's " + limits.heapMb() + " MiB heap", "", "heap", 0));
    } else {
      finish(new CodeResult(false, "the sandbox process ended unexpectedly (exit code " + code + ")", "", "crashed", 0));
    }
  }

  boolean alive() {
    return !exited;
  }

  private void send(JsonObject message) {
    if (writer.isShutdown()) return; // the process is gone: its exit fails the run
    writer.execute(() -> { // encoding a tool's answer (up to megabytes) belongs off the event loop too
      try {
        String line = message.encode();
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
      } catch (IOException e) { // the process is gone: its exit is reported by the reader
      }
    });
  }

  private void readMessages() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = BoundedLines.next(out, MAX_LINE_CHARS); line != null; line = BoundedLines.next(out, MAX_LINE_CHARS)) {
        JsonObject message;
        try {
          message = new JsonObject(line);
        } catch (DecodeException e) {
          LOG.log(System.Logger.Level.WARNING, "codemode: a sandbox wrote a line that is not JSON");
          continue;
        }
        if ("ready".equals(message.getString("op"))) post(() -> ready.tryComplete());
        else post(() -> onMessage(message));
      }
    } catch (BoundedLines.TooLong e) {
      LOG.log(System.Logger.Level.WARNING, "codemode: a sandbox wrote a line over " + MAX_LINE_CHARS + " characters; killing it");
      process.destroyForcibly();
    } catch (IOException e) { // the pipe closed with the process
    }
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    int exitCode = code;
    post(() -> exited(exitCode));
  }

  /** To the owner's context, unless Vert.x is closed already (then nobody waits for it). */
  private void post(Runnable action) {
    try {
      owner.runOnContext(v -> action.run());
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      process.destroyForcibly();
    }
  }

  private void readErrors() {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = BoundedLines.cut(err, 500); line != null; line = BoundedLines.cut(err, 500)) {
        LOG.log(System.Logger.Level.DEBUG, "codemode sandbox: " + line);
      }
    } catch (IOException e) { // closed with the process
    }
  }
}
