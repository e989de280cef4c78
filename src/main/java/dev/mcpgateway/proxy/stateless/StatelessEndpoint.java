package dev.mcpgateway.proxy.stateless;

import static dev.mcpgateway.mcp.McpProtocol.Stateless.VERSIONS;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.capabilities.CapabilityDispatch;
import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.proxy.http.AgentAuthHandler;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.StatelessUpstream;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Agents of the stateless era (MCP 2026-07-28) on the same endpoint as everyone else: no session,
 * no {@code initialize}; every request carries its protocol version, client capabilities and
 * mirrored headers, checked by {@link TransportRules}. {@code server/discover} and the lists are
 * answered from the capability cache ({@link CapabilityDispatch}, shared with the session era),
 * calls are mapped by name, and the rest goes to the upstream in its own era:
 * {@link StatelessToStateless} or {@link StatelessToSession} (over a session the gateway keeps,
 * {@link KeptSessions}); {@code subscriptions/listen} to {@link Subscriptions}.
 */
public final class StatelessEndpoint {
  /** Requests of the 2026-07-28 client union that the gateway forwards as they are. */
  private static final Set<String> FORWARDED = Set.of(McpProtocol.Methods.RESOURCES_LIST, McpProtocol.Methods.RESOURCE_TEMPLATES_LIST,
      McpProtocol.Methods.RESOURCES_READ, McpProtocol.Methods.COMPLETE);

  private final CapabilityCache cache;
  private final CapabilityDispatch capabilityDispatch;
  private final KeptSessions sessions;
  private final InputRequiredBridge inputs;
  private final StatelessToStateless toStateless;
  private final StatelessToSession toSession;
  private final Subscriptions subscriptions;

  public StatelessEndpoint(Vertx vertx, CapabilityCache cache, CapabilityDispatch capabilityDispatch, McpClient client, UpstreamAuths auths,
      ProxySettings settings, StatelessUpstream upstream, UpstreamRelay relay, BiFunction<McpServer, JsonObject, JsonObject> listChanges) {
    this.cache = cache;
    this.capabilityDispatch = capabilityDispatch;
    this.sessions = new KeptSessions(vertx, client, auths, settings.sessionIdle());
    this.inputs = new InputRequiredBridge(vertx, client.limits().requestTimeoutMs(), client.limits().maxConnectionsPerUpstream());
    this.toStateless = new StatelessToStateless(upstream, relay);
    this.toSession = new StatelessToSession(client, auths, sessions, relay, inputs);
    this.subscriptions = new Subscriptions(vertx, client, auths, sessions, toStateless, settings.keepAlive().toMillis(), listChanges);
  }

  public void handle(RoutingContext ctx, JsonObject message) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    Exchange exchange = Exchange.of(ctx);
    exchange.method = method == null ? "response" : method;
    Optional<TransportRules.Refusal> refusal = TransportRules.validate(ctx.request().headers(), message);
    if (refusal.isPresent()) {
      exchange.outcome("rejected");
      TransportRules.Refusal refused = refusal.get();
      McpReplies.json(ctx.response(), refused.status(), McpReplies.error(id, refused.code(), refused.message(), refused.data()));
      return;
    }
    if (id == null) { // a notification: this revision defines none from clients; accepted and dropped
      ctx.response().setStatusCode(202).end();
      return;
    }
    Agent token = ctx.get(AgentAuthHandler.AGENT_KEY);
    String account = ctx.pathParam("account_id");
    String serverId = ctx.pathParam("server_id");
    cache.get(account, serverId).onFailure(e -> {
      if (e instanceof ServerNotFoundException) {
        McpReplies.error(ctx.response(), 404, id, McpProtocol.ErrorCodes.INVALID_REQUEST, "no MCP server '" + serverId + "' in this account");
      } else {
        McpReplies.error(ctx.response(), 503, id, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable");
      }
    }).onSuccess(capabilities -> {
      exchange.serverKnown(account, serverId);
      dispatch(ctx, capabilities, token.name(), message);
    });
  }

