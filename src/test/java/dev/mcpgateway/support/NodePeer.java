package dev.mcpgateway.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real MCP peer from npm, run as a child {@code node} process: either one of our scripts in
 * {@code test-peers/} (which print {@code LISTENING <port>} once ready) or
 * {@code @modelcontextprotocol/server-everything} in {@code streamableHttp} or {@code sse} mode
 * (ready once its port accepts TCP connections). The packages come from {@code npm ci} in
 * {@code test-peers/}; nothing is installed at test time.
 *
 * <p>Blocking: start and close wait on the calling thread, so use them from the JUnit thread, never
 * from a Vert.x event loop. {@link #close()} ends the whole process tree; a shutdown hook kills any
 * peer a test forgot to close.
 */
public final class NodePeer implements AutoCloseable {
  private static final long READY_TIMEOUT_MS = 20_000;
  private static final long STOP_GRACE_MS = 3_000;
  private static final Pattern LISTENING = Pattern.compile("^LISTENING (\\d+)\\s*$");
  private static final String EVERYTHING = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";
  /** Environment passed through from the JVM; everything else comes only from the test's map. */
  private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "SystemRoot");
  private static final Set<NodePeer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NodePeer::kill), "node-peer-reaper"));
  }

  private final String description;
  private final Process process;
  private final StringBuilder output = new StringBuilder();
  private final CompletableFuture<Integer> announcedPort = new CompletableFuture<>();
  private final List<Thread> readers = new ArrayList<>();
  private volatile int port;

  private NodePeer(String description, ProcessBuilder builder) {
    this.description = description;
    try {
      this.process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + description + ": " + e.getMessage(), e);
    }
    LIVE.add(this);
    readers.add(pump(process.getInputStream(), "stdout", line -> {
      Matcher m = LISTENING.matcher(line);
      if (m.matches()) announcedPort.complete(Integer.parseInt(m.group(1)));
    }));
    readers.add(pump(process.getErrorStream(), "stderr", line -> {}));
    process.onExit().thenRun(() ->
        announcedPort.completeExceptionally(new IllegalStateException("exited with code " + process.exitValue())));
  }

  /**
   * Starts {@code node <script>} for a script in {@code test-peers/} (e.g. {@code "paged-server.mjs"})
   * with the given environment ({@code PORT} defaults to 0 = a free port) and waits for its
   * {@code LISTENING <port>} line.
   */
  public static NodePeer start(String script, Map<String, String> env) {
    Path dir = testPeers();
    Path file = dir.resolve(script);
    if (!Files.isRegularFile(file)) throw new IllegalStateException("no such test peer script: " + file);
    Map<String, String> childEnv = new HashMap<>(env);
    childEnv.putIfAbsent("PORT", "0");
    NodePeer peer = new NodePeer(script, command(dir, childEnv, file.toString()));
    try {
      peer.port = peer.announcedPort.get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw peer.failedToStart(e instanceof ExecutionException ? e.getCause().getMessage()
          : "no LISTENING line within " + READY_TIMEOUT_MS + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw peer.failedToStart("interrupted");
    }
    return peer;
  }

  /**
   * Starts {@code @modelcontextprotocol/server-everything} in {@code mode} ({@code streamableHttp}:
   * MCP at {@code /mcp}; {@code sse}: {@code GET /sse} and {@code POST /message?sessionId=...}) on a
   * free port and waits until the port accepts connections.
   */
  public static NodePeer everything(String mode) {
    if (!mode.equals("streamableHttp") && !mode.equals("sse")) {
      throw new IllegalArgumentException("server-everything mode must be streamableHttp or sse, not " + mode);
    }
    Path dir = testPeers();
    Path entry = dir.resolve(EVERYTHING);
    if (!Files.isRegularFile(entry)) throw new IllegalStateException(entry + " is missing: " + NPM_CI);
    int port = freePort();
    NodePeer peer = new NodePeer("server-everything " + mode,
        command(dir, Map.of("PORT", Integer.toString(port)), entry.toString(), mode));
    peer.port = port;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    while (true) {
      if (!peer.process.isAlive()) throw peer.failedToStart("exited with code " + peer.process.exitValue());
      if (accepts(port)) return peer;
      if (System.nanoTime() > deadline) throw peer.failedToStart("port " + port + " not accepting within " + READY_TIMEOUT_MS + " ms");
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw peer.failedToStart("interrupted");
      }
    }
  }

  /** What a command run to completion printed (stdout and stderr interleaved) and how it ended. */
  public record Run(int exitCode, String output) {}

  /**
   * Runs {@code node <args...>} in {@code test-peers/} (so a path like
   * {@code node_modules/.bin/x} resolves there) with the given environment and waits for it to end,
   * for command-line tools such as the conformance suite. Killed, with its children, after
   * {@code timeoutMs}, which is then an {@link IllegalStateException} carrying the output so far.
   */
  public static Run run(Map<String, String> env, long timeoutMs, String... args) {
    NodePeer peer = new NodePeer(String.join(" ", args), command(testPeers(), env, args));
    try {
      if (!peer.process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        peer.close();
        throw new IllegalStateException(peer.description + " did not end within " + timeoutMs + " ms; output:\n" + peer.output());
      }
      for (Thread reader : peer.readers) reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      peer.close();
      throw new IllegalStateException(peer.description + " interrupted");
    }
    LIVE.remove(peer);
    return new Run(peer.process.exitValue(), peer.output());
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><path>}, e.g. {@code url("/mcp")}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path);
  }

  /** Everything the process wrote to stdout and stderr so far, line by line, for failure messages. */
  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Ends the process and its descendants: a polite destroy first, forcibly after 3 s. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException ignored) {
        // forced below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      process.onExit().get(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
      for (Thread reader : readers) reader.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(description + " did not stop", e);
    }
    LIVE.remove(this);
  }

  @Override
  public String toString() {
    return description + " on port " + port;
  }

  private static final String NPM_CI = "run `npm ci --no-audit --no-fund` in test-peers first";

  /** {@code test-peers/} of the Maven project (Surefire runs with the project root as user.dir). */
  static Path testPeers() {
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path dir = root.resolve("test-peers");
    if (!Files.isRegularFile(dir.resolve("package.json"))) {
      throw new IllegalStateException("no test-peers/package.json under the project root " + root);
    }
    if (!Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      throw new IllegalStateException(dir.resolve("node_modules") + " is missing or incomplete: " + NPM_CI);
    }
    return dir;
  }

  private static ProcessBuilder command(Path dir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(node());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> childEnv = builder.environment();
    Map<String, String> inherited = new HashMap<>(childEnv);
    childEnv.clear();
    for (String name : INHERITED_ENV) {
      if (inherited.containsKey(name)) childEnv.put(name, inherited.get(name));
    }
    childEnv.putAll(env);
    return builder;
  }

  private static String node() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(Pattern.quote(File.pathSeparator))) {
        if (entry.isEmpty()) continue;
        Path candidate = Path.of(entry, windows ? "node.exe" : "node");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
      }
    }
    throw new IllegalStateException("`node` not found on PATH (" + path + "); the integration tests need Node.js 20+");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Thread pump(InputStream stream, String name, Consumer<String> onLine) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          onLine.accept(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "node-peer-" + process.pid() + "-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private IllegalStateException failedToStart(String reason) {
    close();
    return new IllegalStateException(description + " did not become ready (" + reason + "); output:\n" + output());
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
