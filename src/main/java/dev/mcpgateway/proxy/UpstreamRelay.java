package dev.mcpgateway.proxy;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.SseEvent;
import dev.mcpgateway.mcp.SseParser;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * Relays one upstream answer to the agent. A JSON answer stays JSON (read bounded, rewritten,
 * sent). An event stream is relayed event by event as it arrives — each message rewritten in place,
 * event ids kept for resumption, priming events passed on — never buffered whole, with
 * back-pressure both ways, keep-alive comments while quiet, and an idle limit: silence longer than
 * the upstream request timeout ends the stream with a JSON-RPC error for the open request (and
 * cancels it upstream), as does an upstream that breaks or ends the stream before answering —
 * unless it had sent an event id, in which case it is polling and the agent resumes with GET.
 * When the agent goes away first, the upstream exchange is dropped and {@code cancelUpstream} runs
 * (to send {@code notifications/cancelled}); every keep-alive tick of an open stream counts as
 * session activity ({@code onActivity}). A rewrite that answers null drops the message.
 *
 * <p>An {@link InputAsker} may take the upstream's own requests on a request's stream: the agent's
 * exchange then ends with what the asker answers, and the stream is {@link Held} — paused, what
 * was already read kept in order — until a later request of the agent takes the rest of it.
 */
final class UpstreamRelay {
  /** How long an upstream may take to end its event stream after the final response before it is reset. */
  private static final long FINAL_DRAIN_MS = 1_000;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final ProxySettings settings;
  private final int maxBytes;
  private final long idleLimitMs;

