package dev.mcpgateway.config;

/** {@code logging}: level, format ({@code json} or {@code text}) and whether the access log is written. */
public record LoggingSettings(String level, String format, boolean access) {

  public static LoggingSettings from(ConfigSection logging) {
    String format = logging.string("format");
    if (!format.equals("json") && !format.equals("text")) {
      throw new IllegalArgumentException(logging.describe("format") + " must be json or text, not '" + format + "'");
    }
    return new LoggingSettings(logging.string("level"), format, logging.bool("access"));
  }
}
