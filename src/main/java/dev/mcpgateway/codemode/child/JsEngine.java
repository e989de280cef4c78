package dev.mcpgateway.codemode.child;

import dev.mcpgateway.codemode.SandboxLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One GraalJS engine per sandbox process (its parsed code is shared between runs; no data is),
 * and the context every run gets: no host access, class lookup, I/O, threads, processes, native
 * code, environment or other languages; no {@code load}, {@code print}, {@code Java},
 * {@code Polyglot}, {@code Graal} or shared memory; strings and typed arrays capped; a statement
 * limit. (No class lookup is configured at all: a lookup predicate, even one that refuses
 * everything, makes GraalJS define the {@code Java} global.) The options that cap sizes are GraalJS's experimental ones, which its CONSTRAINED policy
 * does not let a context set, so the policy stays TRUSTED and every access is denied by hand.
 */
final class JsEngine {
  private final Engine engine;
  private final SandboxLimits limits;
  private final ResourceLimits resourceLimits;
  final Source prelude;

  JsEngine(SandboxLimits limits) throws IOException {
    this.limits = limits;
    this.engine = Engine.newBuilder("js")
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        // no JIT compiler on a stock JDK: the interpreter is what runs, and that is expected
        .option("engine.WarnInterpreterOnly", "false")
        .build();
    // a statement limit is an engine-wide setting in Truffle: every context of this engine shares the same one
    this.resourceLimits = ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build();
    try (InputStream in = JsEngine.class.getResourceAsStream("/codemode/prelude.js")) {
      if (in == null) throw new IOException("codemode/prelude.js is missing from the classpath");
      this.prelude = Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "prelude.js").build();
    }
  }

  Context newContext(OutputStream console) {
    return Context.newBuilder("js")
        .engine(engine)
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLoading(false)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE)
        .allowValueSharing(false)
        .allowInnerContextOptions(false)
        .allowExperimentalOptions(true)
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.polyglot-builtin", "false")
        .option("js.graal-builtin", "false")
        .option("js.java-package-globals", "false")
        .option("js.shared-array-buffer", "false")
        .option("js.string-length-limit", Integer.toString(limits.maxStringChars()))
        .option("js.max-typed-array-length", Integer.toString(limits.maxTypedArrayLength()))
        .option("js.stack-trace-limit", "0")
        .out(console)
        .err(console)
        .resourceLimits(resourceLimits)
        .build();
  }

  /** The first context of an engine costs hundreds of milliseconds: paid at start, not by the first agent. */
  void warmUp() {
    try (Context context = newContext(OutputStream.nullOutputStream())) {
      context.eval("js", "(async () => JSON.stringify([1, 2].map(x => x * 2)))()");
    }
  }
}
