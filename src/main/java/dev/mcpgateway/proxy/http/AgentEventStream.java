package dev.mcpgateway.proxy.http;

import dev.mcpgateway.mcp.McpProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The SSE stream toward an agent, written in one place: the head ({@code 200},
 * {@code text/event-stream}, {@code no-cache}, chunked), one {@code event: message} frame per
 * JSON-RPC message, comment lines (a priming comment, keep-alives) and the end. Every write is a
 * no-op once the agent's response has ended or closed, so callers need not ask first. Relays with
 * back-pressure of their own ({@code relay.UpstreamRelay}) frame through {@link #frame} too.
 */
public final class AgentEventStream {
  private final HttpServerResponse response;
  private long keepAlive = -1;
  private Vertx timers;

  private AgentEventStream(HttpServerResponse response) {
    this.response = response;
  }

  /** Writes the head (unless already written) and answers the stream. */
  public static AgentEventStream open(HttpServerResponse response) {
    if (!response.headWritten() && !response.ended() && !response.closed()) {
      response.setStatusCode(200).putHeader("Content-Type", McpProtocol.Headers.EVENT_STREAM).putHeader("Cache-Control", "no-cache")
          .setChunked(true);
    }
    return new AgentEventStream(response);
  }

  /**
   * Marks the request's stream as one that never ends by itself (a GET stream, a subscription):
   * when the server shuts down, its connection is closed at once, as the agent's side of a
   * reconnect, instead of holding the shutdown for the whole grace period that in-flight calls
   * get. The stream's close handlers then release its upstream side as for an agent that left.
   */
  public static void closeAtShutdown(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    connection.shutdownHandler(v -> {
      if (!ctx.response().ended()) connection.close();
    });
  }

  /** One message as an SSE event. */
  public static String frame(JsonObject message) {
    return "event: message\ndata: " + message.encode() + "\n\n";
  }

  public boolean isOpen() {
    return !response.ended() && !response.closed();
  }

  public AgentEventStream send(JsonObject message) {
    if (isOpen()) response.write(frame(message));
    return this;
  }

  /** An SSE comment line: ignored by clients, keeps proxies and idle timers from closing the stream. */
  public AgentEventStream comment(String text) {
    if (isOpen()) response.write(": " + text + "\n\n");
    return this;
  }

  /**
   * Writes a keep-alive comment every {@code everyMs} while the stream is open, and runs
   * {@code onTick} (e.g. to count the stream as activity of its session); stops at {@link #end}.
   */
  public AgentEventStream keepAlive(Vertx vertx, long everyMs, Runnable onTick) {
    timers = vertx;
    keepAlive = vertx.setPeriodic(everyMs, t -> {
      if (!isOpen()) {
        vertx.cancelTimer(t);
        return;
      }
      onTick.run();
      comment("keep-alive");
    });
    return this;
  }

  /** Ends the stream, with {@code last} as its final event (null: none). */
  public void end(JsonObject last) {
    if (keepAlive >= 0) timers.cancelTimer(keepAlive);
    if (!isOpen()) return;
    if (last == null) response.end();
    else response.end(frame(last));
  }
}
