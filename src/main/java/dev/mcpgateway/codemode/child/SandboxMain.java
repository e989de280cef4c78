package dev.mcpgateway.codemode.child;

import dev.mcpgateway.codemode.SandboxLimits;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The sandbox process: a JVM of its own (its heap is Code Mode's hard memory limit, and whatever
 * the agent's code does to it leaves the gateway's heap alone) that runs agents' JavaScript in
 * GraalJS, one run at a time, and speaks JSON lines with the gateway on stdin and stdout:
 * gateway → {@code run}, {@code result} (a tool call's outcome), {@code cancel}; sandbox → {@code ready},
 * {@code call}, {@code done}. It exits when stdin ends, so it never outlives the gateway.
 * Nothing here holds a credential: tool calls are made by the gateway.
 */
public final class SandboxMain {
  private SandboxMain() {}

  public static void main(String[] args) throws Exception {
    SandboxLimits limits = SandboxLimits.fromJson(new JsonObject(args[0]));
    Writer protocol = new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8);
    // nothing else may write to the protocol stream: a stray print goes to stderr (the gateway's log)
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    Object lock = new Object();
    JsRun.Sender send = message -> {
      synchronized (lock) {
        protocol.write(message.encode());
        protocol.write('\n');
        protocol.flush();
      }
    };
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "codemode-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    JsEngine engine = new JsEngine(limits);
    engine.warmUp();
    send.send(new JsonObject().put("op", "ready"));
    ConcurrentHashMap<Long, JsRun> runs = new ConcurrentHashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      JsonObject message = new JsonObject(line);
      long runId = message.getLong("run", -1L);
      switch (message.getString("op", "")) {
        case "run" -> {
          JsRun run = new JsRun(engine, limits, runId, message, send, watchdog);
          runs.put(runId, run);
          Thread thread = new Thread(null, () -> {
            try {
              run.execute();
            } finally {
              runs.remove(runId);
            }
          }, "codemode-run-" + runId, 4L * 1024 * 1024);
          thread.setDaemon(true);
          thread.start();
        }
        case "result" -> {
          JsRun run = runs.get(runId);
          if (run != null) run.deliver(message);
        }
        case "cancel" -> { // the agent went away: stop the run where it stands
          JsRun run = runs.get(runId);
          if (run != null) run.cancel();
        }
        default -> System.err.println("codemode sandbox: unknown message " + message.getString("op"));
      }
    }
    System.exit(0);
  }
}
