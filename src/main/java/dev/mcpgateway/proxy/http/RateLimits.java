package dev.mcpgateway.proxy.http;

import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Per client token and per account token buckets on the MCP endpoint: over either, 429 with
 * {@code Retry-After}, before anything reaches the upstream.
 */
public final class RateLimits implements Handler<RoutingContext> {
  private final RateLimiter perClient;
  private final RateLimiter perAccount;

  public RateLimits(RateLimiter perClient, RateLimiter perAccount) {
    this.perClient = perClient;
    this.perAccount = perAccount;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Agent client = ctx.get(AgentAuthHandler.AGENT_KEY);
    Optional<Duration> wait = perClient.tryAcquire(client.name())
        .or(() -> perAccount.tryAcquire(ctx.pathParam("account_id") != null ? ctx.pathParam("account_id") : Exchange.of(ctx).account));
    if (wait.isPresent()) {
      ctx.response().putHeader("Retry-After", Long.toString(RateLimiter.retryAfterSeconds(wait.get())));
      Exchange.of(ctx).outcome("rejected");
      McpReplies.error(ctx.response(), 429, null, -32000, "rate limit exceeded: retry later");
      return;
    }
    ctx.next();
  }
}
