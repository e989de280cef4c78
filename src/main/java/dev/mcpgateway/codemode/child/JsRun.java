package dev.mcpgateway.codemode.child;

import dev.mcpgateway.codemode.SandboxLimits;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One run of an agent's code, on a thread of its own, in a fresh context: the prelude, then the
 * agent's function, then a loop that delivers tool-call outcomes as the gateway sends them (each
 * delivery runs the promise jobs it unblocks) until the function's promise settles. A watchdog
 * samples the thread's CPU time and allocated bytes every {@link #SAMPLE_MS} ms and cancels the
 * context past a limit; the statement limit and the size caps are GraalJS's own. Whatever
 * happens, exactly one {@code done} message is sent.
 */
final class JsRun {
  /** How a run's messages reach the gateway. */
  interface Sender {
    void send(JsonObject message) throws IOException;
  }

  static final long SAMPLE_MS = 5;
  /** The arguments of one tool call, as JSON: an agent's request body is smaller than this too. */
  static final int MAX_ARGUMENT_CHARS = 1_000_000;

  private final JsEngine engine;
  private final SandboxLimits limits;
  private final long runId;
  private final String mode;
  private final String code;
  private final JsonArray tools;
  private final Sender sender;
  private final ScheduledExecutorService watchdog;
  private final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  private volatile String stopped;
  private volatile Context context;
  private int calls;
  private int inFlight;
  private JsonObject outcome;

  JsRun(JsEngine engine, SandboxLimits limits, long runId, JsonObject message, Sender sender, ScheduledExecutorService watchdog) {
    this.engine = engine;
    this.limits = limits;
    this.runId = runId;
    this.mode = "execute".equals(message.getString("mode")) ? "execute" : "search";
    this.code = message.getString("code", "");
    this.tools = message.getJsonArray("tools", new JsonArray());
    this.sender = sender;
    this.watchdog = watchdog;
  }

  /** Stops the run: its agent went away (any thread). */
  void cancel() {
    stop("cancelled");
  }

  /** A tool call's outcome from the gateway; any thread. */
  void deliver(JsonObject result) {
    inbox.add(result);
  }

