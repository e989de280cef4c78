package dev.mcpgateway.metrics;

import dev.mcpgateway.security.BearerToken;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text exposition. With a configured token, a scrape needs
 * {@code Authorization: Bearer <token>} (compared by hash, in constant time); without one it is
 * open — put it on its own port ({@code metrics.port}) to keep it off the public listener.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private final GatewayMetrics metrics;
  private final byte[] tokenHash;

  public MetricsEndpoint(GatewayMetrics metrics, String token) {
    this.metrics = metrics;
    this.tokenHash = token == null ? null : TokenHash.sha256(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (tokenHash != null) {
      String presented = BearerToken.from(ctx.request().getHeader("Authorization")).orElse("");
      if (!MessageDigest.isEqual(tokenHash, TokenHash.sha256(presented))) {
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"mcp-gateway-metrics\"").end();
        return;
      }
    }
    ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(metrics.scrape());
  }
}
