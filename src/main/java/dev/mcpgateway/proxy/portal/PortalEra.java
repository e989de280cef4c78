package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.StatelessEnvelope;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.session.SessionToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.UnaryOperator;

/**
 * How a portal answers one agent era ({@link PortalEndpoint}): what a member is sent, how the
 * portal's own results are shaped, what comes back, and whose switches apply.
 */
interface PortalEra {
  /** What a stateless-era list result carries beside its array (as {@link #reply} puts it for lists). */
  String STATELESS_LIST_FIELDS = ",\"resultType\":\"complete\",\"ttlMs\":0,\"cacheScope\":\"private\"";

  /** Whose switches this agent's requests read and write. */
  ToggleHolder holder();

  /** The message as a member is sent it: the agent's own for a stateless agent, with the envelope added for a session. */
  JsonObject upstream(JsonObject message);

  /** A result the portal answers itself. */
  void reply(RoutingContext ctx, Object id, JsonObject result, boolean list);

  /** A list the portal answers itself from an encoded array ({@link PortalLists}): {@code {"<field>": array}} as the result. */
  void replyList(RoutingContext ctx, Object id, String field, Buffer array);

  /** Applied to each message a member's answer brings back. */
  UnaryOperator<JsonObject> back();

  /** A 2026-07-28 agent: results are complete; lists are never cached beyond this agent. */
  static PortalEra stateless(ToggleHolder holder) {
    return new PortalEra() {
      @Override
      public ToggleHolder holder() {
        return holder;
      }

      @Override
      public JsonObject upstream(JsonObject message) {
        return message;
      }

      @Override
      public void reply(RoutingContext ctx, Object id, JsonObject result, boolean list) {
        result.put("resultType", "complete");
        // what a portal lists depends on the overrides and on who asks: never shared across authorization contexts
        if (list) result.put("ttlMs", 0).put("cacheScope", "private");
        McpReplies.json(ctx.response(), 200, JsonRpc.result(id, result));
      }

      @Override
      public void replyList(RoutingContext ctx, Object id, String field, Buffer array) {
        McpReplies.encodedResult(ctx.response(), id, field, array, STATELESS_LIST_FIELDS);
      }

      @Override
      public UnaryOperator<JsonObject> back() {
        return UnaryOperator.identity();
      }
    };
  }

  /** A 2025 session agent: members get the stateless envelope on the way, answers lose {@code resultType}. */
  static PortalEra session(SessionToken token, ToggleHolder holder) {
    return new PortalEra() {
      @Override
      public ToggleHolder holder() {
        return holder;
      }

      @Override
      public JsonObject upstream(JsonObject message) {
        JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
        // no input capabilities: the member's requests to the client could not reach a session agent through this path
        message.put("params", StatelessEnvelope.params(params, new JsonObject(), token.agentInfo()));
        return message;
      }

      @Override
      public void reply(RoutingContext ctx, Object id, JsonObject result, boolean list) {
        McpReplies.json(ctx.response(), 200, JsonRpc.result(id, result));
      }

      @Override
      public void replyList(RoutingContext ctx, Object id, String field, Buffer array) {
        McpReplies.encodedResult(ctx.response(), id, field, array, "");
      }

      @Override
      public UnaryOperator<JsonObject> back() {
        return m -> {
          if (m.getValue("result") instanceof JsonObject result) result.remove("resultType");
          return m;
        };
      }
    };
  }
}