  private void dispatch(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    if (capabilityDispatch.dispatch(ctx, capabilities, message, (c, m, rewrite) -> forward(c, capabilities, client, m, rewrite),
        (c, answerId, result) -> reply(c, answerId, cacheable(result)))) {
      return;
    }
    switch (method) {
      case McpProtocol.Stateless.DISCOVER -> reply(ctx, id, discover(capabilities));
      case McpProtocol.Stateless.LISTEN -> {
        AgentEventStream.closeAtShutdown(ctx);
        subscriptions.listen(ctx, KeptSessions.slot(capabilities, client, message), message);
      }
      default -> {
        if (FORWARDED.contains(method)) {
          forward(ctx, capabilities, client, message, UnaryOperator.identity());
        } else {
          Exchange.of(ctx).outcome("rejected");
          McpReplies.json(ctx.response(), 404, McpReplies.error(id, McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
              "Method not found: " + AgentText.clip(method), null));
        }
      }
    }
  }

  /**
   * To the upstream in its era, which the kept session's first open found (and remembers). Also
   * the way a portal's calls reach a member: {@code message} must carry the stateless envelope.
   */
  public void forward(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    KeptSessions.Slot slot = KeptSessions.slot(capabilities, client, message);
    Exchange.of(ctx).upstreamAsked();
    Future<McpSession> opened = sessions.session(slot);
    if (opened.succeeded() && opened.result().transport() == McpSession.Transport.STATELESS) {
      toStateless.relay(ctx, capabilities, client, message, rewrite, false);
      return;
    }
    opened.onComplete(r -> {
      if (r.succeeded() && r.result().transport() == McpSession.Transport.STATELESS) toStateless.relay(ctx, capabilities, client, message, rewrite, false);
      else toSession.forward(ctx, slot, message, rewrite);
    });
  }

  /**
   * One request whose result the gateway reads itself (a portal's fan-out of {@code resources/list}):
   * over the member's kept session, whatever era it speaks, declaring no input capabilities.
   */
  public Future<JsonObject> ask(Capabilities capabilities, String client, String method, JsonObject params) {
    KeptSessions.Slot slot = KeptSessions.slot(capabilities, client, new JsonObject());
    return sessions.session(slot).compose(session -> session.request(method, params));
  }

  /** {@code server/discover} from the cache: what the server offers, as agents see it. */
  private static JsonObject discover(Capabilities capabilities) {
    // list changes reach a stateless agent through subscriptions/listen, mapped to whatever the upstream has
    JsonObject offered = new JsonObject().put("tools", new JsonObject().put("listChanged", true));
    if (!capabilities.server().prompts().isEmpty()) offered.put("prompts", new JsonObject().put("listChanged", true));
    return cacheable(new JsonObject().put("supportedVersions", new JsonArray(VERSIONS)).put("capabilities", offered))
        .put("_meta", new JsonObject().put(McpProtocol.Stateless.META_SERVER_INFO, new JsonObject()
            .put("name", capabilities.server().name()).put("version", "mcp-gateway")));
  }

  /**
   * A list-like result as the stateless era wants it. {@code private}: what agents see depends on
   * the account's overrides (and, for on-behalf servers, on who asks), so shared caches must not
   * serve it across authorization contexts; {@code ttlMs} 0 since a sync may change it any time.
   */
  private static JsonObject cacheable(JsonObject result) {
    return result.put("resultType", "complete").put("ttlMs", 0).put("cacheScope", "private");
  }

  private static void reply(RoutingContext ctx, Object id, JsonObject result) {
    McpReplies.json(ctx.response(), 200, JsonRpc.result(id, result));
  }

  /** Ends every upstream session kept for stateless agents, and every held input request (at shutdown). */
  public void endAll() {
    inputs.abandonAll();
    sessions.endAll();
  }
}
