package dev.mcpgateway.authserver;

import dev.mcpgateway.http.BoundedBody;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the built-in authorization server's JSON endpoints answer: {@code no-store} (RFC 6749
 * §5.1), errors as {@code {"error", "error_description"}}, and readable from any origin (browser
 * clients register and redeem codes cross-origin; nothing here uses cookies, so {@code *} lends no
 * ambient authority). Also the form bodies they read.
 */
final class OAuthReplies {
  /** A request refused with an OAuth error code. */
  static final class Failure extends RuntimeException {
    final int status;
    final String error;

    Failure(int status, String error, String description) {
      super(description, null, false, false);
      this.status = status;
      this.error = error;
    }
  }

  private OAuthReplies() {}

  static Failure invalidRequest(String description) {
    return new Failure(400, "invalid_request", description);
  }

  /** What to answer for {@code e}: itself when it is a {@link Failure}; a body over the limit; else the store or network is down. */
  static Failure failure(Throwable e, String tooLarge) {
    if (e instanceof Failure failure) return failure;
    if (e instanceof BoundedBody.TooLarge) return invalidRequest(tooLarge);
    return new Failure(503, "temporarily_unavailable", "the authorization server cannot answer now; retry later");
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .putHeader("Access-Control-Allow-Origin", "*")
        .end(body.encode());
  }

  static void error(RoutingContext ctx, Failure failure) {
    json(ctx, failure.status, new JsonObject().put("error", failure.error).put("error_description", failure.getMessage()));
  }

  /** CORS preflights of {@code path}: any origin, the methods and headers a browser client sends. */
  static void allowCrossOrigin(Router router, String path) {
    router.options(path).handler(ctx -> ctx.response().setStatusCode(204)
        .putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version")
        .putHeader("Access-Control-Max-Age", "600")
        .end());
  }

  /** An {@code application/x-www-form-urlencoded} body; a parameter given twice is refused (RFC 6749 §3.1). */
  static Map<String, String> form(Buffer body) {
    Map<String, List<String>> decoded = new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false, 64)
        .parameters();
    return single(decoded);
  }

  /** Parameters given once each, else {@code invalid_request}. */
  static Map<String, String> single(Map<String, List<String>> parameters) {
    Map<String, String> fields = new HashMap<>();
    parameters.forEach((name, values) -> {
      if (values.size() != 1) throw invalidRequest("parameter " + name + " is given more than once");
      fields.put(name, values.get(0));
    });
    return fields;
  }

  /** Whether the request's body is a form. */
  static boolean isForm(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.split(";", 2)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded");
  }
}
