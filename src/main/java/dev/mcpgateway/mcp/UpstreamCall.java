package dev.mcpgateway.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.function.Function;

/**
 * One HTTP exchange with an upstream; every upstream request of the gateway is sent through one.
 *
 * <p>The reader of the response is attached before the request is ended, so it runs in the
 * dispatch of the response head itself and sets its handlers before the first body chunk, on
 * whatever thread the call was started. This is the rule that makes upstream reads safe: Vert.x 5
 * drops body chunks that arrive while a response has no handler and refuses a handler once the
 * response has ended, so a reader attached one listener later (the usual
 * {@code request.send(body).onSuccess(read)}) loses the body, and hangs, whenever the whole answer
 * arrives on the event loop before the listener is attached from another thread.
 *
 * <p>A deadline bounds the exchange up to the reader's own future (a relay's reader completes once
 * it has set up its relay, so for a relay the deadline covers the head); past it the request is
 * reset and the call fails with {@link McpClientException.Timeout}, saying where it was stuck.
 * {@link #cancel()} resets the request at any time; a call cancelled before its request was
 * obtained never sends it. A call may send several requests in turn (rounds of one logical
 * request): cancel applies to the one in flight and to every later one.
 */
public final class UpstreamCall {
  private final Vertx vertx;
  private HttpClientRequest request;
  private Promise<?> inFlight;
  private boolean cancelled;
  private String stage = "credentials";

  public UpstreamCall(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends {@code body} (null: none) on the request {@code opening} yields and answers what
   * {@code reader} makes of the response. {@code deadlineMs} 0: no deadline (long-lived streams).
   * {@code what} names the request in a timeout's message (a method name, never a credential).
   */
  public <T> Future<T> send(Future<HttpClientRequest> opening, Buffer body, long deadlineMs, String what,
      Function<HttpClientResponse, Future<T>> reader) {
    Promise<T> result = Promise.promise();
    inFlight = result;
    if (cancelled) {
      opening.onSuccess(UpstreamCall::discard);
      result.tryFail(cancellation());
      return result.future();
    }
    long timer = deadlineMs <= 0 ? -1 : vertx.setTimer(deadlineMs, t -> {
      if (result.tryFail(new McpClientException.Timeout("upstream did not answer " + truncate(what) + " within " + deadlineMs
          + " ms (" + stage + ")"))) {
        resetRequest();
      }
    });
    opening.onComplete(opened -> {
      if (opened.failed()) {
        result.tryFail(HttpExchange.unreachable(opened.cause()));
        return;
      }
      HttpClientRequest sent = opened.result();
      request = sent;
      if (cancelled || result.future().isComplete()) { // cancelled or timed out while connecting
        discard(sent);
        result.tryFail(cancellation());
        return;
      }
      // attached before end(): runs in the head's dispatch, before any chunk of the body
      sent.response().onComplete(head -> {
        if (head.failed()) {
          result.tryFail(HttpExchange.unreachable(head.cause()));
          return;
        }
        stage = "response " + head.result().statusCode() + " incomplete";
        Future<T> read;
        try {
          read = reader.apply(head.result());
        } catch (RuntimeException e) {
          sent.reset();
          read = Future.failedFuture(e);
        }
        read.onComplete(result::tryComplete, result::tryFail);
      });
      stage = "sent, no response";
      Future<Void> ended = body == null ? sent.end() : sent.end(body);
      ended.onFailure(e -> result.tryFail(HttpExchange.unreachable(e)));
    });
    if (timer >= 0) result.future().onComplete(r -> vertx.cancelTimer(timer));
    return result.future();
  }

  /** Marks where a call is before its request is opened (e.g. "no connection" once credentials are in hand). */
  public void stage(String stage) {
    this.stage = stage;
  }

  /** Resets the request in flight (the upstream sees its stream close) and refuses later sends. */
  public void cancel() {
    cancelled = true;
    resetRequest();
    if (inFlight != null) inFlight.tryFail(cancellation());
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Resets the request in flight (a broken or silent answer) without refusing later sends. */
  public void reset() {
    resetRequest();
  }

  /** Whether a request was obtained (it may then have reached the upstream, which a cancellation should tell). */
  public boolean started() {
    return request != null;
  }

  private void resetRequest() {
    if (request != null) request.reset();
  }

  /**
   * Gives back a request that arrived after its call was over (cancelled, or timed out waiting for
   * a connection) without sending it. Its reset is expected: without a handler of its own, Vert.x
   * would log each one as a SEVERE "Stream reset".
   */
  private static void discard(HttpClientRequest late) {
    late.exceptionHandler(ignored -> { });
    late.reset();
  }

  private static McpClientException cancellation() {
    return new McpClientException.Unreachable("request cancelled", null);
  }

  static String truncate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
