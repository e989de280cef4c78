package dev.mcpgateway.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads an agent's message with a size limit, without Vert.x's BodyHandler (which the proxy route
 * does not use): a declared Content-Length over the limit is refused before reading, a body that
 * grows past it is refused as soon as it does.
 */
public final class BoundedBody {
  private BoundedBody() {}

  public static final class TooLarge extends RuntimeException {
    public TooLarge() {
      super("body too large", null, false, false);
    }
  }

  public static Future<Buffer> read(HttpServerRequest request, long max) {
    String declared = request.getHeader("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > max) return Future.failedFuture(new TooLarge());
      } catch (NumberFormatException e) {
        return Future.failedFuture(new TooLarge());
      }
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (promise.future().isComplete()) return;
      if (body.length() + chunk.length() > max) {
        promise.tryFail(new TooLarge());
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }
}
