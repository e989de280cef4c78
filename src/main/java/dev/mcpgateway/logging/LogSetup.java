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
  /**
   * Micrometer's registry logger. Held here so the filter on it lives as long as the process
   * (java.util.logging keeps loggers only weakly).
   */
  private static final Logger METER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

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
    METER_REGISTRY.setFilter(LogSetup::notVertxGaugeReRegistration);
  }

  /**
   * False for Micrometer's "This Gauge has been already registered" warning about one of Vert.x's
   * own meters. vertx-micrometer-metrics (through 5.0.12) registers its connection, request and pool
   * gauges again on every new connection or request, sharing one counter per gauge id, so the values
   * are right; Micrometer 1.13.9+ warns on the second registration (vertx-micrometer-metrics#259).
   * That is the warning every start printed on its second HTTP or PostgreSQL connection. A double
   * registration of any other meter still logs.
   */
  static boolean notVertxGaugeReRegistration(java.util.logging.LogRecord record) {
    String message = record.getMessage();
    return message == null || !message.startsWith("This Gauge has been already registered (MeterId{name='vertx.");
  }

  /** The JDK's one-line text format, redacted like the JSON one. */
  static final class RedactingTextFormatter extends SimpleFormatter {
    @Override
    public String format(java.util.logging.LogRecord record) {
      return SecretRedactor.redact(super.format(record));
    }
  }
}
