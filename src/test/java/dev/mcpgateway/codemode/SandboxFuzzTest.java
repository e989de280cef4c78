package dev.mcpgateway.codemode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.config.CodeModeSettings;
import dev.mcpgateway.support.Await;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of {@code code}: arbitrary text, and sequences of JavaScript fragments
 * (hostile ones among them). Whatever the code, the run ends with a result — ok, or an error whose
 * text is one line-ish message, never a Java stack trace — within the limits, and the sandbox
 * answers the next run.
 */
class SandboxFuzzTest {
  static final SandboxLimits LIMITS = new SandboxLimits(3_000, 500, 500_000, 128, 128, 10, 2_000, 1_000_000, 100_000);
  static final Set<String> STOPS = Set.of("cpu", "statements", "memory", "heap", "timeout");
  static Vertx vertx;
  static Sandboxes sandboxes;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    sandboxes = new Sandboxes(vertx, new CodeModeSettings(1, 4, LIMITS));
  }

  @AfterContainer
  static void stop() {
    Await.result(sandboxes.close());
    Await.result(vertx.close());
  }

  @Provide
  Arbitrary<String> fragments() {
    List<String> pieces = List.of("async", "()", "=>", "{", "}", "(", ")", "[", "]", ";", ",", "return", "await", "throw", "new",
        "while(true)", "for(;;)", "codemode", ".tools()", ".alpha_add({a:1,b:2})", ".nope()", "Promise.all", "Promise.race([])",
        "new Array(1e7).fill(0)", "'x'.repeat(1e7)", "JSON.parse", "JSON.stringify", "eval('1')", "Function('return this')()",
        "constructor", "__proto__", "globalThis", "Java", "Polyglot", "Object.prototype.x=1", "1", "'s'", "null", "undefined",
        "x => x", "async function f(){ return f() }", "f()", "console.log(1)", "Symbol()", "BigInt(1)", "new Proxy({}, {})",
        "Reflect.ownKeys(globalThis)", "import('x')", "`${1}`", "/(a+)+$/.test('a'.repeat(30)+'!')", "delete codemode.tools",
        "codemode.tools = 1", "Object.defineProperty(globalThis,'codemode',{value:1})");
    return Arbitraries.of(pieces).list().ofMinSize(1).ofMaxSize(12).map(list -> String.join(" ", list));
  }

  @Property(tries = 120)
  void fragmentsOfJavaScriptAlwaysEndWithAResult(@ForAll("fragments") String code) {
    check(code);
  }

  @Property(tries = 60)
  void arbitraryTextAlwaysEndsWithAResult(@ForAll String code) {
    check(code);
  }

  private static void check(String code) {
    CodeResult result = Await.result(sandboxes.run("acme", "execute", code, SandboxesTest.TOOLS, SandboxesTest::caller));
    assertNotNull(result.text());
    assertFalse(result.text().contains("\tat ") || result.text().contains("at com.oracle") || result.text().contains("at org.graalvm"),
        "no stack trace: " + result.text());
    if (result.stopped() != null) assertTrue(STOPS.contains(result.stopped()), code + " → " + result.stopped() + ": " + result.text());
    assertTrue(result.text().length() <= LIMITS.outputChars() + SandboxLimits.TRUNCATED.length());
    CodeResult next = Await.result(sandboxes.run("acme", "execute", "async () => 6 * 7", SandboxesTest.TOOLS, SandboxesTest::caller));
    assertEquals("42", next.text(), "after " + code);
  }
}
