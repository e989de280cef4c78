package dev.mcpgateway.proxy.relay;

import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
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
public final class UpstreamRelay {
  /** How long an upstream may take to end its event stream after the final response before it is reset. */
  private static final long FINAL_DRAIN_MS = 1_000;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final ProxySettings settings;
  private final int maxBytes;
  private final long idleLimitMs;

  public UpstreamRelay(Vertx vertx, GatewayMetrics metrics, ProxySettings settings, int maxBytes, long idleLimitMs) {
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
  public interface InputAsker {
    JsonObject ask(JsonObject upstreamRequest, Held held);
  }

  /** An upstream answer stream waiting, paused, for the agent's next request. */
  public interface Held {
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

  /**
   * How one stream is relayed, fixed when it starts: {@code agentId} is the id failures are
   * reported under (the agent's, when the upstream call has an id of the gateway's own);
   * {@code idleLimited} false for a stream that may stay quiet (a GET stream, a subscription);
   * {@code agentResumes} whether the agent can resume a stream that ends after an event id (GET
   * with Last-Event-ID; stateless agents cannot); {@code asker} may take the upstream's own
   * requests (null: none).
   */
  private record Options(Object agentId, boolean idleLimited, boolean agentResumes, InputAsker asker) {}

  /**
   * Where a stream is: relaying to the agent's exchange; held, the agent's exchange ended with an
   * input request, the upstream paused until the agent's retry resumes it (or nobody does); done.
   */
  private enum State { RELAYING, HELD, DONE }

  /** Relays the answer to request {@code id}, or a server-to-client GET stream when {@code id} is null. */
  public void relay(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite,
      Runnable cancelUpstream, Runnable onActivity) {
    relay(upstream, agent, exchange, id, rewrite, cancelUpstream, onActivity, true);
  }

  /** The same; {@code idleLimited} false for a request whose stream may stay quiet (a subscription). */
  public void relay(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite,
      Runnable cancelUpstream, Runnable onActivity, boolean idleLimited) {
    if (McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(upstream))) {
      new Stream(upstream, agent, exchange, id, rewrite, cancelUpstream, onActivity, new Options(id, idleLimited, true, null)).start();
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
  public void relayToStateless(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, Object agentId,
      UnaryOperator<JsonObject> rewrite, Runnable cancelUpstream, InputAsker asker) {
    if (McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(upstream))) {
      new Stream(upstream, agent, exchange, id, rewrite, cancelUpstream, () -> { }, new Options(agentId, true, false, asker)).start();
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
      if (message.containsKey("error")) exchange.mcpError(message);
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
    private final boolean idleLimited;
    private final boolean agentResumes;
    private final SseParser parser;
    // the agent side: replaced when a held stream is resumed for the agent's next request
    private HttpServerResponse agent;
    private Exchange exchange;
    private Object agentId;
    private UnaryOperator<JsonObject> rewrite;
    private Runnable cancelUpstream;
    private InputAsker asker;
    private State state = State.RELAYING;
    /** While HELD: events read before the pause took effect, and how the upstream stream ended meanwhile. */
    private final java.util.ArrayDeque<SseEvent> backlog = new java.util.ArrayDeque<>();
    private McpClientException heldFailure;
    private boolean heldEnded;
    private boolean relayedEventId;
    /** The relay paused the upstream for an agent that cannot keep up: no idle limit until the agent drains. */
    private boolean agentBehind;
    private boolean wroteSinceTick;
    private long keepAliveTimer = -1;
    private long idleTimer = -1;
    private long drainTimer = -1;

    Stream(HttpClientResponse upstream, HttpServerResponse agent, Exchange exchange, Object id, UnaryOperator<JsonObject> rewrite,
        Runnable cancelUpstream, Runnable onActivity, Options options) {
      this.upstream = upstream;
      this.agent = agent;
      this.exchange = exchange;
      this.id = id;
      this.agentId = options.agentId();
      this.idleLimited = options.idleLimited();
      this.agentResumes = options.agentResumes();
      this.asker = options.asker();
      this.rewrite = rewrite;
      this.cancelUpstream = cancelUpstream;
      this.onActivity = onActivity;
      this.parser = new SseParser(maxBytes, this::onEvent);
    }

    public void start() {
      if (agent.closed()) { // the agent left before the upstream answered
        upstream.exceptionHandler(e -> { }); // the reset is ours: nothing to report
        upstream.request().reset();
        cancelUpstream.run();
        return;
      }
      upstream.handler(chunk -> {
        if (state == State.HELD) { // read before the pause took effect: kept for the agent's next request
          try {
            parser.feed(chunk);
          } catch (RuntimeException e) {
            heldFailure = new McpClientException.ProtocolViolation("upstream sent a malformed SSE event");
          }
          return;
        }
        if (state == State.DONE) return;
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
        if (state == State.RELAYING && agent.writeQueueFull()) {
          upstream.pause();
          agentBehind = true; // waiting for the agent now: its pace is not the upstream's silence
          idle();
        }
      });
      upstream.exceptionHandler(e -> {
        if (state == State.HELD) heldFailure = StreamableHttpChannel.classify(e);
        else fail(StreamableHttpChannel.classify(e));
      });
      upstream.endHandler(v -> {
        if (drainTimer >= 0) vertx.cancelTimer(drainTimer); // ended after the final response: the connection is reusable
        if (state == State.HELD) heldEnded = true;
        else ended();
      });
      attach();
    }

    private void ended() {
      if (state != State.RELAYING) return;
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
      AgentEventStream.open(agent);
      agent.closeHandler(v -> {
        if (state != State.RELAYING || agent != this.agent) return;
        finish();
        upstream.request().reset();
        cancelUpstream.run();
      });
      agent.drainHandler(v -> {
        if (agent != this.agent || state == State.HELD) return;
        agentBehind = false;
        if (state == State.RELAYING) touch(); // the idle limit runs again from here
        upstream.resume();
      });
      keepAliveTimer = vertx.setPeriodic(settings.keepAlive().toMillis(), t -> {
        if (!wroteSinceTick && state == State.RELAYING) agent.write(": keep-alive\n\n");
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
      if (state != State.HELD) { // given up meanwhile (abandoned): nothing to continue
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
      state = State.RELAYING;
      agentBehind = false; // a new agent exchange, with a write queue of its own
      attach();
      while (!backlog.isEmpty() && state == State.RELAYING) { // what was read before the hold comes first
        try {
          onEvent(backlog.poll());
        } catch (RuntimeException e) {
          fail(new McpClientException.ProtocolViolation("upstream sent malformed JSON in an SSE event"));
          return;
        }
      }
      if (state != State.RELAYING) return;
      if (heldFailure != null) fail(heldFailure);
      else if (heldEnded) ended();
      else upstream.resume();
    }

    @Override
    public void abandon() {
      backlog.clear();
      finish();
      upstream.request().reset();
      cancelUpstream.run();
    }

    /** Ends the agent's exchange with {@code last}; the stream waits for {@link #resume}. */
    private void hold(JsonObject last) {
      upstream.pause();
      agent.write(AgentEventStream.frame(last));
      finish();
      state = State.HELD;
      agent.end();
    }

    private void onEvent(SseEvent event) {
      if (state == State.HELD) { // the rest of a chunk read before the stream was held
        backlog.add(event);
        return;
      }
      if (state == State.DONE) return; // the rest of a chunk after the final response
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
      if (answer && message.containsKey("error")) exchange.mcpError(message);
      return answer;
    }

    /** Stops the idle limit (the relay itself paused the upstream); {@link #touch} starts it again. */
    private void idle() {
      if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }

    private void touch() {
      if (id == null || !idleLimited) return; // a GET stream or a subscription may be quiet for as long as it likes
      if (agentBehind) return; // chunks read before the pause took effect: the wait is still the agent's
      if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
      idleTimer = vertx.setTimer(idleLimitMs, t -> {
        fail(new McpClientException.Timeout("upstream did not answer within " + idleLimitMs + " ms"));
        cancelUpstream.run(); // the upstream may still be working on it
      });
    }

    private void fail(McpClientException cause) {
      if (state != State.RELAYING) return;
      finish();
      upstream.request().reset();
      if (id == null) {
        agent.end();
      } else {
        McpReplies.upstreamFailure(agent, exchange, agentId, cause);
      }
    }

    private void finish() {
      if (state == State.RELAYING) metrics.streamClosed();
      state = State.DONE;
      if (keepAliveTimer >= 0) vertx.cancelTimer(keepAliveTimer);
      if (idleTimer >= 0) vertx.cancelTimer(idleTimer);
    }
  }
}