  UpstreamRelay(Vertx vertx, GatewayMetrics metrics, ProxySettings settings, int maxBytes, long idleLimitMs) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.settings = settings;
    this.maxBytes = maxBytes;
    this.idleLimitMs = idleLimitMs;
  }

  /**
   * Takes an upstream's own request on a request's stream for the agent to answer in a later
   * request (the stateless era's multi round-trip requests): answers the final message that ends
   * the agent's exchange while {@code held} waits, or null to leave the request to the rewrite.
   */
  interface InputAsker {
    JsonObject ask(JsonObject upstreamRequest, Held held);
  }

  /** An upstream answer stream waiting, paused, for the agent's next request. */
  interface Held {
    /**
     * Relays the rest of the answer to another agent exchange: {@code rewrite} sees the upstream's
     * messages (the final response still under the upstream request's id), a failure is reported
     * under {@code agentId}, and {@code asker} may hold the stream again.
     */
    void resume(HttpServerResponse agent, Exchange exchange, Object agentId, UnaryOperator<JsonObject> rewrite, Runnable cancelUpstream,
        InputAsker asker);

    /** Gives the stream up (nobody came back for it): reset, and the upstream told the request is cancelled. */
    void abandon();
  }

  /** Relays the answer to request {@code id}, or a server-to-client GET stream when {@code id} is null. */
  void relay(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite,
      Runnable cancelUpstream, Runnable onActivity) {
    relay(upstream, agent, exchange, id, rewrite, cancelUpstream, onActivity, true);
  }

  /** The same; {@code idleLimited} false for a request whose stream may stay quiet (a subscription). */
  void relay(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite,
      Runnable cancelUpstream, Runnable onActivity, boolean idleLimited) {
    if (McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(upstream))) {
      Stream stream = new Stream(upstream, agent, exchange, id, rewrite, cancelUpstream, onActivity);
      stream.idleLimited = idleLimited;
      stream.start();
      return;
    }
    relayJson(upstream, agent, exchange, id, rewrite);
  }

  /**
   * For a stateless-era agent over an upstream session the gateway keeps: the call has an id of
   * the gateway's own upstream ({@code id}; {@code rewrite} renames its final response to
   * {@code agentId}, under which failures are reported too), the agent cannot resume a stream with
   * GET (a stream that ends before the answer is a failure), and {@code asker} may hold the
   * stream for the agent's next request.
   */
  void relayToStateless(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, Object agentId,
      UnaryOperator<JsonObject> rewrite, Runnable cancelUpstream, InputAsker asker) {
    if (McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(upstream))) {
      Stream stream = new Stream(upstream, agent, exchange, id, rewrite, cancelUpstream, () -> { });
      stream.agentId = agentId;
      stream.agentResumes = false;
      stream.asker = asker;
      stream.start();
      return;
    }
    relayJson(upstream, agent, exchange, agentId, rewrite);
  }

  /** A JSON answer: read bounded, rewritten, sent; failures reported under {@code agentId}. */
  private void relayJson(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite) {
    StreamableHttpChannel.readBounded(upstream, maxBytes).onSuccess(body -> {
      JsonObject message;
      try {
        Object decoded = Json.decodeValue(body);
        if (!(decoded instanceof JsonObject object)) throw new DecodeException("not an object");
        message = object;
      } catch (DecodeException e) {
        McpReplies.upstreamFailure(agent, exchange, id, new McpClientException.ProtocolViolation("upstream sent malformed JSON"));
        return;
      }
      if (message.containsKey("error")) exchange.outcome("mcp_error");
      try {
        JsonObject rewritten = rewrite.apply(message);
        if (rewritten == null) throw new IllegalStateException("a JSON answer that is not a response");
        McpReplies.json(agent, 200, rewritten);
      } catch (RuntimeException e) {
        McpReplies.upstreamFailure(agent, exchange, id, new McpClientException.ProtocolViolation("upstream sent a malformed result"));
      }
    }).onFailure(e -> McpReplies.upstreamFailure(agent, exchange, id, e));
  }

  private final class Stream implements Held {
    private final HttpClientResponse upstream;
    /** The upstream request's id: its final response ends the stream. */
    private final Object id;
    private final Runnable onActivity;
    private final SseParser parser;
    // the agent side: replaced when a held stream is resumed for the agent's next request
    private HttpServerResponse agent;
    private Exchange exchange;
    private Object agentId;
    private UnaryOperator<JsonObject> rewrite;
    private Runnable cancelUpstream;
    private InputAsker asker;
    /** Waiting for the agent's next request; events read meanwhile wait in {@link #backlog}. */
    private boolean held;
    private final java.util.ArrayDeque<SseEvent> backlog = new java.util.ArrayDeque<>();
    private McpClientException heldFailure;
    private boolean heldEnded;
    private boolean done;
    private boolean idleLimited = true;
    /** Whether the agent can resume a stream that ends after an event id (GET with Last-Event-ID). */
    private boolean agentResumes = true;
    private boolean relayedEventId;
    private boolean wroteSinceTick;
    private long keepAliveTimer = -1;
    private long idleTimer = -1;
    private long drainTimer = -1;

    Stream(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite,
        Runnable cancelUpstream, Runnable onActivity) {
      this.upstream = upstream;
      this.agent = agent;
      this.exchange = exchange;
      this.id = id;
      this.agentId = id;
      this.rewrite = rewrite;
      this.cancelUpstream = cancelUpstream;
      this.onActivity = onActivity;
      this.parser = new SseParser(maxBytes, this::onEvent);
    }

    void start() {
      if (agent.closed()) { // the agent left before the upstream answered
        upstream.request().reset();
        cancelUpstream.run();
        return;
      }
      upstream.handler(chunk -> {
        if (held) { // read before the pause took effect: kept for the agent's next request
          try {
            parser.feed(chunk);
          } catch (RuntimeException e) {
            heldFailure = new McpClientException.ProtocolViolation("upstream sent a malformed SSE event");
          }
          return;
        }
        if (done) return;
        touch();
        metrics.relayed(chunk.length());
        try {
          parser.feed(chunk);
        } catch (SseParser.EventTooLargeException e) {
          fail(new McpClientException.ProtocolViolation(e.getMessage()));
          return;
        } catch (RuntimeException e) {
          fail(new McpClientException.ProtocolViolation("upstream sent malformed JSON in an SSE event"));
          return;
        }
        if (!done && agent.writeQueueFull()) upstream.pause();
      });
      upstream.exceptionHandler(e -> {
        if (held) heldFailure = StreamableHttpChannel.classify(e);
        else fail(StreamableHttpChannel.classify(e));
      });
      upstream.endHandler(v -> {
        if (drainTimer >= 0) vertx.cancelTimer(drainTimer); // ended after the final response: the connection is reusable
        if (held) heldEnded = true;
        else ended();
      });
      attach();
    }

    private void ended() {
      if (done) return;
      if (id == null || relayedEventId && agentResumes) {
        // a GET stream ended, or an upstream that polls (2025-11-25): the stream closed after an
        // event id, and the agent resumes with GET and Last-Event-ID, as the specification has it
        finish();
        if (parser.retryMillis() != null) agent.write("retry: " + parser.retryMillis() + "\n\n");
        agent.end();
      } else {
        fail(new McpClientException.Unreachable("upstream ended the event stream before answering", null));
      }
    }

    /** Opens the agent's side: the event stream's head, close and drain handling, keep-alive. */
    private void attach() {
      HttpServerResponse agent = this.agent;
      agent.setStatusCode(200)
          .putHeader("Content-Type", McpProtocol.Headers.EVENT_STREAM)
          .putHeader("Cache-Control", "no-cache")
          .setChunked(true);
      agent.closeHandler(v -> {
        if (done || agent != this.agent) return;
        finish();
        upstream.request().reset();
        cancelUpstream.run();
      });
      agent.drainHandler(v -> {
        if (agent == this.agent && !held) upstream.resume();
      });
      keepAliveTimer = vertx.setPeriodic(settings.keepAlive().toMillis(), t -> {
        if (!wroteSinceTick && !done) agent.write(": keep-alive\n\n");
        wroteSinceTick = false;
        onActivity.run(); // an open stream is a session in use
      });
      agent.write(": mcp-gateway\n\n"); // sends the head now: the agent sees the stream open
      metrics.streamOpened();
      touch();
    }

    @Override
    public void resume(HttpServerResponse agent, Exchange exchange, Object agentId, UnaryOperator<JsonObject> rewrite, Runnable cancelUpstream,
        InputAsker asker) {
      if (!held) { // given up meanwhile (abandoned): nothing to continue
        McpReplies.upstreamFailure(agent, exchange, agentId, new McpClientException.Unreachable("the upstream request was given up", null));
        return;
      }
      if (agent.closed()) { // the retry's agent left already
        abandon();
        return;
      }
      this.agent = agent;
      this.exchange = exchange;
      this.agentId = agentId;
      this.rewrite = rewrite;
      this.cancelUpstream = cancelUpstream;
      this.asker = asker;
      held = false;
      done = false;
      attach();
      while (!backlog.isEmpty() && !held && !done) { // what was read before the hold comes first
        try {
          onEvent(backlog.poll());
        } catch (RuntimeException e) {
          fail(new McpClientException.ProtocolViolation("upstream sent malformed JSON in an SSE event"));
          return;
        }
      }
      if (held || done) return;
      if (heldFailure != null) fail(heldFailure);
      else if (heldEnded) ended();
      else upstream.resume();
    }

    @Override
    public void abandon() {
      held = false;
      backlog.clear();
      if (!done) finish();
      upstream.request().reset();
      cancelUpstream.run();
    }

    /** Ends the agent's exchange with {@code last}; the stream waits for {@link #resume}. */
    private void hold(JsonObject last) {
      held = true;
      upstream.pause();
      agent.write("event: message\ndata: " + last.encode() + "\n\n");
      finish();
      agent.end();
    }

    private void onEvent(SseEvent event) {
      if (held) { // the rest of a chunk read before the stream was held
        backlog.add(event);
        return;
      }
      if (done) return; // the rest of a chunk after the final response
      StringBuilder out = new StringBuilder();
      if (event.id() != null) relayedEventId = true;
      if (event.event() != null) out.append("event: ").append(event.event()).append('\n');
      if (event.id() != null) out.append("id: ").append(event.id()).append('\n');
      if (event.data().isEmpty()) {
        agent.write(out.append("data:\n\n").toString()); // a priming event: its id lets the agent resume
        wroteSinceTick = true;
        return;
      }
      Object decoded = Json.decodeValue(event.data());
      boolean answered = false;
      String data;
      if (decoded instanceof JsonArray batch) {
        JsonArray rewritten = new JsonArray();
        for (Object item : batch) {
          if (item instanceof JsonObject message) {
            answered |= answers(message);
            JsonObject one = rewrite.apply(message);
            if (one != null) rewritten.add(one);
          } else {
            rewritten.add(item);
          }
        }
        data = rewritten.encode();
      } else if (decoded instanceof JsonObject message) {
        if (asker != null && JsonRpc.isRequest(message)) {
          JsonObject last = asker.ask(message, this);
          if (last != null) {
            hold(last);
            return;
          }
        }
        answered = answers(message);
        JsonObject rewritten = rewrite.apply(message);
        if (rewritten == null) return; // the rewrite dealt with it (a request this agent cannot be asked)
        data = rewritten.encode();
      } else {
        throw new DecodeException("not a JSON-RPC message");
      }
      agent.write(out.append("data: ").append(data).append("\n\n").toString());
      wroteSinceTick = true;
      if (answered) {
        // the final response: the stream has done its job. The upstream normally ends it at once; let
        // it, so the connection goes back to the pool (a reset costs a new connection per call), and
        // reset only a stream that stays open.
        finish();
        agent.end();
        upstream.resume();
        drainTimer = vertx.setTimer(FINAL_DRAIN_MS, t -> upstream.request().reset());
      }
    }

    private boolean answers(JsonObject message) {
      boolean answer = id != null && JsonRpc.isResponse(message) && JsonRpc.sameId(message.getValue("id"), id);
      if (answer && message.containsKey("error")) exchange.outcome("mcp_error");
      return answer;
    }

    private void touch() {
      if (id == null || !idleLimited) return; // a GET stream or a subscription may be quiet for as long as it likes
      if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
      idleTimer = vertx.setTimer(idleLimitMs, t -> {
        fail(new McpClientException.Timeout("upstream did not answer within " + idleLimitMs + " ms"));
        cancelUpstream.run(); // the upstream may still be working on it
      });
    }

    private void fail(McpClientException cause) {
      if (done) return;
      finish();
      upstream.request().reset();
      if (id == null) {
        agent.end();
      } else {
        McpReplies.upstreamFailure(agent, exchange, agentId, cause);
      }
    }

    private void finish() {
      if (!done) metrics.streamClosed();
      done = true;
      if (keepAliveTimer >= 0) vertx.cancelTimer(keepAliveTimer);
      if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
    }
  }
}
