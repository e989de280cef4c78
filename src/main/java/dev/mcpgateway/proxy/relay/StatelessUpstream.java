package dev.mcpgateway.proxy.relay;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpClientOptions;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.SseParser;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One request to an upstream of the stateless era (2026-07-28): a POST with no session, carrying
 * the server's credentials and the mirrored headers given, nothing of the agent's own headers.
 * {@link #post} hands the raw answer to a relay; {@link #exchange} reads it to the final response,
 * passing the messages before it (progress, logs) on as they arrive. Either way the request is
 * reachable through {@link Call#cancel()}: in this era cancelling is closing the stream.
 */
public final class StatelessUpstream {
  private static final long FINAL_DRAIN_MS = 1_000;

  private final Vertx vertx;
  private final StreamableHttpChannel channel;
  private final UpstreamAuths auths;
  private final McpClientOptions limits;

  public StatelessUpstream(Vertx vertx, StreamableHttpChannel channel, UpstreamAuths auths) {
    this.vertx = vertx;
    this.channel = channel;
    this.auths = auths;
    this.limits = channel.limits();
  }

  /** A call to send this era's requests through: cancelling it resets the request in flight (the upstream sees its stream close). */
  public UpstreamCall call() {
    return channel.call();
  }

  /**
   * Sends {@code message} with {@code headers} and answers what {@code reader} makes of the
   * upstream's response, whatever its status; {@code reader} runs before any of the body arrives
   * (see {@link UpstreamCall}). {@code subscription}: the answer is a long-lived stream, kept off
   * the request pool. No deadline here: the caller's reader keeps its own (idle) limit.
   */
  public <T> Future<T> post(McpServer server, String client, JsonObject message, Map<String, String> headers, UpstreamCall call,
      boolean subscription, Function<HttpClientResponse, Future<T>> reader) {
    Future<HttpClientRequest> opening = auths.forAgent(server, client).headers()
        .compose(auth -> {
          call.stage("no connection");
          StreamableHttpChannel.Target target = new StreamableHttpChannel.Target(server.hostname(), auth, null, null);
          return subscription ? channel.postStream(target) : channel.post(target);
        })
        .compose(request -> {
          try {
            headers.forEach(request::putHeader);
          } catch (IllegalArgumentException invalidHeader) {
            request.reset(); // the pooled connection goes back
            return Future.failedFuture(new McpClientException.ProtocolViolation("a mirrored header value is not a valid HTTP header value"));
          }
          return Future.succeededFuture(request);
        });
    return call.send(opening, message.toBuffer(), 0, message.getString("method"), response -> {
      if (response.statusCode() == 401) auths.renewAfterRejection(server, client); // the retry carries a renewed token
      return reader.apply(response);
    });
  }

  /**
   * A 400 whose body is one of the transport's modern errors (-32020, -32021, -32022): the
   * upstream's own answer, which an agent should see as it is (-32021 names what is missing). Null
   * otherwise: the status is then reported as an upstream failure, never the body.
   */
  public static Future<JsonObject> refusal(HttpClientResponse response) {
    Future<Buffer> body = StreamableHttpChannel.readBounded(response, 64 * 1024);
    if (response.statusCode() != 400) return body.map((JsonObject) null);
    return body.map(buffer -> {
      try {
        // only the transport's own refusals: other bodies may echo what the upstream was sent (its credentials)
        return Json.decodeValue(buffer) instanceof JsonObject message && message.getValue("error") instanceof JsonObject error
            && error.getValue("code") instanceof Integer code && McpProtocol.Stateless.ERRORS.contains(code) ? message : null;
      } catch (DecodeException e) {
        return null;
      }
    }).otherwise((JsonObject) null);
  }

  /**
   * Sends {@code message} and answers the upstream's response to it (a result or an error, as
   * sent). Messages before it on an event stream go to {@code onMessage}, which writes them to
   * {@code sink}: the stream is read no faster than {@code sink} takes them (back-pressure).
   * Silence longer than the request timeout, a broken stream or an HTTP failure fail the future.
   */
  public Future<JsonObject> exchange(McpServer server, String client, JsonObject message, Map<String, String> headers, UpstreamCall call,
      Consumer<JsonObject> onMessage, WriteStream<Buffer> sink) {
    Object id = message.getValue("id");
    Promise<JsonObject> answer = Promise.promise();
    long[] idle = {-1};
    Runnable touch = () -> {
      if (idle[0] >= 0) vertx.cancelTimer(idle[0]);
      idle[0] = vertx.setTimer(limits.requestTimeoutMs(), t -> {
        if (answer.tryFail(new McpClientException.Timeout("upstream did not answer within " + limits.requestTimeoutMs() + " ms"))) {
          call.reset();
        }
      });
    };
    touch.run();
    post(server, client, message, headers, call, false, response -> {
      read(response, id, call, answer, touch, onMessage, sink);
      return Future.succeededFuture();
    }).onFailure(answer::tryFail);
    return answer.future().onComplete(r -> vertx.cancelTimer(idle[0]));
  }

  /** The answer to request {@code id}, JSON or an event stream, into {@code answer}; {@code touch} re-arms the idle limit. */
  private void read(HttpClientResponse response, Object id, UpstreamCall call, Promise<JsonObject> answer, Runnable touch,
      Consumer<JsonObject> onMessage, WriteStream<Buffer> sink) {
    if (response.statusCode() >= 300) {
      McpClientException failure = StreamableHttpChannel.status(response);
      refusal(response).onComplete(r -> {
        if (r.succeeded() && r.result() != null) answer.tryComplete(r.result().put("id", id));
        else answer.tryFail(failure);
      });
      return;
    }
    Consumer<Object> onDecoded = decoded -> {
      if (!(decoded instanceof JsonObject received)) throw new DecodeException("not a JSON-RPC message");
      if (JsonRpc.isResponse(received) && JsonRpc.sameId(received.getValue("id"), id)) answer.tryComplete(received);
      else if (!answer.future().isComplete()) onMessage.accept(received);
    };
    if (McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(response))) {
      SseParser parser = new SseParser(limits.maxResponseBytes(), event -> {
        if (!event.data().isEmpty()) onDecoded.accept(Json.decodeValue(event.data()));
      });
      response.handler(chunk -> {
        if (answer.future().isComplete()) return;
        touch.run();
        try {
          parser.feed(chunk);
        } catch (RuntimeException e) {
          answer.tryFail(new McpClientException.ProtocolViolation(e instanceof SseParser.EventTooLargeException
              ? e.getMessage() : "upstream sent malformed JSON in an SSE event"));
          call.reset();
          return;
        }
        if (!answer.future().isComplete() && sink.writeQueueFull()) {
          response.pause();
          sink.drainHandler(v -> {
            touch.run(); // the wait was the agent's, not the upstream's
            response.resume();
          });
        }
      });
      boolean[] ended = {false};
      response.exceptionHandler(e -> answer.tryFail(StreamableHttpChannel.classify(e)));
      response.endHandler(v -> {
        ended[0] = true;
        answer.tryFail(new McpClientException.Unreachable("upstream ended the event stream before answering", null));
      });
      // after the answer the upstream normally ends the stream (the connection is then reused); one that does not is reset
      answer.future().onSuccess(r -> vertx.setTimer(FINAL_DRAIN_MS, t -> {
        if (!ended[0]) response.request().reset(); // this round's request only: a retry may be under way
      }));
    } else {
      StreamableHttpChannel.readBounded(response, limits.maxResponseBytes()).onFailure(answer::tryFail).onSuccess(body -> {
        try {
          onDecoded.accept(Json.decodeValue(body));
        } catch (DecodeException e) {
          answer.tryFail(new McpClientException.ProtocolViolation("upstream sent malformed JSON"));
        }
        answer.tryFail(new McpClientException.ProtocolViolation("upstream's JSON body held no response to the request"));
      });
    }
  }
}
