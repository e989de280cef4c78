package dev.mcpgateway.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Bodies of the management API are JSON: a request that declares another content type gets 415.
 * A missing Content-Type is read as JSON, for clients that forget it.
 */
final class JsonContentType implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null) {
      String mediaType = type.split(";", 2)[0].trim();
      if (!mediaType.equalsIgnoreCase("application/json") && !mediaType.isEmpty()) {
        ctx.fail(new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        return;
      }
    }
    ctx.next();
  }
}
