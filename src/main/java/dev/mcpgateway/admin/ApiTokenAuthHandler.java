package dev.mcpgateway.admin;

import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.BearerToken;
import dev.mcpgateway.security.TokenSet;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Authenticates {@code Authorization: Bearer <API token>} and checks that the token may manage the
 * path's account: 401 (with {@code WWW-Authenticate}) without a valid token, 403 for another
 * account's token, 400 for an account id that cannot exist. The token itself is never logged.
 */
final class ApiTokenAuthHandler implements Handler<RoutingContext> {
  static final String TOKEN_KEY = ApiToken.class.getName();

  /** The account a request's path names (the token was checked for it). */
  static String account(RoutingContext ctx) {
    return ctx.pathParam("account_id");
  }

  /** Who made the request: the API token's name, recorded as actor, created_by and modified_by. */
  static String actor(RoutingContext ctx) {
    ApiToken token = ctx.get(TOKEN_KEY);
    return token.name();
  }
  /** Cloudflare account ids are 32 hex digits; this admits those and friendly names alike. */
  static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String CHALLENGE = "Bearer realm=\"mcp-gateway\"";

  private final TokenSet<ApiToken> tokens;
  private final AuthThrottle failures;

  ApiTokenAuthHandler(TokenSet<ApiToken> tokens, AuthThrottle failures) {
    this.tokens = tokens;
    this.failures = failures;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (failures.blocked(ctx.request())) {
      // too many failed attempts from here: no token is even looked at, so guessing learns nothing
      ctx.response().putHeader("Retry-After", "60");
      ctx.fail(new ApiException(ErrorCode.TOO_MANY_REQUESTS));
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    java.util.Optional<String> presented = BearerToken.from(header);
    if (presented.isEmpty()) {
      failures.failed(ctx.request());
      ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
      ctx.fail(new ApiException(ErrorCode.UNAUTHENTICATED));
      return;
    }
    ApiToken token = tokens.authenticate(presented.get()).orElse(null);
    if (token == null) {
      failures.failed(ctx.request());
      ctx.response().putHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
      ctx.fail(new ApiException(new ApiError(ErrorCode.UNAUTHENTICATED, "invalid API token", null)));
      return;
    }
    String account = ctx.pathParam("account_id");
    if (account == null || !ACCOUNT_ID.matcher(account).matches()) {
      ctx.fail(new ApiException(new ApiError(ErrorCode.INVALID_PATH_PARAMETER,
          "account_id must be 1 to 64 letters, digits, '-' or '_'", null)));
      return;
    }
    if (!token.mayManage(account)) {
      ctx.fail(new ApiException(ErrorCode.FORBIDDEN));
      return;
    }
    ctx.put(TOKEN_KEY, token);
    ctx.next();
  }
}
