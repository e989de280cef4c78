package dev.mcpgateway.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Cloudflare's v4 response envelope: {@code {success, errors, messages, result[, result_info]}}. */
public final class Envelope {
  private Envelope() {}

  public static JsonObject success(Object result) {
    return new JsonObject()
        .put("success", true)
        .put("errors", new JsonArray())
        .put("messages", new JsonArray())
        .put("result", result);
  }

  public static JsonObject page(JsonArray result, int page, int perPage, long totalCount) {
    long totalPages = totalCount == 0 ? 0 : (totalCount + perPage - 1) / perPage;
    return success(result).put("result_info", new JsonObject()
        .put("page", page)
        .put("per_page", perPage)
        .put("count", result.size())
        .put("total_count", totalCount)
        .put("total_pages", totalPages));
  }

  public static JsonObject failure(List<ApiError> errors) {
    JsonArray array = new JsonArray();
    errors.forEach(e -> array.add(e.toJson()));
    return new JsonObject()
        .put("success", false)
        .put("errors", array)
        .put("messages", new JsonArray())
        .put("result", null);
  }

  /** Answers 200 with the envelope {@code result} completes with, or hands its failure to the failure handler. */
  static void respond(RoutingContext ctx, Future<JsonObject> result) {
    respond(ctx, 200, result);
  }

  /** The same with another success status (201 for a created portal). */
  static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> {
      if (!ctx.response().ended()) send(ctx, status, body);
    }).onFailure(ctx::fail);
  }

  public static Future<Void> send(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.toBuffer());
  }
}