  void execute() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    long startNanos = System.nanoTime();
    long cpuAtStart = threads.getCurrentThreadCpuTime();
    long allocatedAtStart = threads.getCurrentThreadAllocatedBytes();
    ConsoleBuffer console = new ConsoleBuffer(SandboxLimits.CONSOLE_CHARS);
    ScheduledFuture<?> watch = null;
    JsonObject done;
    try {
      context = engine.newContext(console);
      watch = watchdog.scheduleAtFixedRate(() -> {
        if (threads.getThreadCpuTime(thread) - cpuAtStart > TimeUnit.MILLISECONDS.toNanos(limits.cpuMs())) stop("cpu");
        else if (threads.getThreadAllocatedBytes(thread) - allocatedAtStart > limits.allocatedMb() * 1024 * 1024) stop("memory");
        else if (System.nanoTime() - startNanos > TimeUnit.MILLISECONDS.toNanos(limits.timeoutMs())) stop("timeout");
      }, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
      done = drive(startNanos);
    } catch (PolyglotException e) {
      done = failure(describe(e));
    } catch (IllegalStateException e) { // the watchdog closed the context between two steps
      done = failure(stopped != null ? stopMessage(stopped) : "the sandbox failed: " + e.getClass().getSimpleName());
    } catch (StackOverflowError e) {
      done = failure("RangeError: Maximum call stack size exceeded");
    } catch (InterruptedException e) {
      done = failure(stopped != null ? stopMessage(stopped) : "the sandbox was interrupted");
    } catch (RuntimeException | Error e) { // whatever it is, the gateway gets its one answer
      done = failure(stopped != null ? stopMessage(stopped) : "the sandbox failed on this code (an internal error)");
    } finally {
      if (watch != null) watch.cancel(false);
      Context used = context;
      if (used != null) {
        try {
          used.close(true);
        } catch (RuntimeException ignored) { // already cancelled: closing again reports the cancellation
        }
      }
    }
    done.put("op", "done").put("run", runId).put("logs", console.text()).put("calls", calls)
        .put("cpuMs", TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpuAtStart));
    // a limit that struck as the run was finishing does not turn a success into a stop
    if (stopped != null && !done.getBoolean("ok", false)) done.put("stopped", stopped);
    try {
      sender.send(done);
    } catch (IOException e) {
      System.exit(1); // the gateway is gone
    }
  }

  private JsonObject drive(long startNanos) throws InterruptedException {
    Value bindings = context.getBindings("js");
    bindings.putMember("__gw_call", (ProxyExecutable) this::call);
    bindings.putMember("__gw_finish", (ProxyExecutable) this::finish);
    bindings.putMember("__gw_tools", tools.encode());
    bindings.putMember("__gw_mode", mode);
    Value api = context.eval(engine.prelude);
    Value function = compile();
    if (function == null || !function.canExecute()) {
      return failure("the code must be a JavaScript function, e.g. async () => { return await codemode.tools(); }");
    }
    api.invokeMember("run", function);
    long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(limits.timeoutMs());
    while (outcome == null) {
      if (stopped != null) return failure(stopMessage(stopped));
      if (inFlight == 0) {
        return failure("the code's promise never settled: it awaits something other than a tool call (there are no timers here)");
      }
      JsonObject result = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (stopped != null) return failure(stopMessage(stopped));
      if (result == null) {
        stop("timeout");
        return failure(stopMessage("timeout"));
      }
      inFlight--;
      boolean ok = result.getBoolean("ok", false);
      String payload = ok ? io.vertx.core.json.Json.encode(result.getValue("value")) : result.getString("error", "the tool call failed");
      api.invokeMember("settle", result.getLong("call"), ok, payload);
    }
    return outcome;
  }

  /** The agent's code as a function: an arrow function as given, or else the text taken as its body. */
  private Value compile() {
    String text = code.strip();
    while (text.endsWith(";")) text = text.substring(0, text.length() - 1).strip();
    try {
      return context.eval(Source.create("js", "(" + text + "\n)"));
    } catch (PolyglotException asExpression) {
      if (!asExpression.isSyntaxError()) throw asExpression;
      try {
        return context.eval(Source.create("js", "(async () => {\n" + code + "\n})"));
      } catch (PolyglotException asBody) {
        if (asBody.isSyntaxError()) throw asExpression; // the first reading's message is the one that helps
        throw asBody;
      }
    }
  }

  private Object call(Value... arguments) {
    String tool = arguments.length > 0 && arguments[0].isString() ? arguments[0].asString() : "";
    if (calls >= limits.maxToolCalls()) {
      return "codemode." + tool + "(): this run already made " + calls + " tool calls, the most Code Mode allows in one run";
    }
    String payload = arguments.length > 1 && arguments[1].isString() ? arguments[1].asString() : "{}";
    if (payload.length() > MAX_ARGUMENT_CHARS) {
      return "codemode." + tool + "(): the arguments are " + payload.length() + " characters of JSON; at most " + MAX_ARGUMENT_CHARS;
    }
    JsonObject args;
    try {
      args = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      return "codemode." + tool + "(): the arguments must be an object";
    }
    int id = calls++;
    inFlight++;
    try {
      sender.send(new JsonObject().put("op", "call").put("run", runId).put("call", id).put("tool", tool).put("args", args));
    } catch (IOException e) {
      System.exit(1);
    }
    return id;
  }

  private Object finish(Value... arguments) {
    boolean ok = arguments.length > 0 && arguments[0].isBoolean() && arguments[0].asBoolean();
    String text = arguments.length > 1 && arguments[1].isString() ? arguments[1].asString() : "";
    outcome = new JsonObject().put("ok", ok).put("text", SandboxLimits.cap(text, limits.outputChars()));
    return null;
  }

  private void stop(String reason) {
    if (stopped != null) return;
    stopped = reason;
    Context running = context;
    if (running != null) {
      try {
        running.close(true);
      } catch (RuntimeException ignored) { // the cancellation surfaces on the run's thread
      }
    }
    inbox.add(new JsonObject()); // wakes a run that waits for a tool call
  }

  private String describe(PolyglotException e) {
    if (stopped != null) return stopMessage(stopped);
    if (e.isResourceExhausted()) {
      stopped = String.valueOf(e.getMessage()).contains("Statement count limit") ? "statements" : "memory";
      return stopMessage(stopped);
    }
    if (e.isCancelled()) return "the run was cancelled";
    if (e.isSyntaxError() || e.isGuestException()) return SandboxLimits.cap(String.valueOf(e.getMessage()), 2_000);
    return "the sandbox failed on this code (an internal error)";
  }

  private String stopMessage(String reason) {
    return "Code Mode stopped the code: " + switch (reason) {
      case "cpu" -> "it used more than " + limits.cpuMs() + " ms of CPU time";
      case "statements" -> "it ran more than " + limits.statements() + " statements";
      case "memory" -> "it allocated more than " + limits.allocatedMb() + " MiB";
      case "timeout" -> "it did not finish within " + limits.timeoutMs() + " ms";
      case "cancelled" -> "its agent went away";
      default -> reason;
    };
  }

  private static JsonObject failure(String text) {
    return new JsonObject().put("ok", false).put("text", text);
  }
}
