package dev.mcpgateway.proxy.stateless;

import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.StatelessEnvelope;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.StatelessUpstream;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.sync.Capabilities;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Stateless agent, stateless upstream: the agent's request as it sent it (its envelope, its
 * {@code Mcp-Param-*} headers, known or not), with the name the gateway mapped mirrored in a
 * regenerated {@code Mcp-Name}; the answer relayed as it comes — progress events, an
 * {@code input_required} result for the agent to complete, errors. Closing the agent's stream
 * closes the upstream's: that is cancellation in this era.
 */
public final class StatelessToStateless {
  private final StatelessUpstream upstream;
  private final UpstreamRelay relay;

  public StatelessToStateless(StatelessUpstream upstream, UpstreamRelay relay) {
    this.upstream = upstream;
    this.relay = relay;
  }

  /** {@code subscription}: a {@code subscriptions/listen} stream, off the request pool and without an idle limit. */
  public void relay(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message, UnaryOperator<JsonObject> rewrite,
      boolean subscription) {
    Object id = message.getValue("id");
    Map<String, String> headers = StatelessEnvelope.headers(message.getString("method"), message.getJsonObject("params"), null);
    ctx.request().headers().forEach(h -> {
      if (h.getKey().regionMatches(true, 0, McpProtocol.Stateless.PARAM_HEADER_PREFIX, 0, McpProtocol.Stateless.PARAM_HEADER_PREFIX.length())) {
        headers.put(h.getKey(), h.getValue());
      }
    });
    UpstreamCall call = upstream.call();
    ctx.response().closeHandler(v -> {
      if (!ctx.response().ended()) call.cancel();
    });
    upstream.post(capabilities.server(), client, message, headers, call, subscription, answer -> {
      if (answer.statusCode() < 300) {
        relay.relay(answer, ctx.response(), Exchange.of(ctx), id, rewrite, call::cancel, () -> { }, !subscription);
        return Future.succeededFuture();
      }
      McpClientException failure = StreamableHttpChannel.status(answer);
      int status = answer.statusCode();
      StatelessUpstream.refusal(answer).onComplete(r -> {
        if (r.succeeded() && r.result() != null) {
          Exchange.of(ctx).mcpError(r.result());
          McpReplies.json(ctx.response(), status, r.result().put("id", id)); // the upstream's own refusal, as it gave it
        } else {
          McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, failure);
        }
      });
      return Future.succeededFuture();
    }).onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
  }
}
