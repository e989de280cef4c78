package dev.mcpgateway.mcp;

/**
 * One dispatched server-sent event. {@code event} is null for the default type ("message");
 * {@code id} is the last event id in force when it was dispatched (null if none was ever set).
 */
public record SseEvent(String id, String event, String data) {

  /** The event type with the default applied. */
  public String type() {
    return event == null || event.isEmpty() ? "message" : event;
  }
}
