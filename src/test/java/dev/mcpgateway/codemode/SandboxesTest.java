package dev.mcpgateway.codemode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.config.CodeModeSettings;
import dev.mcpgateway.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox processes, driven directly: agents' code runs, calls tools through the caller it is
 * given, and every kind of hostile code is stopped with a clear error while the sandbox stays
 * usable. The tool caller here is the test's own (the portal tests drive real upstreams).
 */
class SandboxesTest {
  static final SandboxLimits LIMITS = new SandboxLimits(5_000, 1_500, 2_000_000, 256, 128, 20, 2_000, 1_000_000, 100_000);
  static Vertx vertx;
  static Sandboxes sandboxes;
  static final JsonArray TOOLS = new JsonArray()
      .add(new JsonObject().put("name", "alpha_add").put("tool", "alpha_add").put("description", "adds a and b")
          .put("inputSchema", new JsonObject().put("type", "object")))
      .add(new JsonObject().put("name", "beta_echo").put("tool", "beta-echo").put("description", "echoes text")
          .put("inputSchema", new JsonObject().put("type", "object")));
  static final List<String> CALLED = new CopyOnWriteArrayList<>();

  /** alpha_add sums a and b; beta_echo answers its text; anything else is refused, as the gateway refuses unknown tools. */
  static Future<Object> caller(String name, JsonObject args) {
    CALLED.add(name);
    return switch (name) {
      case "alpha_add" -> Future.succeededFuture(new JsonObject().put("sum", args.getInteger("a", 0) + args.getInteger("b", 0)));
      case "beta_echo" -> Future.succeededFuture(args.getString("text", ""));
      default -> Future.failedFuture("Unknown tool: " + name);
    };
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sandboxes = new Sandboxes(vertx, new CodeModeSettings(2, 8, LIMITS));
  }

  @AfterAll
  static void stop() {
    Await.result(sandboxes.close());
    Await.result(vertx.close());
  }

  static CodeResult run(String mode, String code) {
    return Await.result(sandboxes.run("acme", mode, code, TOOLS, SandboxesTest::caller));
  }

  static CodeResult execute(String code) {
    return run("execute", code);
  }

  @Test
  void anArrowFunctionCallsTwoToolsAndCombinesTheirResults() {
    CodeResult result = execute("async () => { const [s, e] = await Promise.all([codemode.alpha_add({a: 2, b: 3}), codemode.beta_echo({text: 'hi'})]);"
        + " return { sum: s.sum, echo: e }; }");
    assertTrue(result.ok(), result.text());
    assertEquals(new JsonObject().put("sum", 5).put("echo", "hi"), new JsonObject(result.text()));
    assertEquals(2, result.calls());
  }

  @Test
  void searchReadsTheToolListButCannotCallTools() {
    CodeResult list = run("search", "async () => codemode.tools().filter(t => t.description.includes('echo')).map(t => t.name)");
    assertTrue(list.ok(), list.text());
    assertEquals(new JsonArray().add("beta_echo"), new JsonArray(list.text()));
    CodeResult call = run("search", "async () => codemode.alpha_add({a: 1, b: 1})");
    assertFalse(call.ok());
    assertTrue(call.text().contains("portal_codemode_execute"), call.text());
  }

  @Test
  void plainStatementsAreTakenAsTheFunctionsBody() {
    CodeResult result = execute("const r = await codemode.alpha_add({a: 40, b: 2}); return r.sum;");
    assertTrue(result.ok(), result.text());
    assertEquals("42", result.text());
  }

  @Test
  void errorsComeBackAsTextNeverAsAStackTrace() {
    CodeResult thrown = execute("async () => { throw new TypeError('bad input'); }");
    assertFalse(thrown.ok());
    assertEquals("TypeError: bad input", thrown.text());
    CodeResult syntax = execute("async () => { return 1 +; }");
    assertFalse(syntax.ok());
    assertTrue(syntax.text().contains("SyntaxError"), syntax.text());
    assertFalse(syntax.text().contains("at com.") || syntax.text().contains("java."), syntax.text());
    CodeResult unknown = execute("async () => codemode.gamma_missing({})");
    assertFalse(unknown.ok());
    assertTrue(unknown.text().contains("no such tool"), unknown.text());
    CodeResult notAFunction = execute("42");
    assertFalse(notAFunction.ok());
    assertTrue(notAFunction.text().contains("must be a JavaScript function"), notAFunction.text());
  }

