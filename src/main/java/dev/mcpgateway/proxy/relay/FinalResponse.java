package dev.mcpgateway.proxy.relay;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpClientOptions;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.SseParser;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The upstream's response message to one request, from a JSON body or from an event stream
 * (skipping whatever else the stream carries). Used for {@code initialize}, whose answer the
 * gateway must read before it can mint the session id.
 */
public final class FinalResponse {
  private FinalResponse() {}

  public static Future<JsonObject> read(HttpClientResponse upstream, Object id, McpClientOptions limits) {
    if (!McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(upstream))) {
      return StreamableHttpChannel.readBounded(upstream, limits.maxResponseBytes()).compose(body -> {
        try {
          if (Json.decodeValue(body) instanceof JsonObject message && JsonRpc.sameId(message.getValue("id"), id)) {
            return Future.succeededFuture(message);
          }
        } catch (DecodeException e) {
          // reported below
        }
        return Future.failedFuture(new McpClientException.ProtocolViolation("upstream's answer to initialize is not its response"));
      });
    }
    Promise<JsonObject> promise = Promise.promise();
    SseParser parser = new SseParser(limits.maxResponseBytes(), event -> {
      if (event.data().isEmpty()) return;
      try {
        if (Json.decodeValue(event.data()) instanceof JsonObject message && JsonRpc.isResponse(message)
            && JsonRpc.sameId(message.getValue("id"), id)) {
          promise.tryComplete(message);
        }
      } catch (DecodeException e) {
        promise.tryFail(new McpClientException.ProtocolViolation("upstream sent malformed JSON in an SSE event"));
      }
    });
    upstream.handler(chunk -> {
      try {
        parser.feed(chunk);
      } catch (SseParser.EventTooLargeException e) {
        promise.tryFail(new McpClientException.ProtocolViolation(e.getMessage()));
      }
      if (promise.future().isComplete()) upstream.request().reset();
    });
    upstream.exceptionHandler(e -> promise.tryFail(StreamableHttpChannel.classify(e)));
    upstream.endHandler(v -> promise.tryFail(new McpClientException.ProtocolViolation("upstream ended the stream before answering")));
    return promise.future();
  }
}
