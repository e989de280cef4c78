package dev.mcpgateway.proxy.session;

import dev.mcpgateway.security.RevokedSessions;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.capabilities.CapabilityDispatch;
import dev.mcpgateway.proxy.capabilities.ListChanges;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.StatelessUpstream;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Agents of the session era (2025-11-25 and older): {@code initialize} opens a session
 * ({@link SessionOpener}), every later message names it in {@code Mcp-Session-Id}
 * ({@link SessionBinder}), lists and calls go through the {@link CapabilityDispatch} both eras
 * share, and the rest goes to the upstream in the era it speaks: {@link SessionToSession}, or
 * {@link SessionToStateless} for a session whose upstream speaks 2026-07-28 (the sealed session
 * id says which). GET is the server-to-client stream, DELETE ends the session — on every replica
 * ({@link RevokedSessions}): the MCP specification has every later request bearing the id answered 404.
 */
public final class SessionEndpoint {
  private static final System.Logger LOG = System.getLogger(SessionEndpoint.class.getName());
  private final LocalSessions local;
  private final RevokedSessions revoked;
  private final SessionBinder binder;
  private final SessionOpener opener;
  private final CapabilityDispatch capabilityDispatch;
  private final ListChanges listChanges;
  private final SessionToSession toSession;
  private final SessionToStateless toStateless;
  private final SessionLogLevels logLevels;
  private final long keepAliveMs;

  public SessionEndpoint(Vertx vertx, SessionCodec codec, CapabilityCache cache, CapabilityDispatch capabilityDispatch, ListChanges listChanges,
      McpClient client, UpstreamAuths auths, ProxySettings settings, StatelessUpstream stateless, UpstreamRelay relay, RevokedSessions revoked,
      Clock clock) {
    this.revoked = revoked;
    this.capabilityDispatch = capabilityDispatch;
    this.listChanges = listChanges;
    this.keepAliveMs = settings.keepAlive().toMillis();
    this.local = new LocalSessions(vertx, settings.sessionIdle());
    this.toSession = new SessionToSession(client, auths, relay, cache, listChanges, local);
    this.logLevels = new SessionLogLevels(settings.sessionIdle());
    this.toStateless = new SessionToStateless(vertx, stateless, client.limits().requestTimeoutMs(), logLevels::of,
        bound -> client.redetect(bound.capabilities().server().hostname(), auths.forAgent(bound.capabilities().server(), bound.token().client())));
    // an idle session ends on every replica, as a DELETE ends it: its id answers 404 everywhere from then on
    local.whenEvicted((sessionId, entry) -> {
      SessionToken token = entry.token;
      if (token != null) {
        revoked.revoke(sessionId, token.issuedAt()).onFailure(e -> LOG.log(System.Logger.Level.WARNING,
            "an idle session could not be recorded as ended (" + e.getMessage() + "): other replicas may serve it until it expires"));
      }
      toSession.end(entry);
    });
    this.binder = new SessionBinder(codec, cache, local, revoked, settings, clock);
    this.opener = new SessionOpener(vertx, codec, cache, client, auths, local, clock);
  }

