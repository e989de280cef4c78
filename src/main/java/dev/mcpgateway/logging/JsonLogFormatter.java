package dev.mcpgateway.logging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per log line ({@code time, level, logger, message, error?}, and {@code trace_id,
 * span_id} when logged under a span), every field passed
 * through {@link SecretRedactor} — so redaction happens at the logging layer, whoever logged.
 * Access-log records carry their fields as a JSON message and are merged in as fields.
 */
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    JsonObject line = new JsonObject()
        .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
        .put("level", record.getLevel().getName())
        .put("logger", record.getLoggerName());
    String message = formatMessage(record);
    if (AccessLog.LOGGER_NAME.equals(record.getLoggerName()) && message.startsWith("{")) {
      line.mergeIn(new JsonObject(message));
    } else {
      line.put("message", message);
    }
    // the span current where the line was logged (the message's, for an access line): logs and traces join on these
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) line.put("trace_id", span.getTraceId()).put("span_id", span.getSpanId());
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", trace.toString());
    }
    return SecretRedactor.redact(line.encode()) + System.lineSeparator();
  }
}
