package dev.mcpgateway.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Configures java.util.logging (which Vert.x and the gateway log through) once at start: level
 * ({@code logging.level}), format ({@code json} or {@code text}; both redacted), and whether the
 * access log is written ({@code logging.access}).
 */
public final class LogSetup {
  private LogSetup() {}

  public static void apply(String level, String format, boolean access) {
    Level parsed = switch (level.toLowerCase(java.util.Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      case "off" -> Level.OFF;
      default -> throw new IllegalArgumentException("logging.level must be one of error, warn, info, debug, trace, off, not '" + level + "'");
    };
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(parsed);
    Handler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFormatter("text".equalsIgnoreCase(format) ? new RedactingTextFormatter() : new JsonLogFormatter());
    root.addHandler(console);
    Logger.getLogger(AccessLog.LOGGER_NAME).setLevel(access ? Level.INFO : Level.OFF);
  }

  /** The JDK's one-line text format, redacted like the JSON one. */
  static final class RedactingTextFormatter extends SimpleFormatter {
    @Override
    public String format(java.util.logging.LogRecord record) {
      return SecretRedactor.redact(super.format(record));
    }
  }
}
