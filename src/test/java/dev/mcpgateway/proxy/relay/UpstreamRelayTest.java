package dev.mcpgateway.proxy.relay;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamRelay} between real parts: an upstream HttpServer the test scripts per case, a
 * gateway HttpServer whose handler asks the upstream through {@link UpstreamCall} and relays the
 * answer, and an agent HttpClient reading what the gateway sends. One event loop: everything that
 * touches the relay runs on it, inside the servers' handlers; the JUnit thread only starts agent
 * requests, gives the upstream its cues and waits for outcomes (never for durations).
 */
class UpstreamRelayTest {
  /** The id of the gateway's own call upstream; agents' ids are "agent-1", "agent-2". */
  private static final String CALL_ID = "mcpgw-1";
  private static final int MAX_BYTES = 1024 * 1024;
  private static final long LONG_IDLE_MS = 20_000;

  private Vertx vertx;
  private Context agentContext;
  private HttpServer upstreamServer;
  private HttpServer gatewayServer;
  private HttpClient upstreamClient;
  private HttpClient agentClient;
  private GatewayMetrics metrics;
  /** The upstream's script for the current test. */
  private volatile Handler<HttpServerRequest> upstream = request -> request.response().setStatusCode(500).end();
  /** The gateway's handling of an agent request for the current test. */
  private volatile Handler<HttpServerRequest> gateway = request -> request.response().setStatusCode(500).end();
  /** The upstream's stream for the test's call was closed under it (reset by the gateway). */
  private final Promise<Void> upstreamClosed = Promise.promise();
  private final AtomicInteger cancels = new AtomicInteger();
  private final AtomicInteger activity = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    agentContext = vertx.getOrCreateContext();
    metrics = GatewayMetrics.create(Clock.systemUTC());
    upstreamServer = result(vertx.createHttpServer().requestHandler(request -> {
      request.response().closeHandler(v -> upstreamClosed.tryComplete());
      upstream.handle(request);
    }).listen(0, "127.0.0.1"));
    gatewayServer = result(vertx.createHttpServer().requestHandler(request -> gateway.handle(request)).listen(0, "127.0.0.1"));
    upstreamClient = vertx.createHttpClient();
    agentClient = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
    metrics.registry().close();
  }

  // ---------------------------------------------------------------- the cases

  @Test
  void aJsonAnswerIsRelayedAsJsonWithTheRewriteApplied() {
    upstream = request -> request.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .end(JsonRpc.result(CALL_ID, new JsonObject().put("old", "value").put("kept", 1)).encode());
    AtomicReference<Exchange> exchange = new AtomicReference<>();
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    gateway = request -> {
      exchange.set(new Exchange());
      forward(request, answer -> relay.relay(answer, request.response(), exchange.get(), CALL_ID, renaming("old", "renamed"),
          cancels::incrementAndGet, activity::incrementAndGet));
    };

    AgentView agent = agent("/call");
    result(agent.ended.future());

    assertEquals(200, agent.status);
    assertEquals(McpProtocol.Headers.JSON, agent.contentType);
    JsonObject answer = new JsonObject(agent.text());
    assertEquals(CALL_ID, answer.getValue("id"));
    assertEquals(new JsonObject().put("renamed", "value").put("kept", 1), answer.getJsonObject("result"), "the rewrite renamed the field");
    assertEquals(0, cancels.get(), "nothing to cancel");
    assertEquals("ok", exchange.get().outcome);
    assertEquals(0.0, openStreams(), "a JSON answer is no stream");
  }

  @Test
  void anEventStreamIsRelayedEventByEventAndEndsWithTheFinalResponse() {
    // the upstream keeps its stream open after the final response, with a stray event in the same chunk
    upstream = request -> {
      HttpServerResponse out = eventStream(request);
      out.write(frame(progress(1)));
      vertx.setTimer(20, t -> {
        out.write(frame(JsonRpc.notification("notifications/message", new JsonObject().put("data", "dropped by the rewrite"))));
        out.write(frame(progress(2)));
        vertx.setTimer(20, u -> out.write(frame(JsonRpc.result(CALL_ID, new JsonObject().put("done", true)))
            + frame(JsonRpc.notification("notifications/message", new JsonObject().put("data", "after the answer")))));
      });
    };
    AtomicReference<Exchange> exchange = new AtomicReference<>();
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    UnaryOperator<JsonObject> rewrite = m -> "notifications/message".equals(m.getString("method")) ? null : m;
    gateway = request -> {
      exchange.set(new Exchange());
      forward(request, answer -> relay.relay(answer, request.response(), exchange.get(), CALL_ID, rewrite, cancels::incrementAndGet,
          activity::incrementAndGet));
    };

    AgentView agent = agent("/call");
    result(agent.ended.future()); // the agent's response ends although the upstream's stream stays open

    assertEquals(200, agent.status);
    assertEquals(McpProtocol.Headers.EVENT_STREAM, agent.contentType);
    List<JsonObject> events = agent.events();
    assertEquals(List.of(progress(1), progress(2), JsonRpc.result(CALL_ID, new JsonObject().put("done", true))), events,
        "each message in order, the dropped one left out, nothing after the final response");
    assertTrue(agent.text().contains("event: message\ndata: "), "relayed as SSE events: " + agent.text());
    result(upstreamClosed.future()); // the stream that stayed open after the answer is reset (after the final drain)
    assertEquals(0, cancels.get(), "an answered request is not cancelled");
    assertEquals("ok", exchange.get().outcome);
    Await.until(() -> openStreams() == 0, "the stream is counted closed");
  }

  @Test
  void aStreamThatEndsBeforeTheFinalResponseEndsWithAnErrorForTheRequest() {
    upstream = request -> {
      HttpServerResponse out = eventStream(request);
      out.write(frame(progress(1)));
      vertx.setTimer(20, t -> out.end());
    };
    AtomicReference<Exchange> exchange = new AtomicReference<>();
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    gateway = request -> {
      exchange.set(new Exchange());
      forward(request, answer -> relay.relay(answer, request.response(), exchange.get(), CALL_ID, UnaryOperator.identity(),
          cancels::incrementAndGet, activity::incrementAndGet));
    };

    AgentView agent = agent("/call");
    result(agent.ended.future());

    List<JsonObject> events = agent.events();
    assertEquals(2, events.size(), "the progress, then the error: " + events);
    assertEquals(progress(1), events.get(0));
    JsonObject error = events.get(1);
    assertEquals(CALL_ID, error.getValue("id"), "the error answers the open request");
    assertEquals(McpProtocol.ErrorCodes.INTERNAL_ERROR, error.getJsonObject("error").getInteger("code"));
    assertEquals("upstream MCP server failed", error.getJsonObject("error").getString("message"));
    assertEquals(new JsonObject().put("cause", "upstream ended the event stream before answering").put("is_upstream", false)
        .put("retryable", true), error.getJsonObject("error").getJsonObject("data"), "data has the shape of error_details");
    assertEquals("upstream_error", exchange.get().outcome);
    Await.until(() -> openStreams() == 0, "the stream is counted closed");
  }

  @Test
  void anUpstreamSilentPastTheIdleLimitGetsATimeoutErrorAndIsCancelled() {
    upstream = request -> eventStream(request).write(frame(progress(1))); // then nothing, the stream left open
    AtomicReference<Exchange> exchange = new AtomicReference<>();
    UpstreamRelay relay = relay(300, Duration.ofMinutes(1));
    gateway = request -> {
      exchange.set(new Exchange());
      forward(request, answer -> relay.relay(answer, request.response(), exchange.get(), CALL_ID, UnaryOperator.identity(),
          cancels::incrementAndGet, activity::incrementAndGet));
    };

    AgentView agent = agent("/call");
    result(agent.ended.future());

    List<JsonObject> events = agent.events();
    assertEquals(2, events.size(), "the progress, then the timeout: " + events);
    assertEquals(progress(1), events.get(0));
    JsonObject error = events.get(1).getJsonObject("error");
    assertEquals(CALL_ID, events.get(1).getValue("id"));
    assertEquals(McpReplies.REQUEST_TIMEOUT, error.getInteger("code"));
    assertEquals("upstream MCP server timed out", error.getString("message"));
    assertEquals(new JsonObject().put("cause", "upstream did not answer within 300 ms").put("is_upstream", false).put("retryable", true),
        error.getJsonObject("data"));
    Await.until(() -> cancels.get() == 1, "cancelUpstream ran");
    result(upstreamClosed.future()); // and the upstream request was reset
    assertEquals(1, cancels.get(), "cancelled once");
    assertEquals("timeout", exchange.get().outcome);
    Await.until(() -> openStreams() == 0, "the stream is counted closed");
  }

  @Test
  void anAgentThatLeavesMidStreamResetsTheUpstreamRequestAndCancelsIt() {
    upstream = request -> eventStream(request).write(frame(progress(1))); // working, the stream left open
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    gateway = request -> forward(request, answer -> relay.relay(answer, request.response(), new Exchange(), CALL_ID,
        UnaryOperator.identity(), cancels::incrementAndGet, activity::incrementAndGet));

    AgentView agent = agent("/call");
    Await.until(() -> agent.events().size() == 1, "the agent has the progress");
    assertEquals(1.0, openStreams());
    agentContext.runOnContext(v -> agent.response.request().connection().close()); // the agent goes away

    result(upstreamClosed.future()); // the upstream sees its request's stream closed
    Await.until(() -> cancels.get() == 1, "cancelUpstream ran");
    Await.until(() -> openStreams() == 0, "the stream is counted closed");
    assertEquals(List.of(progress(1)), agent.events());
  }

  @Test
  void anAgentGoneBeforeTheUpstreamAnsweredResetsTheUpstreamRequestAndCancelsIt() {
    Promise<Void> asked = Promise.promise();
    Promise<Void> answerNow = Promise.promise();
    upstream = request -> {
      asked.tryComplete();
      on(answerNow, () -> eventStream(request).write(frame(progress(1))));
    };
    Promise<Void> agentGone = Promise.promise();
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    gateway = request -> {
      request.response().closeHandler(v -> agentGone.tryComplete());
      forward(request, answer -> relay.relay(answer, request.response(), new Exchange(), CALL_ID, UnaryOperator.identity(),
          cancels::incrementAndGet, activity::incrementAndGet));
    };

    AgentView agent = agent("/call");
    result(asked.future());
    agentContext.runOnContext(v -> agent.request.get().connection().close());
    result(agentGone.future());
    agentContext.runOnContext(v -> answerNow.complete());

    result(upstreamClosed.future());
    Await.until(() -> cancels.get() == 1, "cancelUpstream ran");
    assertEquals(0.0, openStreams(), "no stream was opened toward an agent that had left");
  }

  @Test
  void aHeldStreamResumesOnTheAgentsNextRequestWithWhatWasReadWhileHeldFirst() {
    JsonObject elicitation = JsonRpc.request("up-1", "elicitation/create", new JsonObject().put("message", "Which one?"));
    Promise<Void> sendRest = Promise.promise();
    Promise<Void> restWritten = Promise.promise();
    upstream = request -> {
      HttpServerResponse out = eventStream(request);
      out.write(frame(progress(1)));
      // the request to the client and, in the same write, what is read before the pause takes effect
      out.write(frame(elicitation) + frame(progress(2)) + frame(progress(3)));
      on(sendRest, () -> out.end(frame(progress(4)) + frame(JsonRpc.result(CALL_ID, new JsonObject().put("done", true))))
          .onComplete(v -> restWritten.tryComplete()));
    };
    List<JsonObject> asked = new CopyOnWriteArrayList<>();
    AtomicReference<UpstreamRelay.Held> held = new AtomicReference<>();
    AtomicInteger cancelsOfRetry = new AtomicInteger();
    UpstreamRelay.InputAsker asker = (request, stream) -> {
      asked.add(request.copy());
      held.set(stream);
      return JsonRpc.result("agent-1", new JsonObject().put("resultType", "input_required")
          .put("inputRequests", new JsonObject().put("upstream-1", request.copy())));
    };
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    AtomicReference<Exchange> retryExchange = new AtomicReference<>();
    gateway = request -> {
      if (request.path().equals("/call")) {
        forward(request, answer -> relay.relayToStateless(answer, request.response(), new Exchange(), CALL_ID, "agent-1",
            answeringAs("agent-1"), cancels::incrementAndGet, asker));
      } else { // the agent's retry takes the rest of the stream
        retryExchange.set(new Exchange());
        held.get().resume(request.response(), retryExchange.get(), "agent-2", answeringAs("agent-2"), cancelsOfRetry::incrementAndGet, null);
      }
    };

    AgentView first = agent("/call");
    result(first.ended.future());
    assertEquals(McpProtocol.Headers.EVENT_STREAM, first.contentType);
    assertEquals(List.of(progress(1), JsonRpc.result("agent-1", new JsonObject().put("resultType", "input_required")
        .put("inputRequests", new JsonObject().put("upstream-1", elicitation)))), first.events(),
        "the first exchange ends with the asker's message; nothing read after the request to the client leaks into it");
    assertEquals(List.of(elicitation), asked, "the asker saw the upstream's request once");
    assertEquals(0.0, openStreams(), "a held stream is no open agent stream");

    agentContext.runOnContext(v -> sendRest.complete()); // the upstream answers while the stream is held
    result(restWritten.future());

    AgentView retry = agent("/retry");
    result(retry.ended.future());
    assertEquals(McpProtocol.Headers.EVENT_STREAM, retry.contentType);
    assertEquals(List.of(progress(2), progress(3), progress(4), JsonRpc.result("agent-2", new JsonObject().put("done", true))),
        retry.events(), "what was read while held first, in order, then the rest, the final response under the retry's id");
    assertEquals(0, cancels.get());
    assertEquals(0, cancelsOfRetry.get());
    assertEquals("ok", retryExchange.get().outcome);
    Await.until(() -> openStreams() == 0, "the stream is counted closed");
  }

  @Test
  void anAbandonedStreamIsResetAndCancelledAndALaterResumeAnswersGivenUp() {
    upstream = request -> eventStream(request).write(frame(JsonRpc.request("up-1", "elicitation/create", new JsonObject())));
    AtomicReference<UpstreamRelay.Held> held = new AtomicReference<>();
    AtomicInteger cancelsOfRetry = new AtomicInteger();
    UpstreamRelay.InputAsker asker = (request, stream) -> {
      held.set(stream);
      return JsonRpc.result("agent-1", new JsonObject().put("resultType", "input_required"));
    };
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    AtomicReference<Exchange> retryExchange = new AtomicReference<>();
    gateway = request -> {
      switch (request.path()) {
        case "/call" -> forward(request, answer -> relay.relayToStateless(answer, request.response(), new Exchange(), CALL_ID, "agent-1",
            answeringAs("agent-1"), cancels::incrementAndGet, asker));
        case "/give-up" -> { // what the bridge does with a handle nobody used in time
          held.get().abandon();
          request.response().setStatusCode(204).end();
        }
        default -> {
          retryExchange.set(new Exchange());
          held.get().resume(request.response(), retryExchange.get(), "agent-2", answeringAs("agent-2"), cancelsOfRetry::incrementAndGet, null);
        }
      }
    };

    AgentView first = agent("/call");
    result(first.ended.future());
    assertEquals(List.of(JsonRpc.result("agent-1", new JsonObject().put("resultType", "input_required"))), first.events());
    assertFalse(upstreamClosed.future().isComplete(), "a held stream stays open upstream");
    assertEquals(0, cancels.get());

    result(agent("/give-up").ended.future());
    result(upstreamClosed.future()); // reset
    Await.until(() -> cancels.get() == 1, "cancelUpstream ran");

    AgentView retry = agent("/retry");
    result(retry.ended.future());
    assertEquals(200, retry.status);
    assertEquals(McpProtocol.Headers.JSON, retry.contentType, "nothing was streamed: the error is a plain JSON answer");
    JsonObject answer = new JsonObject(retry.text());
    assertEquals("agent-2", answer.getValue("id"));
    assertEquals(McpProtocol.ErrorCodes.INTERNAL_ERROR, answer.getJsonObject("error").getInteger("code"));
    assertEquals(new JsonObject().put("cause", "the upstream request was given up").put("is_upstream", false).put("retryable", true),
        answer.getJsonObject("error").getJsonObject("data"));
    assertEquals("upstream_error", retryExchange.get().outcome);
    assertEquals(1, cancels.get(), "cancelled once, by the abandon");
    assertEquals(0, cancelsOfRetry.get());
    assertEquals(0.0, openStreams());
  }

  @Test
  void aSlowAgentGetsEveryEventOfALongStreamInOrder() {
    int count = 2_000;
    String pad = "x".repeat(1024);
    upstream = request -> pump(eventStream(request), IntStream.range(0, count)
        .mapToObj(i -> frame(progress(i).put("pad", pad)))
        .iterator(), out -> out.end(frame(JsonRpc.result(CALL_ID, new JsonObject().put("done", true)))));
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMinutes(1));
    gateway = request -> forward(request, answer -> relay.relay(answer, request.response(), new Exchange(), CALL_ID,
        UnaryOperator.identity(), cancels::incrementAndGet, activity::incrementAndGet));

    AtomicInteger chunks = new AtomicInteger();
    AgentView agent = agent("/call", (response, view) -> response.handler(chunk -> { // reads slowly: a pause every few chunks
      view.append(chunk.toString(StandardCharsets.UTF_8));
      if (chunks.incrementAndGet() % 4 == 0) {
        response.pause();
        vertx.setTimer(1, t -> response.resume());
      }
    }));
    result(agent.ended.future());

    List<JsonObject> events = agent.events();
    assertEquals(count + 1, events.size(), "every event and the final response");
    for (int i = 0; i < count; i++) {
      assertEquals(progress(i).put("pad", pad), events.get(i), "event " + i + " in its place, whole");
    }
    assertEquals(JsonRpc.result(CALL_ID, new JsonObject().put("done", true)), events.get(count));
    assertEquals(0, cancels.get());
    Await.until(() -> openStreams() == 0, "the stream is counted closed");
  }

  @Test
  void aQuietStreamGetsKeepAliveCommentsThatCountAsActivity() {
    Promise<Void> answerNow = Promise.promise();
    upstream = request -> {
      HttpServerResponse out = eventStream(request);
      out.write(": the upstream's own comment, not relayed\n\n");
      on(answerNow, () -> out.end(frame(JsonRpc.result(CALL_ID, new JsonObject()))));
    };
    UpstreamRelay relay = relay(LONG_IDLE_MS, Duration.ofMillis(50));
    gateway = request -> forward(request, answer -> relay.relay(answer, request.response(), new Exchange(), CALL_ID,
        UnaryOperator.identity(), cancels::incrementAndGet, activity::incrementAndGet, false));

    AgentView agent = agent("/call");
    Await.until(() -> agent.text().split(": keep-alive\n\n", -1).length > 2, "two keep-alive comments reached the agent");
    assertTrue(activity.get() >= 2, "every tick counts as activity");
    agentContext.runOnContext(v -> answerNow.complete());
    result(agent.ended.future());

    assertEquals(List.of(JsonRpc.result(CALL_ID, new JsonObject())), agent.events());
    assertFalse(agent.text().contains("the upstream's own comment"), "upstream comments are not relayed");
    assertEquals(0, cancels.get());
  }

  @Test
  void anAgentThatReadsSlowlyIsNotTakenForAnUpstreamThatFellSilent() {
    // the upstream answers at once, more than the sockets toward the agent hold; the agent reads
    // nothing for a while, longer than the idle limit, then everything
    int count = 16_000;
    String pad = "x".repeat(1024);
    upstream = request -> pump(eventStream(request), IntStream.range(0, count)
        .mapToObj(i -> frame(progress(i).put("pad", pad)))
        .iterator(), out -> out.end(frame(JsonRpc.result(CALL_ID, new JsonObject().put("done", true)))));
    AtomicReference<Exchange> exchange = new AtomicReference<>();
    UpstreamRelay relay = relay(300, Duration.ofMinutes(1));
    gateway = request -> {
      exchange.set(new Exchange());
      forward(request, answer -> relay.relay(answer, request.response(), exchange.get(), CALL_ID, UnaryOperator.identity(),
          cancels::incrementAndGet, activity::incrementAndGet));
    };

    AgentView agent = agent("/call", (response, view) -> {
      response.pause();
      vertx.setTimer(1_500, t -> response.resume());
    });
    result(agent.ended.future());

    List<JsonObject> events = agent.events();
    assertEquals(JsonRpc.result(CALL_ID, new JsonObject().put("done", true)), events.get(events.size() - 1),
        "the answer the upstream gave, not a timeout of an upstream that was never silent");
    assertEquals(count + 1, events.size());
    assertEquals(0, cancels.get(), "nothing cancelled upstream");
    assertEquals("ok", exchange.get().outcome);
  }

  // ---------------------------------------------------------------- the parts

  private UpstreamRelay relay(long idleLimitMs, Duration keepAlive) {
    ProxySettings settings = new ProxySettings(MAX_BYTES, Duration.ofMinutes(5), Duration.ofHours(1), keepAlive, Set.of(), true);
    return new UpstreamRelay(vertx, metrics, settings, MAX_BYTES, idleLimitMs);
  }

  /** The gateway's side: the call sent upstream, the reader attached before the request ends (UpstreamCall), the answer to {@code relaying}. */
  private void forward(HttpServerRequest agentRequest, Consumer<HttpClientResponse> relaying) {
    Future<HttpClientRequest> opening = upstreamClient.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(upstreamServer.actualPort()).setURI("/mcp"));
    new UpstreamCall(vertx).send(opening, JsonRpc.request(CALL_ID, "tools/call", new JsonObject().put("name", "t")).toBuffer(), 0,
        "tools/call", answer -> {
          relaying.accept(answer);
          return Future.succeededFuture();
        }).onFailure(e -> agentRequest.response().setStatusCode(502).end(String.valueOf(e)));
  }

  private static HttpServerResponse eventStream(HttpServerRequest request) {
    return request.response().setChunked(true).putHeader("Content-Type", McpProtocol.Headers.EVENT_STREAM);
  }

  private static String frame(JsonObject message) {
    return "event: message\ndata: " + message.encode() + "\n\n";
  }

  private static JsonObject progress(int n) {
    return JsonRpc.notification(McpProtocol.Notifications.PROGRESS, new JsonObject().put("progressToken", "p").put("progress", n));
  }

  /** The final response renamed from the gateway's call id to the agent's, as the stateless bridge does. */
  private static UnaryOperator<JsonObject> answeringAs(Object agentId) {
    return m -> JsonRpc.isResponse(m) && JsonRpc.sameId(m.getValue("id"), CALL_ID) ? m.copy().put("id", agentId) : m;
  }

  private static UnaryOperator<JsonObject> renaming(String from, String to) {
    return m -> {
      JsonObject result = m.getJsonObject("result").copy();
      result.put(to, result.remove(from));
      return m.copy().put("result", result);
    };
  }

  /** Writes {@code frames} as fast as the upstream's own write queue takes them, then {@code last}. */
  private static void pump(HttpServerResponse out, Iterator<String> frames, Consumer<HttpServerResponse> last) {
    while (frames.hasNext()) {
      out.write(frames.next());
      if (out.writeQueueFull()) {
        out.drainHandler(v -> pump(out, frames, last));
        return;
      }
    }
    last.accept(out);
  }

  /** Runs {@code action} on the caller's context once {@code cue} is given (from any thread). */
  private static void on(Promise<Void> cue, Runnable action) {
    Context here = Vertx.currentContext();
    cue.future().onSuccess(v -> here.runOnContext(x -> action.run()));
  }

  private double openStreams() {
    return metrics.registry().get("mcp_gateway_sse_streams_open").gauge().value();
  }

  // ---------------------------------------------------------------- the agent

  /** What the agent received on one request: status, content type, the body as it came. */
  private static final class AgentView {
    final Promise<Void> ended = Promise.promise();
    final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    private final StringBuilder text = new StringBuilder();
    volatile HttpClientResponse response;
    volatile int status;
    volatile String contentType;

    synchronized void append(String chunk) {
      text.append(chunk);
    }

    synchronized String text() {
      return text.toString();
    }

    /** The JSON-RPC messages of the SSE events received whole so far (comments skipped). */
    List<JsonObject> events() {
      String body = text();
      int whole = body.lastIndexOf("\n\n");
      List<JsonObject> events = new ArrayList<>();
      if (whole < 0) return events;
      for (String block : body.substring(0, whole).split("\n\n")) {
        StringBuilder data = null;
        for (String line : block.split("\n")) {
          if (!line.startsWith("data:")) continue;
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
        }
        if (data != null && !data.isEmpty()) events.add(new JsonObject(data.toString()));
      }
      return events;
    }
  }

  private AgentView agent(String uri) {
    return agent(uri, null);
  }

  /**
   * An agent request, sent on the agent's context with its reader attached before it ends;
   * {@code reading} (null: read as it comes) may replace the body handler to read slowly.
   */
  private AgentView agent(String uri, BiConsumer<HttpClientResponse, AgentView> reading) {
    AgentView view = new AgentView();
    agentContext.runOnContext(v -> agentClient.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(gatewayServer.actualPort()).setURI(uri)).onComplete(opened -> {
          if (opened.failed()) {
            view.ended.tryFail(opened.cause());
            return;
          }
          HttpClientRequest request = opened.result();
          view.request.set(request);
          request.response().onComplete(head -> {
            if (head.failed()) {
              view.ended.tryFail(head.cause());
              return;
            }
            HttpClientResponse response = head.result();
            view.status = response.statusCode();
            String type = response.getHeader("Content-Type");
            view.contentType = type == null ? null : type.split(";", 2)[0].trim();
            view.response = response;
            response.handler(chunk -> view.append(chunk.toString(StandardCharsets.UTF_8)));
            if (reading != null) reading.accept(response, view);
            response.exceptionHandler(view.ended::tryFail);
            response.endHandler(x -> view.ended.tryComplete());
          });
          request.end();
        }));
    return view;
  }
}
