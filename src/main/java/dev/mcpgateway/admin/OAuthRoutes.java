package dev.mcpgateway.admin;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.TokenSet;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.upstream.oauth.OAuthConnector;
import dev.mcpgateway.upstream.oauth.OAuthException;
import dev.mcpgateway.upstream.oauth.OAuthSettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The admin side of upstream OAuth. {@code GET /oauth/connect/{account_id}/{server_id}} (API token
 * for that account) answers 302 to the upstream's authorization server, or, asked with {@code
 * Accept: application/json}, the envelope with {@code authorization_url} (for an admin who runs
 * curl and opens the URL in a browser). {@code GET /oauth/callback} is where the browser comes
 * back: no API token (the browser has none); the single-use {@code state} is the proof.
 */
public final class OAuthRoutes {
  public static final String CONNECT = "/oauth/connect/:account_id/:server_id";
  /** Binds a user's authorization to the browser that started it. */
  static final String BROWSER_COOKIE = "mcpgw_oauth";

  private OAuthRoutes() {}

  public static void mount(Router router, ServerStore store, TokenSet<ApiToken> tokens, OAuthConnector connector, AuthThrottle authFailures) {
    router.route("/oauth/*").failureHandler(new AdminFailureHandler());
    router.get(CONNECT).handler(new ApiTokenAuthHandler(tokens, authFailures)).handler(ctx -> {
      ApiToken token = ctx.get(ApiTokenAuthHandler.TOKEN_KEY);
      String account = ctx.pathParam("account_id");
      String id = ctx.pathParam("server_id");
      if (id == null || id.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(id).matches()) {
        ctx.fail(new ApiException(ErrorCode.SERVER_NOT_FOUND));
        return;
      }
      store.get(account, id)
          .compose(server -> connector.begin(server, token.name()))
          .onSuccess(url -> {
            String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
            if (accept != null && accept.contains("application/json")) {
              Envelope.send(ctx, 200, Envelope.success(new JsonObject().put("authorization_url", url)));
            } else {
              ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, url).putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
            }
          })
          .onFailure(failure -> ctx.fail(translate(failure)));
    });
    // a user of an on-behalf server, sent here by the agent's error: the sealed ticket names server and user
    router.get("/oauth/user/:account_id/:server_id").handler(ctx -> {
      if (authFailures.blocked(ctx.request())) {
        ctx.response().putHeader("Retry-After", "60");
        ctx.fail(new ApiException(ErrorCode.TOO_MANY_REQUESTS));
        return;
      }
      String ticket = ctx.queryParams().get("ticket");
      if (ticket == null || ticket.isEmpty() || ticket.length() > 4096) {
        authFailures.failed(ctx.request());
        ctx.fail(new ApiException(new ApiError(ErrorCode.OAUTH_CALLBACK_INVALID, "the link carries no usable ticket", null)));
        return;
      }
      String binding = dev.mcpgateway.upstream.oauth.Pkce.random(32);
      connector.beginFromTicket(ctx.pathParam("account_id"), ctx.pathParam("server_id"), ticket, binding)
          .onSuccess(url -> ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, url)
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
              .addCookie(io.vertx.core.http.Cookie.cookie(BROWSER_COOKIE, binding).setPath("/oauth/").setHttpOnly(true)
                  .setSameSite(io.vertx.core.http.CookieSameSite.LAX).setMaxAge(3600)
                  .setSecure(ctx.request().isSSL()))
              .end())
          .onFailure(failure -> {
            if (failure instanceof OAuthException e && e.kind() == OAuthException.Kind.INVALID_CALLBACK) authFailures.failed(ctx.request());
            ctx.fail(translate(failure));
          });
    });
    router.get(OAuthSettings.CALLBACK_PATH).handler(ctx -> {
      String state = ctx.queryParams().get("state");
      if (authFailures.blocked(ctx.request())) {
        ctx.response().putHeader("Retry-After", "60");
        ctx.fail(new ApiException(ErrorCode.TOO_MANY_REQUESTS));
        return;
      }
      if (state == null || state.isEmpty() || state.length() > 4096) {
        authFailures.failed(ctx.request());
        ctx.fail(new ApiException(new ApiError(ErrorCode.OAUTH_CALLBACK_INVALID, "the callback carries no usable state", null)));
        return;
      }
      io.vertx.core.http.Cookie browser = ctx.request().getCookie(BROWSER_COOKIE);
      connector.complete(state, ctx.queryParams().get("code"), ctx.queryParams().get("iss"), ctx.queryParams().get("error"),
              browser == null ? null : browser.getValue())
          .onSuccess(server -> Envelope.send(ctx, 200, Envelope.success(connected(server))))
          .onFailure(failure -> {
            if (failure instanceof OAuthException e && e.kind() == OAuthException.Kind.INVALID_CALLBACK) authFailures.failed(ctx.request());
            ctx.fail(translate(failure));
          });
    });
  }

  private static JsonObject connected(McpServer server) {
    return new JsonObject().put("account_id", server.accountId()).put("server_id", server.id()).put("authentication_status", "connected");
  }

  private static Throwable translate(Throwable failure) {
    if (failure instanceof ServerNotFoundException) return failure;
    if (!(failure instanceof OAuthException e)) return failure;
    ErrorCode code = switch (e.kind()) {
      case NOT_APPLICABLE -> ErrorCode.OAUTH_NOT_APPLICABLE;
      case INVALID_CALLBACK -> ErrorCode.OAUTH_CALLBACK_INVALID;
      case UPSTREAM -> ErrorCode.OAUTH_UPSTREAM_FAILED;
    };
    return new ApiException(List.of(new ApiError(code, e.getMessage(), null)));
  }
}
