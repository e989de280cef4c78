package dev.mcpgateway.mcp;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An incremental parser of {@code text/event-stream}, as the WHATWG HTML standard defines it, fed
 * with chunks as they arrive, split anywhere (even inside a UTF-8 sequence or a CRLF pair).
 *
 * <p>Handled: LF, CR and CRLF line ends (Python servers send CRLF), a leading BOM, comments,
 * multi-line {@code data}, {@code id} (ignored when it contains NUL), {@code event}, {@code retry}
 * (digits only), unknown fields, and events with empty data (MCP's priming events) — which are
 * dispatched, while an event with no data line at all only updates the last event id. An event
 * unfinished at the end of the stream is discarded. Lines and events are bounded so a hostile
 * upstream cannot exhaust memory. Not thread-safe: feed it from one context.
 */
public final class SseParser {
  private static final byte LF = '\n';
  private static final byte CR = '\r';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int maxEventBytes;
  private final Consumer<SseEvent> events;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean skipLf;
  private int bomChecked; // bytes of the stream start compared with the BOM so far; 3 = done
  private StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType;
  private String lastEventId;
  private Long retryMillis;
  private int eventBytes;

  public SseParser(int maxEventBytes, Consumer<SseEvent> events) {
    if (maxEventBytes < 1) throw new IllegalArgumentException("maxEventBytes must be positive");
    this.maxEventBytes = maxEventBytes;
    this.events = events;
  }

  /** Thrown when a line or an event exceeds the configured bound. */
  public static final class EventTooLargeException extends RuntimeException {
    EventTooLargeException(int limit) {
      super("server-sent event larger than " + limit + " bytes", null, false, false);
    }
  }

  public void feed(Buffer chunk) {
    feed(chunk.getBytes());
  }

  public void feed(byte[] bytes) {
    int i = 0;
    while (bomChecked < BOM.length && i < bytes.length) {
      if (bytes[i] != BOM[bomChecked]) {
        // not a BOM after all: what was held back is ordinary text
        byte[] held = Arrays.copyOf(BOM, bomChecked);
        bomChecked = BOM.length;
        for (byte b : held) accept(b);
        break;
      }
      bomChecked++;
      i++;
    }
    for (; i < bytes.length; i++) accept(bytes[i]);
  }

  /** The stream ended: an unfinished event is discarded, as the standard says. */
  public void end() {
    lineLength = 0;
    resetEvent();
  }

  /** The last event id seen (for {@code Last-Event-ID} on resumption), or null. */
  public String lastEventId() {
    return lastEventId;
  }

  /** The reconnection time the server asked for with {@code retry}, or null. */
  public Long retryMillis() {
    return retryMillis;
  }

  private void accept(byte b) {
    if (skipLf) {
      skipLf = false;
      if (b == LF) return;
    }
    if (b == CR || b == LF) {
      skipLf = b == CR;
      processLine();
      lineLength = 0;
      return;
    }
    if (lineLength >= maxEventBytes) throw new EventTooLargeException(maxEventBytes);
    if (lineLength == line.length) line = Arrays.copyOf(line, Math.min(line.length * 2, maxEventBytes));
    line[lineLength++] = b;
  }

  private void processLine() {
    if (lineLength == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') return; // comment
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(value(text, colon));
    switch (field) {
      case "data" -> {
        eventBytes += lineLength;
        if (eventBytes > maxEventBytes) throw new EventTooLargeException(maxEventBytes);
        data.append(value).append('\n');
        hasData = true;
      }
      case "event" -> eventType = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) lastEventId = value;
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 19) {
          retryMillis = Long.parseLong(value);
        }
      }
      default -> { } // unknown fields are ignored
    }
  }

  private static int value(String text, int colon) {
    int start = colon + 1;
    return start < text.length() && text.charAt(start) == ' ' ? start + 1 : start;
  }

  private void dispatch() {
    if (!hasData) {
      resetEvent();
      return;
    }
    data.setLength(data.length() - 1); // the last data line's LF
    SseEvent event = new SseEvent(lastEventId, eventType, data.toString());
    resetEvent();
    events.accept(event);
  }

  private void resetEvent() {
    if (data.capacity() > 64 * 1024) data = new StringBuilder();
    else data.setLength(0);
    hasData = false;
    eventType = null;
    eventBytes = 0;
  }
}