  @Test
  void aToolThatFailsRejectsItsPromiseAndTheCodeMayCatchIt() {
    CodeResult result = execute("async () => { try { await codemode.alpha_add({a: 'x'}); return 'no'; } catch (e) { return 'caught'; } }");
    assertTrue(result.ok(), result.text());
  }

  @Test
  void anInfiniteLoopIsStoppedByTheStatementLimit() {
    CodeResult result = execute("async () => { while (true) {} }");
    assertFalse(result.ok());
    assertEquals("statements", result.stopped(), result.text());
    assertTrue(result.text().contains("statements"), result.text());
    assertStillServes();
  }

  @Test
  void aLoopInsideOneBuiltInIsStoppedByTheCpuOrMemoryLimit() {
    // one statement that runs for long inside a builtin: the statement limit cannot see it
    CodeResult result = execute("async () => Array.from({length: 1e8}, (_, i) => i).length");
    assertFalse(result.ok());
    assertTrue(List.of("cpu", "memory", "heap", "statements").contains(result.stopped()), result.stopped() + ": " + result.text());
    assertStillServes();
  }

  @Test
  void deepRecursionIsARangeError() {
    CodeResult result = execute("async () => { const f = n => f(n + 1) + 1; return f(0); }");
    assertFalse(result.ok());
    assertTrue(result.text().contains("RangeError") || "statements".equals(result.stopped()), result.text());
    assertStillServes();
  }

  @Test
  void hugeAllocationsAreStoppedAndTheProcessRecoversWhenItsHeapRunsOut() {
    CodeResult arrays = execute("async () => { const a = []; for (;;) a.push(new Array(100000).fill(1)); }");
    assertFalse(arrays.ok());
    assertTrue(List.of("memory", "heap", "statements", "cpu").contains(arrays.stopped()), arrays.stopped() + ": " + arrays.text());
    CodeResult filled = execute("async () => new Array(1e9).fill(1).length");
    assertFalse(filled.ok());
    assertTrue(List.of("memory", "heap", "cpu").contains(filled.stopped()), filled.stopped() + ": " + filled.text());
    CodeResult buffer = execute("async () => new ArrayBuffer(2 ** 30).byteLength");
    assertFalse(buffer.ok());
    assertTrue(buffer.text().contains("RangeError"), buffer.text());
    assertStillServes();
  }

