package dev.mcpgateway.proxy.http;

import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.BearerToken;
import dev.mcpgateway.security.TokenSet;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates agents on the MCP endpoint with {@code Authorization: Bearer <client token>}: 401
 * with {@code WWW-Authenticate} without a valid token, 403 when the token is not for this account
 * or server. The token is consumed here: nothing downstream forwards it (no token passthrough).
 */
public final class ClientAuthHandler implements Handler<RoutingContext> {
  public static final String CLIENT_KEY = ClientToken.class.getName();
  private static final String CHALLENGE = "Bearer realm=\"mcp-gateway\"";
  /** JSON-RPC has no authentication code; -32600 is what the SDK servers answer with their 401s. */
  private static final int NOT_AUTHORIZED = -32600;

  private final TokenSet<ClientToken> tokens;
  private final AuthThrottle failures;

  public ClientAuthHandler(TokenSet<ClientToken> tokens, AuthThrottle failures) {
    this.tokens = tokens;
    this.failures = failures;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (failures.blocked(ctx.request())) {
      ctx.response().putHeader("Retry-After", "60");
      McpReplies.error(ctx.response(), 429, null, NOT_AUTHORIZED, "too many failed authentications from this address; retry later");
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    ClientToken token = BearerToken.from(header).flatMap(tokens::authenticate).orElse(null);
    if (token == null) {
      failures.failed(ctx.request());
      ctx.response().putHeader("WWW-Authenticate", header == null ? CHALLENGE : CHALLENGE + ", error=\"invalid_token\"");
      McpReplies.error(ctx.response(), 401, null, NOT_AUTHORIZED, header == null
          ? "authentication required: send Authorization: Bearer <client token>" : "invalid client token");
      return;
    }
    // a portal at a host names no account: its route checks the token against the portal's once it is found
    String account = ctx.pathParam("account_id");
    String server = ctx.pathParam("server_id");
    if (account != null && !(server == null ? token.mayUseAccount(account) : token.mayUse(account, server))) {
      McpReplies.error(ctx.response(), 403, null, NOT_AUTHORIZED, "this client token may not use this MCP server");
      return;
    }
    ctx.put(CLIENT_KEY, token);
    ctx.next();
  }
}