  /** A POSTed message of this era. */
  public void handle(RoutingContext ctx, JsonObject message) {
    Exchange.of(ctx).method = JsonRpc.isRequest(message) ? message.getString("method")
        : message.getValue("method") instanceof String ? "notification" : "response";
    if (JsonRpc.isRequest(message) && McpProtocol.Methods.INITIALIZE.equals(message.getString("method"))) {
      opener.initialize(ctx, message);
      return;
    }
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, message.getValue("id"), McpProtocol.ErrorCodes.INVALID_REQUEST,
          "Mcp-Session-Id header required: initialize first");
      return;
    }
    binder.bind(ctx, sessionId).onSuccess(bound -> {
      if (bound != null) dispatch(ctx, bound, message);
    });
  }

  private void dispatch(RoutingContext ctx, BoundSession bound, JsonObject message) {
    if (JsonRpc.isRequest(message) && stateless(bound) && answeredByTheBridge(ctx, bound, message)) return;
    if (!JsonRpc.isRequest(message)) {
      if (stateless(bound)) {
        toStateless.fromAgent(bound, message); // nothing else of the agent's has a place upstream in this era
        ctx.response().setStatusCode(202).end();
      } else {
        toSession.forwardWithoutAnswer(ctx, bound, message);
      }
      return;
    }
    if (!capabilityDispatch.dispatch(ctx, bound.capabilities(), message, (c, m, rewrite) -> forward(c, bound, m, rewrite),
        (c, id, result) -> McpReplies.json(c.response(), 200, JsonRpc.result(id, result)))) {
      forward(ctx, bound, message, UnaryOperator.identity());
    }
  }

  /**
   * What a stateless-era upstream has no method for, answered for a session-era agent: {@code ping}
   * (the gateway and the upstream's reachability are what the agent can check), and
   * {@code logging/setLevel}, kept with the session and carried on each request as {@code _meta}'s
   * log level ({@link SessionLogLevels}).
   */
  private boolean answeredByTheBridge(RoutingContext ctx, BoundSession bound, JsonObject message) {
    Object id = message.getValue("id");
    switch (message.getString("method")) {
      case McpProtocol.Methods.PING -> McpReplies.json(ctx.response(), 200, JsonRpc.result(id, new JsonObject()));
      case McpProtocol.Methods.LOGGING_SET_LEVEL -> {
        Object level = message.getValue("params") instanceof JsonObject params ? params.getValue("level") : null;
        if (!(level instanceof String name) || !SessionLogLevels.LEVELS.contains(name)) {
          McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.INVALID_PARAMS,
              "level must be one of " + new java.util.TreeSet<>(SessionLogLevels.LEVELS), null));
        } else {
          logLevels.set(bound.sessionId(), name);
          McpReplies.json(ctx.response(), 200, JsonRpc.result(id, new JsonObject()));
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** To the upstream; list changes on the way back refresh the cache. */
  private void forward(RoutingContext ctx, BoundSession bound, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    UnaryOperator<JsonObject> onTheWayBack = m -> rewrite.apply(listChanges.seen(bound.capabilities().server(), m));
    if (stateless(bound)) toStateless.request(ctx, bound, message, onTheWayBack);
    else toSession.forward(ctx, bound, message, onTheWayBack);
  }

  /** GET: the server-to-client stream of a session. */
  public void stream(RoutingContext ctx) {
    withSession(ctx, bound -> {
      if (stateless(bound)) toStateless.listen(ctx, bound, m -> listChanges.seen(bound.capabilities().server(), m), keepAliveMs);
      else toSession.openStream(ctx, bound);
    });
  }

  /**
   * DELETE: ends a session on every replica, upstream too. The revocation is stored first; when the
   * store cannot take it the answer is 503 and nothing changed. A 200 that ended the session on this
   * replica only would leave a bearer-like id working on the others for as long as the store is
   * away (and a retry queue dies with its replica); a 503 tells the agent the truth, and it may retry.
   */
  public void end(RoutingContext ctx) {
    withSession(ctx, bound -> revoked.revoke(bound.sessionId(), bound.token().issuedAt())
        .onFailure(e -> McpReplies.error(ctx.response(), 503, null, McpProtocol.ErrorCodes.INTERNAL_ERROR,
            "the gateway's store is unavailable: the session was not ended, retry the DELETE"))
        .onSuccess(v -> {
          LocalSessions.Entry entry = local.remove(bound.sessionId());
          toSession.end(entry != null ? entry : new LocalSessions.Entry(bound.token(), null))
              .onComplete(r -> ctx.response().setStatusCode(200).end());
        }));
  }

  /** The session the request names, bound; the binder has answered (400/404) when there is none. */
  private void withSession(RoutingContext ctx, Consumer<BoundSession> then) {
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header required");
      return;
    }
    binder.bind(ctx, sessionId).onSuccess(bound -> {
      if (bound != null) then.accept(bound);
    });
  }

  private static boolean stateless(BoundSession bound) {
    return bound.token().transport() == McpSession.Transport.STATELESS;
  }

  /** Ends every session this replica holds, upstream too (at shutdown). */
  public Future<Void> endAll() {
    return local.drain(toSession::end);
  }

  /** Sessions this replica has seen in their idle window. */
  public long size() {
    return local.size();
  }
}