  @Test
  void codeThatFillsTheHeapEndsOnlyItsProcessAndTheNextRunGetsANewOne() {
    // a 64 MiB heap and an allocation budget far above it: the heap is the limit that trips
    SandboxLimits heapFirst = new SandboxLimits(20_000, 15_000, 200_000_000, 100_000, 64, 20, 2_000, 1_000_000, 100_000);
    Sandboxes one = new Sandboxes(vertx, new CodeModeSettings(1, 4, heapFirst));
    try {
      Future<CodeResult> filling = one.run("acme", "execute", "async () => { const kept = []; for (;;) kept.push('x'.repeat(1000) + kept.length); }",
          TOOLS, SandboxesTest::caller);
      // queued behind it while its process dies: they must go to a new process, not the dead one
      List<Future<CodeResult>> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        queued.add(one.run("acme", "execute", "async () => (await codemode.alpha_add({a: 20, b: 22})).sum", TOOLS, SandboxesTest::caller));
      }
      CodeResult filled = Await.result(filling);
      assertFalse(filled.ok());
      assertEquals("heap", filled.stopped(), filled.text());
      assertTrue(filled.text().contains("64 MiB heap"), filled.text());
      for (Future<CodeResult> run : queued) {
        CodeResult next = Await.result(run);
        assertTrue(next.ok(), next.text());
        assertEquals("42", next.text());
      }
      assertEquals(1, one.size());
    } finally {
      Await.result(one.close());
    }
  }

  @Test
  void aProcessRunsOneAccountsCodeOnlyAndIsRetiredForAnother() {
    Sandboxes one = new Sandboxes(vertx, new CodeModeSettings(1, 4, LIMITS));
    try {
      for (String account : List.of("acme", "acme", "globex", "globex", "acme")) {
        CodeResult result = Await.result(one.run(account, "execute", "async () => 1", TOOLS, SandboxesTest::caller));
        assertTrue(result.ok(), account + ": " + result.text());
      }
      assertEquals(3, (int) Await.onContext(vertx, () -> Future.succeededFuture(one.started())),
          "acme's process, then globex's, then acme's again: never one process for two accounts");
    } finally {
      Await.result(one.close());
    }
  }

  @Test
  void aSandboxProcessGetsNoneOfTheGatewaysEnvironmentAndNoNetworkWhereTheSystemAllows() throws Exception {
    assertTrue(execute("async () => 1").ok()); // the pool's processes are up
    // /proc/<pid>/cmdline, as the JDK's ProcessHandle.Info may not read a process in another user namespace
    List<ProcessHandle> sandboxes = ProcessHandle.current().descendants().filter(p -> {
      try {
        return java.nio.file.Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).contains("SandboxMain");
      } catch (java.io.IOException gone) {
        return false;
      }
    }).toList();
    assertFalse(sandboxes.isEmpty());
    for (ProcessHandle sandbox : sandboxes) {
      String environ = java.nio.file.Files.readString(Path.of("/proc/" + sandbox.pid() + "/environ")).replace('\0', '\n');
      assertEquals("LANG=C.UTF-8", environ.strip(), "the sandbox's whole environment");
      if (Sandboxes.isolatesNetwork()) {
        assertNotEquals(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
            java.nio.file.Files.readSymbolicLink(Path.of("/proc/" + sandbox.pid() + "/ns/net")), "a network namespace of its own");
      }
    }
  }

  @Test
  void aRunWaitsForASandboxAtMostItsTimeLimit() {
    SandboxLimits shortWait = new SandboxLimits(1_500, 1_000, 2_000_000, 256, 128, 20, 2_000, 1_000_000, 100_000);
    Sandboxes one = new Sandboxes(vertx, new CodeModeSettings(1, 4, shortWait));
    try {
      // the process started first (its start-up counts against a waiting run's limit too)
      assertTrue(Await.result(one.run("acme", "execute", "async () => 1", TOOLS, SandboxesTest::caller)).ok());
      Future<CodeResult> holding = one.run("acme", "execute", "async () => codemode.alpha_add({})", TOOLS,
          (n, a) -> io.vertx.core.Promise.promise().future());
      CodeResult waited = Await.result(one.run("acme", "execute", "async () => 1", TOOLS, SandboxesTest::caller));
      assertEquals("busy", waited.stopped(), waited.text());
      assertEquals("timeout", Await.result(holding).stopped());
    } finally {
      Await.result(one.close());
    }
  }

  @Test
  void stringBombsHitTheStringLimit() {
    CodeResult doubling = execute("async () => { let s = 'x'; for (let i = 0; i < 40; i++) s += s; return s.length; }");
    assertFalse(doubling.ok());
    assertTrue(doubling.text().contains("RangeError"), doubling.text());
    CodeResult repeat = execute("async () => 'ab'.repeat(2 ** 28).length");
    assertFalse(repeat.ok());
    assertTrue(repeat.text().contains("RangeError"), repeat.text());
  }

  @Test
  void theHostIsOutOfReach() {
    String probe = "async () => [typeof Java, typeof Polyglot, typeof load, typeof print, typeof Graal, typeof require, typeof process,"
        + " typeof SharedArrayBuffer, typeof __gw_call, typeof __gw_finish, typeof __gw_tools].join(',')";
    CodeResult result = execute(probe);
    assertTrue(result.ok(), result.text());
    assertEquals("undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined",
        result.text());
    for (String attempt : List.of("async () => Java.type('java.lang.Runtime')", "async () => Polyglot.eval('js', '1')",
        "async () => load('/etc/passwd')", "async () => await import('fs')", "async () => new Worker('x.js')",
        "async () => codemode.constructor.constructor('return Java')().type('java.lang.System')")) {
      CodeResult refused = execute(attempt);
      assertFalse(refused.ok(), attempt + " → " + refused.text());
    }
  }

  @Test
  void prototypePollutionDoesNotOutliveItsRun() {
    CodeResult polluting = execute("async () => { Object.prototype.polluted = 'yes'; Array.prototype.map = () => 'hijacked'; globalThis.secret = 's3'; return 1; }");
    assertTrue(polluting.ok(), polluting.text());
    for (int i = 0; i < 3; i++) { // both processes of the pool, more than once
      CodeResult next = execute("async () => [({}).polluted, [1].map(x => x + 1)[0], typeof secret].join(',')");
      assertTrue(next.ok(), next.text());
      assertEquals(",2,undefined", next.text());
    }
  }

  @Test
  void thousandsOfToolCallsStopAtTheLimit() {
    CALLED.clear();
    CodeResult result = execute("async () => { const all = []; for (let i = 0; i < 5000; i++) all.push(codemode.alpha_add({a: i, b: 1})); "
        + "const settled = await Promise.allSettled(all); return settled.filter(s => s.status === 'fulfilled').length; }");
    assertTrue(result.ok(), result.text());
    assertEquals(String.valueOf(LIMITS.maxToolCalls()), result.text());
    assertEquals(LIMITS.maxToolCalls(), CALLED.size());
  }

  @Test
  void aPromiseThatNeverSettlesEndsTheRunAtOnce() {
    CodeResult result = execute("async () => new Promise(() => {})");
    assertFalse(result.ok());
    assertTrue(result.text().contains("never settled"), result.text());
  }

  @Test
  void aToolCallThatNeverAnswersEndsAtTheTimeout() {
    CodeResult result = Await.result(sandboxes.run("acme", "execute", "async () => codemode.alpha_add({})", TOOLS,
        (name, args) -> io.vertx.core.Promise.promise().future()));
    assertFalse(result.ok());
    assertEquals("timeout", result.stopped(), result.text());
  }

  @Test
  void theOutputIsCappedWithAMarker() {
    CodeResult result = execute("async () => 'x'.repeat(10000)");
    assertTrue(result.ok());
    assertTrue(result.text().endsWith(SandboxLimits.TRUNCATED), result.text().substring(result.text().length() - 30));
    assertEquals(LIMITS.outputChars() + SandboxLimits.TRUNCATED.length(), result.text().length());
    CodeResult logged = execute("async () => { for (let i = 0; i < 10000; i++) console.log('line ' + i); return 'done'; }");
    assertTrue(logged.ok(), logged.text());
    assertTrue(logged.logs().contains("line 0") && logged.logs().contains("TRUNCATED"), logged.logs().substring(0, 40));
  }

  @Test
  void runsAtOnceBeyondTheQueueAreRefusedAsBusy() {
    Sandboxes small = new Sandboxes(vertx, new CodeModeSettings(1, 1, LIMITS));
    try {
      List<Future<CodeResult>> runs = new ArrayList<>();
      io.vertx.core.Promise<Object> gate = io.vertx.core.Promise.promise();
      AtomicInteger started = new AtomicInteger();
      for (int i = 0; i < 4; i++) {
        runs.add(small.run("acme", "execute", "async () => codemode.alpha_add({})", TOOLS, (n, a) -> {
          started.incrementAndGet();
          return gate.future();
        }));
      }
      List<CodeResult> refused = new ArrayList<>();
      for (Future<CodeResult> run : runs.subList(2, 4)) refused.add(Await.result(run));
      refused.forEach(r -> assertEquals("busy", r.stopped(), r.text()));
      gate.complete(new JsonObject());
      assertTrue(Await.result(runs.get(0)).ok());
      assertTrue(Await.result(runs.get(1)).ok());
    } finally {
      Await.result(small.close());
    }
  }

  private static void assertStillServes() {
    for (int i = 0; i < 2; i++) {
      CodeResult result = execute("async () => (await codemode.alpha_add({a: 1, b: 2})).sum");
      assertTrue(result.ok(), result.text());
      assertEquals("3", result.text());
    }
  }
}
