package dev.mcpgateway.codemode;

import io.vertx.core.json.JsonObject;

/**
 * What one run of an agent's code may use. Enforced inside the sandbox process: {@code cpuMs} of
 * CPU time on its thread, {@code statements} JavaScript statements, {@code allocatedMb} of heap
 * allocated (all sampled or counted while it runs), {@code maxToolCalls} tool calls; strings stop
 * at {@code maxStringChars} and typed arrays at {@code maxTypedArrayLength} elements (GraalJS
 * refuses larger ones), so that no single allocation outgrows the process's heap ({@code heapMb},
 * the JVM's own hard limit). {@code timeoutMs} bounds the whole run, tool calls included;
 * {@code outputChars} caps the text answered to the agent.
 */
public record SandboxLimits(long timeoutMs, long cpuMs, long statements, long allocatedMb, int heapMb, int maxToolCalls,
    int outputChars, int maxStringChars, int maxTypedArrayLength) {

  /** The console output kept per run, beyond which lines are dropped. */
  public static final int CONSOLE_CHARS = 4_000;
  public static final String TRUNCATED = "\n--- TRUNCATED ---";

  public JsonObject toJson() {
    return new JsonObject().put("timeoutMs", timeoutMs).put("cpuMs", cpuMs).put("statements", statements).put("allocatedMb", allocatedMb)
        .put("heapMb", heapMb).put("maxToolCalls", maxToolCalls).put("outputChars", outputChars).put("maxStringChars", maxStringChars)
        .put("maxTypedArrayLength", maxTypedArrayLength);
  }

  public static SandboxLimits fromJson(JsonObject json) {
    return new SandboxLimits(json.getLong("timeoutMs"), json.getLong("cpuMs"), json.getLong("statements"), json.getLong("allocatedMb"),
        json.getInteger("heapMb"), json.getInteger("maxToolCalls"), json.getInteger("outputChars"), json.getInteger("maxStringChars"),
        json.getInteger("maxTypedArrayLength"));
  }

  /** {@code text} cut to {@code max} characters, with the marker when cut. */
  public static String cap(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + TRUNCATED;
  }
}
