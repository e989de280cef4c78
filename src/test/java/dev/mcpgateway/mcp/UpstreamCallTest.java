package dev.mcpgateway.mcp;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule every upstream exchange follows: the response's reader is attached before the request
 * is ended, so a response that arrives, whole, before the caller looks at the call is still read
 * whole. One event loop, so that "the connection closed" is observed strictly after everything
 * that came before it on the wire was delivered.
 */
class UpstreamCallTest {
  private static final int BODY_BYTES = 256 * 1024;

  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long answerDelayMs;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Buffer body = Buffer.buffer(new byte[BODY_BYTES]);
    server = result(vertx.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      Runnable answer = () -> request.response().end(body).onComplete(v -> request.connection().close());
      if (answerDelayMs > 0) vertx.setTimer(answerDelayMs, t -> answer.run());
      else answer.run();
    }).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private Future<HttpClientRequest> opening(AtomicBoolean closed) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
        .map(request -> {
          request.connection().closeHandler(v -> closed.set(true));
          return request;
        });
  }

  @Test
  void aResponseThatEndedBeforeTheCallerLooksIsStillReadWhole() {
    AtomicBoolean closed = new AtomicBoolean();
    // started from the JUnit thread, as the flaky sweep test did
    Future<Buffer> read = new UpstreamCall(vertx).send(opening(closed), null, 0, "a test request",
        response -> HttpExchange.readBounded(response, 2 * BODY_BYTES));
    Await.until(closed::get, "the upstream has answered and closed the connection");
    assertEquals(BODY_BYTES, result(read).length(), "every chunk reached the reader");
  }

  @Test
  void aReaderAttachedAfterTheResponseEndedFindsNothingToRead() {
    // why the rule exists: Vert.x 5 keeps no body for a response nobody reads yet
    AtomicBoolean closed = new AtomicBoolean();
    HttpClientResponse response = result(opening(closed).compose(HttpClientRequest::send));
    Await.until(closed::get, "the upstream has answered and closed the connection");
    assertThrows(IllegalStateException.class, () -> response.handler(chunk -> { }), "the response ended unread");
  }

  @Test
  void aDeadlineResetsTheRequestAndSaysWhereItWasStuck() {
    answerDelayMs = 5_000;
    Throwable failure = Await.failure(new UpstreamCall(vertx).send(opening(new AtomicBoolean()), null, 200, "tools/call",
        response -> HttpExchange.readBounded(response, 2 * BODY_BYTES)));
    McpClientException.Timeout timeout = assertInstanceOf(McpClientException.Timeout.class, failure);
    assertEquals("upstream did not answer tools/call within 200 ms (sent, no response)", timeout.getMessage());
    assertTrue(timeout.details().retryable(), "a timeout is worth trying again");
  }

  @Test
  void aCallCancelledBeforeItsRequestOpenedNeverSendsIt() {
    UpstreamCall call = new UpstreamCall(vertx);
    call.cancel();
    Throwable failure = Await.failure(call.send(opening(new AtomicBoolean()), Buffer.buffer("{}"), 0, "tools/call",
        response -> Future.succeededFuture()));
    assertEquals("request cancelled", failure.getMessage());
    // a request that did get through would have been answered by now; nothing came
    Await.result(new UpstreamCall(vertx).send(opening(new AtomicBoolean()), null, 0, "a probe", HttpExchange::drain));
    assertEquals(1, requests.get(), "only the probe reached the upstream");
  }

  @Test
  void aReaderThatThrowsFailsTheCallInsteadOfHangingIt() {
    Throwable failure = Await.failure(new UpstreamCall(vertx).send(opening(new AtomicBoolean()), null, 0, "a test request",
        response -> {
          throw new IllegalStateException("reader broke");
        }));
    assertEquals("reader broke", failure.getMessage());
  }

  @Test
  void aRequestThatArrivesAfterItsCallTimedOutIsGivenBackWithoutASevereLog() {
    // one connection: the second call waits for it, times out, and its request arrives only once the first is answered
    answerDelayMs = 300;
    client = vertx.createHttpClient(new io.vertx.core.http.PoolOptions().setHttp1MaxSize(1));
    java.util.List<java.util.logging.LogRecord> severe = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) severe.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    try {
      Future<Buffer> first = new UpstreamCall(vertx).send(opening(new AtomicBoolean()), null, 0, "the first request",
          response -> HttpExchange.readBounded(response, 2 * BODY_BYTES));
      Future<Buffer> second = new UpstreamCall(vertx).send(opening(new AtomicBoolean()), null, 100, "the second request",
          response -> HttpExchange.readBounded(response, 2 * BODY_BYTES));
      assertInstanceOf(McpClientException.Timeout.class, assertThrows(RuntimeException.class, () -> result(second)));
      assertEquals(BODY_BYTES, result(first).length());
      // the late request has reached the second call by now, or will within the connection's next turn
      Await.until(() -> requests.get() >= 1, "the first request was served");
      result(vertx.timer(200));
      assertTrue(severe.stream().noneMatch(r -> String.valueOf(r.getMessage()).contains("Stream reset")),
          "no SEVERE 'Stream reset' for a request given back: " + severe.stream().map(java.util.logging.LogRecord::getMessage).toList());
    } finally {
      root.removeHandler(capture);
    }
  }
}
