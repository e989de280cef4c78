package dev.mcpgateway.config;

import dev.mcpgateway.codemode.SandboxLimits;

/**
 * {@code code_mode}: how many sandbox processes run agents' code at once ({@code sandboxes}), how
 * many runs may wait for one ({@code max_queued}), and what one run may use ({@link SandboxLimits}).
 */
public record CodeModeSettings(int sandboxes, int maxQueued, SandboxLimits limits) {

  public static CodeModeSettings from(ConfigSection section) {
    return new CodeModeSettings(section.integer("sandboxes", 1, 64), section.integer("max_queued", 0, 10_000),
        new SandboxLimits(
            section.integer("timeout_ms", 100, 600_000),
            section.integer("cpu_ms", 10, 600_000),
            section.integer("max_statements", 1_000, Integer.MAX_VALUE),
            section.integer("max_allocated_mb", 1, 1_000_000),
            section.integer("heap_mb", 64, 65_536),
            section.integer("max_tool_calls", 0, 100_000),
            section.integer("max_output_chars", 100, 10_000_000),
            section.integer("max_string_chars", 1_000, 1_073_741_799),
            section.integer("max_typed_array_length", 0, Integer.MAX_VALUE - 8)));
  }
}
