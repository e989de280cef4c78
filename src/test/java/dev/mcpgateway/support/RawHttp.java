package dev.mcpgateway.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.function.Consumer;

/**
 * Raw HTTP exchanges for tests that read a response as it streams, or whole, done the one safe way
 * under Vert.x 5.0.8: the reader is attached to {@code request.response()} before the request
 * ends, so it runs in the dispatch of the response head, before any chunk and before the end (as
 * {@code mcp/UpstreamCall} does for the gateway). Attached one listener after {@code send()} from
 * the test thread instead, a handler can miss chunks that already arrived and {@code body()} can
 * miss the end (vert.x#6038): events lost, futures that never complete.
 */
public final class RawHttp {
  private RawHttp() {}

  /** A whole answer. */
  public record Answer(int status, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  /**
   * Ends the request with {@code body} (null: none), {@code reader} having been attached first: it
   * is given the response in the dispatch of its head (to set handlers). Answers the response.
   */
  public static Future<HttpClientResponse> send(Future<HttpClientRequest> requested, Buffer body, Consumer<HttpClientResponse> reader) {
    return requested.compose(request -> {
      Future<HttpClientResponse> head = request.response().map(response -> {
        reader.accept(response);
        return response;
      });
      if (body == null) request.end();
      else request.end(body);
      return head;
    });
  }

  /** Ends the request with {@code body} (null: none) and reads the whole answer. */
  public static Future<Answer> exchange(Future<HttpClientRequest> requested, Buffer body) {
    return requested.compose(request -> {
      Future<Answer> answer = request.response().compose(response -> response.body()
          .map(read -> new Answer(response.statusCode(), response.headers(), read)));
      if (body == null) request.end();
      else request.end(body);
      return answer;
    });
  }
}
