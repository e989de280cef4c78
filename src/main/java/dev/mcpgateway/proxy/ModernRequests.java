package dev.mcpgateway.proxy;

import dev.mcpgateway.concurrency.Contexts;
import static dev.mcpgateway.mcp.McpProtocol.Modern.*;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.ModernEnvelope;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Agents of the stateless era (MCP 2026-07-28) on the same endpoint as everyone else: no session,
 * no {@code initialize}; every request carries its protocol version, client capabilities and
 * mirrored headers ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}). The
 * gateway validates the headers against the body as the specification asks of any server that
 * reads the body (400 {@code -32020} on a mismatch, {@code -32022} with the supported versions),
 * answers {@code server/discover} and the lists from the capability cache, applies aliases and
 * disabled flags, and forwards the rest to the upstream over a session-based connection it opens
 * and keeps itself (one per server and client token, ended after the idle period), re-opened once
 * when the upstream forgot it. Answers are plain JSON with {@code resultType: "complete"}.
 */
final class ModernRequests {
  /** Requests of the 2026-07-28 client union that the gateway forwards as they are. */
  private static final Set<String> FORWARDED = Set.of("resources/list", "resources/templates/list", "resources/read", "completion/complete");

  private final CapabilityCache cache;
  private final McpClient client;
  private final Vertx vertx;
  private final long settingsKeepAliveMs;
  private final UpstreamAuths auths;
  private final Cache<String, Future<McpSession>> upstreamSessions;
  private final StatelessUpstream stateless;
  private final UpstreamRelay relay;
  private final SessionInputBridge inputs;
  private final java.util.concurrent.atomic.AtomicLong callIds = new java.util.concurrent.atomic.AtomicLong();
  /** Tells the cache of an upstream's list change (and answers the message). */
  private final java.util.function.BiFunction<McpServer, JsonObject, JsonObject> listChanges;
  /** Whether a synced list may answer this agent now (the upstream's ttlMs / cacheScope, see CapabilitySync). */
  private final java.util.function.BiPredicate<McpServer, String> fromCache;

  ModernRequests(Vertx vertx, CapabilityCache cache, McpClient client, UpstreamAuths auths, ProxySettings settings, StatelessUpstream stateless,
      UpstreamRelay relay, java.util.function.BiFunction<McpServer, JsonObject, JsonObject> listChanges,
      java.util.function.BiPredicate<McpServer, String> fromCache) {
    this.fromCache = fromCache;
    this.vertx = vertx;
    this.settingsKeepAliveMs = settings.keepAlive().toMillis();
    this.listChanges = listChanges;
    this.stateless = stateless;
    this.relay = relay;
    this.inputs = new SessionInputBridge(vertx, client.limits().requestTimeoutMs(), client.limits().maxConnectionsPerUpstream());
    this.cache = cache;
    this.client = client;
    this.auths = auths;
    this.upstreamSessions = Caffeine.newBuilder()
        .expireAfterAccess(settings.sessionIdle())
        .maximumSize(10_000)
        // closing a session is upstream I/O: on a context of the gateway's, never on ForkJoinPool
        .executor(Contexts.executor(vertx.getOrCreateContext()))
        .removalListener((String key, Future<McpSession> session, RemovalCause cause) -> {
          if (session != null) session.onSuccess(McpSession::close);
        })
        .build();
  }

  /** Whether {@code message} (or its headers) speaks the stateless era. */
  static boolean isModern(HttpServerRequest request, JsonObject message) {
    String header = request.getHeader(McpProtocol.Headers.PROTOCOL_VERSION);
    if (header != null && header.compareTo(McpProtocol.LATEST_VERSION) > 0) return true;
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : null;
    JsonObject meta = params != null && params.getValue("_meta") instanceof JsonObject m ? m : null;
    return meta != null && meta.containsKey(META_VERSION);
  }

  void handle(RoutingContext ctx, JsonObject message) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    Exchange exchange = Exchange.of(ctx);
    exchange.method = method == null ? "response" : method;
    Optional<JsonObject> refusal = validate(ctx.request(), message);
    if (refusal.isPresent()) {
      exchange.outcome("rejected");
      JsonObject error = refusal.get();
      McpReplies.json(ctx.response(), error.getInteger("status"), McpReplies.error(id, error.getInteger("code"),
          error.getString("message"), error.getJsonObject("data")));
      return;
    }
    if (id == null) { // a notification: this revision defines none from clients; accepted and dropped
      ctx.response().setStatusCode(202).end();
      return;
    }
    ClientToken token = ctx.get(ClientAuthHandler.CLIENT_KEY);
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
    boolean synced = capabilities.server().lastSuccessfulSync() != null && fromCache.test(capabilities.server(), method);
    switch (method) {
      case DISCOVER -> reply(ctx, id, discover(capabilities));
      case McpProtocol.Methods.TOOLS_LIST -> {
        if (synced) reply(ctx, id, cacheable(new JsonObject().put("tools", capabilities.exposedTools())));
        else forward(ctx, capabilities, client, message, ListRewrites.tools(capabilities));
      }
      case McpProtocol.Methods.PROMPTS_LIST -> {
        if (synced) reply(ctx, id, cacheable(new JsonObject().put("prompts", capabilities.exposedPrompts())));
        else forward(ctx, capabilities, client, message, ListRewrites.prompts(capabilities));
      }
      case McpProtocol.Methods.TOOLS_CALL, McpProtocol.Methods.PROMPTS_GET -> {
        CallNames.Kind kind = method.equals(McpProtocol.Methods.TOOLS_CALL) ? CallNames.Kind.TOOL : CallNames.Kind.PROMPT;
        if (CallNames.admit(ctx.response(), Exchange.of(ctx), message, capabilities, kind)) {
          forward(ctx, capabilities, client, message, UnaryOperator.identity());
        }
      }
      case McpProtocol.Modern.LISTEN -> listen(ctx, capabilities, client, message);
      default -> {
        if (FORWARDED.contains(method)) {
          forward(ctx, capabilities, client, message, UnaryOperator.identity());
        } else {
          Exchange.of(ctx).outcome("rejected");
          McpReplies.json(ctx.response(), 404, McpReplies.error(id, McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
              "Method not found: " + StringsForLogs.clip(method), null));
        }
      }
    }
  }

  /**
   * {@code subscriptions/listen}. A stateless-era upstream gets the subscription itself, relayed;
   * its list changes also refresh the gateway's cache on the way. A session-era upstream's list
   * changes arrive on the GET stream of the session the gateway keeps for this agent: the
   * subscription is acknowledged with what the agent asked of tools and prompts, and each
   * {@code list_changed} there is passed on with the subscription's id (and refreshes the cache).
   * An upstream without such a stream (405, or the legacy HTTP+SSE transport, whose stream is the
   * gateway's own) gets the acknowledgement with nothing honoured, then the end, as the
   * specification has servers do for types they do not support.
   */
  private void listen(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message) {
    Object id = message.getValue("id");
    Kept kept = kept(capabilities, client, message);
    Exchange.of(ctx).upstreamAsked();
    session(kept).onFailure(failure -> sessionFailure(ctx, kept.key(), id, failure)).onSuccess(session -> {
      if (session.transport() == McpSession.Transport.STATELESS) {
        relayStateless(ctx, capabilities, client, message, m -> listChanges.apply(capabilities.server(), m), true);
      } else if (session.transport() == McpSession.Transport.STREAMABLE_HTTP) {
        listenOverSession(ctx, kept.key(), capabilities.server(), client, session, message);
      } else {
        acknowledge(ctx, id, new JsonObject(), true);
      }
    });
  }

  private void listenOverSession(RoutingContext ctx, String key, McpServer server, String client, McpSession session, JsonObject message) {
    Object id = message.getValue("id");
    JsonObject params = message.getJsonObject("params", new JsonObject());
    JsonObject requested = params.getValue("notifications") instanceof JsonObject n ? n : new JsonObject();
    JsonObject honoured = new JsonObject();
    if (Boolean.TRUE.equals(requested.getValue("toolsListChanged"))) honoured.put("toolsListChanged", true);
    if (Boolean.TRUE.equals(requested.getValue("promptsListChanged"))) honoured.put("promptsListChanged", true);
    if (honoured.isEmpty()) {
      acknowledge(ctx, id, honoured, true);
      return;
    }
    HttpServerResponse response = ctx.response();
    StreamableHttpChannel channel = this.client.channel();
    StreamableHttpChannel.Target[] target = new StreamableHttpChannel.Target[1];
    Future<HttpClientRequest> opening = auths.forAgent(server, client).headers()
        .compose(auth -> channel.get(target[0] = new StreamableHttpChannel.Target(server.hostname(), auth, session.sessionId(), session.protocolVersion()), null));
    channel.call().send(opening, null, 0, "the session's event stream", stream -> {
      if (stream.statusCode() != 200 || !McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(stream))) {
        StreamableHttpChannel.drain(stream);
        acknowledge(ctx, id, new JsonObject(), true); // the upstream offers no stream of its own
      } else if (response.closed()) {
        stream.request().reset();
      } else {
        relayListChanges(ctx, key, server, stream, target[0], honoured, id);
      }
      return Future.succeededFuture();
    }).onFailure(e -> sessionFailure(ctx, key, id, e));
  }

  /** The kept session's list changes that the subscription asked for, each passed on with the subscription's id. */
  private void relayListChanges(RoutingContext ctx, String key, McpServer server, HttpClientResponse stream, StreamableHttpChannel.Target target,
      JsonObject honoured, Object id) {
    HttpServerResponse response = ctx.response();
    StreamableHttpChannel channel = this.client.channel();
    acknowledge(ctx, id, honoured, false);
    JsonObject meta = new JsonObject().put(McpProtocol.Modern.META_SUBSCRIPTION, id);
    long keepAlive = vertx.setPeriodic(settingsKeepAliveMs, t -> {
      upstreamSessions.getIfPresent(key); // an open subscription keeps the session in use
      if (!response.ended() && !response.closed()) response.write(": keep-alive\n\n");
    });
    Runnable close = () -> {
      vertx.cancelTimer(keepAlive);
      stream.request().reset();
      if (!response.ended() && !response.closed()) {
        response.end("event: message\ndata: " + JsonRpc.result(id, new JsonObject().put("resultType", "complete").put("_meta", meta.copy())).encode() + "\n\n");
      }
    };
    dev.mcpgateway.mcp.SseParser parser = new dev.mcpgateway.mcp.SseParser(64 * 1024, event -> {
      if (event.data().isEmpty() || !(io.vertx.core.json.Json.decodeValue(event.data()) instanceof JsonObject notice)) return;
      if (JsonRpc.isRequest(notice)) { // nobody here can answer the upstream's own requests
        channel.send(target, McpReplies.error(notice.getValue("id"), McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
            "the gateway cannot forward this request to a client of MCP " + VERSION, null).toBuffer());
        return;
      }
      String method = notice.getString("method");
      boolean wanted = "notifications/tools/list_changed".equals(method) && honoured.containsKey("toolsListChanged")
          || "notifications/prompts/list_changed".equals(method) && honoured.containsKey("promptsListChanged");
      if (!wanted) return; // progress and logs belong to requests; other types were not asked for
      listChanges.apply(server, notice);
      JsonObject out = JsonRpc.notification(method, new JsonObject().put("_meta", meta.copy()));
      response.write("event: message\ndata: " + out.encode() + "\n\n");
    });
    stream.handler(chunk -> {
      try {
        parser.feed(chunk);
      } catch (RuntimeException e) {
        close.run();
      }
    });
    stream.exceptionHandler(e -> close.run());
    stream.endHandler(v -> close.run());
    response.closeHandler(v -> close.run());
  }

  /** The first message of a subscription; {@code andEnd}: nothing more will come, the subscription ends at once. */
  private static void acknowledge(RoutingContext ctx, Object id, JsonObject honoured, boolean andEnd) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) return;
    JsonObject meta = new JsonObject().put(McpProtocol.Modern.META_SUBSCRIPTION, id);
    response.setStatusCode(200).putHeader("Content-Type", McpProtocol.Headers.EVENT_STREAM).putHeader("Cache-Control", "no-cache")
        .setChunked(true);
    response.write("event: message\ndata: " + JsonRpc.notification("notifications/subscriptions/acknowledged",
        new JsonObject().put("notifications", honoured).put("_meta", meta)).encode() + "\n\n");
    if (andEnd) {
      response.end("event: message\ndata: " + JsonRpc.result(id, new JsonObject().put("resultType", "complete").put("_meta", meta.copy()))
          .encode() + "\n\n");
    }
  }

  /**
   * The upstream session a stateless-era agent's requests go over: one per server, client token
   * and the input capabilities the agent declares (a session-era upstream learns them at
   * {@code initialize}, and asks for input only of sessions that offer it).
   */
  private record Kept(String key, Capabilities capabilities, String client, JsonObject inputs) {}

  private static Kept kept(Capabilities capabilities, String client, JsonObject message) {
    McpServer server = capabilities.server();
    JsonObject inputs = inputCapabilities(message);
    return new Kept(server.accountId() + "/" + server.id() + "/" + client + "@" + server.hostname() + "#" + inputs.encode(),
        capabilities, client, inputs);
  }

  /**
   * Of the capabilities a request declares, those that let a server ask for input mid-request,
   * reduced to what a session-era {@code initialize} can say of them ({@code elicitation} with
   * its {@code form}/{@code url} modes, {@code sampling} with {@code context}/{@code tools},
   * {@code roots}), in a fixed order: each variant is a session of its own upstream, so there are
   * few of them.
   */
  static JsonObject inputCapabilities(JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    JsonObject declared = meta.getValue(META_CAPABILITIES) instanceof JsonObject c ? c : new JsonObject();
    JsonObject inputs = new JsonObject();
    INPUT_FEATURES.forEach((capability, features) -> {
      if (!(declared.getValue(capability) instanceof JsonObject offered)) return;
      JsonObject kept = new JsonObject();
      features.stream().filter(offered::containsKey).forEach(feature -> kept.put(feature, new JsonObject()));
      inputs.put(capability, kept);
    });
    return inputs;
  }

  /** The input capabilities and the features of each that are passed on, in a fixed order. */
  private static final Map<String, List<String>> INPUT_FEATURES = new java.util.TreeMap<>(Map.of(
      "elicitation", List.of("form", "url"), "sampling", List.of("context", "tools"), "roots", List.of()));


  /** Over the upstream session this (server, client) keeps; a session the upstream forgot (404) is opened again, once. */
  private void forward(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Kept kept = kept(capabilities, client, message);
    Exchange.of(ctx).upstreamAsked();
    Future<McpSession> opened = session(kept);
    if (opened.succeeded() && opened.result().transport() == McpSession.Transport.STATELESS) {
      relayStateless(ctx, capabilities, client, message, rewrite);
      return;
    }
    opened.onComplete(r -> {
      if (r.succeeded() && r.result().transport() == McpSession.Transport.STATELESS) relayStateless(ctx, capabilities, client, message, rewrite);
      else overSession(ctx, kept, message, rewrite);
    });
  }

  /**
   * Modern agent, modern upstream: the agent's request as it sent it (its envelope, its
   * {@code Mcp-Param-*} headers, known or not), with the name the gateway mapped mirrored in a
   * regenerated {@code Mcp-Name}; the answer relayed as it comes — progress events, an
   * {@code input_required} result for the agent to complete, errors. Closing the agent's stream
   * closes the upstream's: that is cancellation in this era.
   */
  private void relayStateless(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message,
      UnaryOperator<JsonObject> rewrite) {
    relayStateless(ctx, capabilities, client, message, rewrite, false);
  }

  /** {@code subscription}: a {@code subscriptions/listen} stream, off the request pool and without an idle limit. */
  private void relayStateless(RoutingContext ctx, Capabilities capabilities, String client, JsonObject message,
      UnaryOperator<JsonObject> rewrite, boolean subscription) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    Map<String, String> headers = ModernEnvelope.headers(method, message.getJsonObject("params"), null);
    ctx.request().headers().forEach(h -> {
      if (h.getKey().regionMatches(true, 0, McpProtocol.Modern.PARAM_HEADER_PREFIX, 0, McpProtocol.Modern.PARAM_HEADER_PREFIX.length())) {
        headers.put(h.getKey(), h.getValue());
      }
    });
    UpstreamCall call = stateless.call();
    ctx.response().closeHandler(v -> {
      if (!ctx.response().ended()) call.cancel();
    });
    stateless.post(capabilities.server(), client, message, headers, call, subscription, upstream -> {
      if (upstream.statusCode() < 300) {
        relay.relay(upstream, ctx.response(), Exchange.of(ctx), id, rewrite, call::cancel, () -> { }, !subscription);
        return Future.succeededFuture();
      }
      McpClientException failure = StreamableHttpChannel.status(upstream);
      int status = upstream.statusCode();
      StatelessUpstream.refusal(upstream).onComplete(r -> {
        if (r.succeeded() && r.result() != null) {
          Exchange.of(ctx).outcome("mcp_error");
          McpReplies.json(ctx.response(), status, r.result().put("id", id)); // the upstream's own refusal, as it gave it
        } else {
          McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, failure);
        }
      });
      return Future.succeededFuture();
    }).onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
  }

  /**
   * Modern agent, session-era upstream, over the session the gateway keeps: Streamable HTTP is
   * relayed as it comes (progress streamed, closing the agent's stream sends
   * {@code notifications/cancelled}); the upstream's own requests cannot reach an agent of this era
   * and are refused upstream at once. A session the upstream forgot (404) is opened again, once.
   */
  private void overSession(RoutingContext ctx, Kept kept, JsonObject message, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    Optional<String> state = SessionInputBridge.stateOf(message.getJsonObject("params"));
    if (state.isPresent()) {
      retry(ctx, kept, message, state.get(), rewrite);
      return;
    }
    session(kept).onFailure(failure -> sessionFailure(ctx, kept.key(), id, failure)).onSuccess(session -> {
      JsonObject params = upstreamParams(message.getJsonObject("params"));
      if (session.transport() == McpSession.Transport.STREAMABLE_HTTP) {
        // the call gets an id of the gateway's own: the session is shared, and agents' ids need not be unique across it
        JsonObject call = JsonRpc.request("mcpgw-" + callIds.incrementAndGet(), message.getString("method"), params);
        relayOverSession(ctx, kept, session, call, id, rewrite, true);
      } else {
        requestOverSession(ctx, kept, JsonRpc.request(id, message.getString("method"), params), rewrite);
      }
    });
  }

  /** The request an input request was asked for: only its retry, over the same kept session, may answer it. */
  private static SessionInputBridge.Origin origin(Kept kept, JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    Object name = params.getValue("resources/read".equals(message.getString("method")) ? "uri" : "name");
    McpServer server = kept.capabilities().server();
    return new SessionInputBridge.Origin(server.accountId() + "/" + server.id(), kept.key(), message.getString("method"),
        name instanceof String text ? text : null);
  }

  /**
   * A retry after {@code input_required} from the bridge: the agent's answer goes upstream as the
   * response to the upstream's request and, once the upstream took it, this exchange takes the
   * rest of the held stream (final response under this request's id, progress under its token).
   * An answer missing from {@code inputResponses} is asked again, as the specification has
   * servers do.
   */
  private void retry(RoutingContext ctx, Kept kept, JsonObject message, String state, UnaryOperator<JsonObject> rewrite) {
    Object id = message.getValue("id");
    Optional<SessionInputBridge.Pending> found = inputs.take(state, origin(kept, message));
    if (found.isEmpty()) {
      Exchange.of(ctx).outcome("rejected");
      McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.INVALID_PARAMS,
          "requestState is unknown, used or lapsed: send the request again without it", null));
      return;
    }
    SessionInputBridge.Pending pending = found.get();
    JsonObject params = message.getJsonObject("params");
    Object answer = params.getValue("inputResponses") instanceof JsonObject responses ? responses.getValue(pending.key()) : null;
    if (!(answer instanceof JsonObject result)) {
      if (pending.round() >= SessionInputBridge.MAX_ROUNDS) {
        pending.held().abandon();
        Exchange.of(ctx).outcome("rejected");
        McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.INVALID_PARAMS,
            "inputResponses has no answer to '" + pending.key() + "' after " + SessionInputBridge.MAX_ROUNDS + " rounds", null));
        return;
      }
      reply(ctx, id, inputs.ask(pending.again(), id).getJsonObject("result"));
      return;
    }
    Exchange.of(ctx).upstreamAsked();
    Object progressToken = params.getValue("_meta") instanceof JsonObject meta ? meta.getValue("progressToken") : null;
    pending.toUpstream().apply(JsonRpc.result(pending.askedId(), result)).onComplete(sent -> {
      if (sent.failed() || sent.result() >= 300) {
        pending.held().abandon();
        McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, sent.failed() ? StreamableHttpChannel.classify(sent.cause())
            : new McpClientException.HttpStatus(sent.result(), "upstream answered HTTP " + sent.result() + " to the client's input"));
        return;
      }
      pending.held().resume(ctx.response(), Exchange.of(ctx), id, toModernAgent(pending.callId(), id, progressToken, rewrite, pending.toUpstream()),
          pending.cancel(), inputs.asker(pending.origin(), id, kept.inputs(), pending.round() + 1, pending.toUpstream(), pending.callId(),
              pending.cancel()));
    });
  }

  /** {@code call} (with the gateway's id) over the kept Streamable HTTP session, answered to the agent's request {@code agentId}. */
  private void relayOverSession(RoutingContext ctx, Kept kept, McpSession session, JsonObject call, Object agentId,
      UnaryOperator<JsonObject> rewrite, boolean mayReopen) {
    Object callId = call.getValue("id");
    String key = kept.key();
    Capabilities capabilities = kept.capabilities();
    String client = kept.client();
    McpServer server = capabilities.server();
    HttpServerResponse response = ctx.response();
    StreamableHttpChannel channel = this.client.channel();
    UpstreamCall sending = channel.call();
    StreamableHttpChannel.Target[] target = new StreamableHttpChannel.Target[1];
    Runnable cancel = () -> {
      if (target[0] != null) channel.send(target[0], JsonRpc.notification("notifications/cancelled", new JsonObject().put("requestId", callId)
          .put("reason", "the client closed its stream")).toBuffer());
    };
    response.closeHandler(v -> {
      if (sending.started() && !response.ended() && !sending.cancelled()) {
        sending.cancel();
        cancel.run();
      }
    });
    Future<HttpClientRequest> opening = auths.forAgent(server, client).headers()
        .compose(auth -> {
          sending.stage("no connection");
          return channel.post(target[0] = new StreamableHttpChannel.Target(server.hostname(), auth, session.sessionId(), session.protocolVersion()));
        });
    // the deadline runs until the answer begins; the relay's idle limit then takes over
    sending.send(opening, call.toBuffer(), this.client.limits().requestTimeoutMs(), call.getString("method"), upstream -> {
      if (upstream.statusCode() == 404 && mayReopen) {
        StreamableHttpChannel.drain(upstream);
        upstreamSessions.invalidate(key);
        session(kept).onFailure(failure -> sessionFailure(ctx, key, agentId, failure))
            .onSuccess(reopened -> relayOverSession(ctx, kept, reopened, call, agentId, rewrite, false));
      } else if (upstream.statusCode() >= 300) {
        McpClientException failure = StreamableHttpChannel.status(upstream);
        StreamableHttpChannel.drain(upstream);
        if (upstream.statusCode() == 401) auths.renewAfterRejection(server, client);
        sessionFailure(ctx, key, agentId, failure);
      } else {
        StreamableHttpChannel.Target to = target[0];
        java.util.function.Function<JsonObject, Future<Integer>> toUpstream = message -> channel.send(to, message.toBuffer());
        relay.relayToStateless(upstream, response, Exchange.of(ctx), callId, agentId, toModernAgent(callId, agentId, null, rewrite, toUpstream),
            cancel, inputs.asker(origin(kept, call), agentId, kept.inputs(), 1, toUpstream, callId, cancel));
      }
      return Future.succeededFuture();
    }).onFailure(e -> {
      if (e instanceof McpClientException.Timeout) cancel.run(); // the upstream may still be working on it
      sessionFailure(ctx, key, agentId, e);
    });
  }

  /**
   * The messages of a session-era upstream's answer to call {@code callId} as the stateless agent
   * of request {@code agentId} takes them: the final response under the agent's id, marked
   * complete; progress under {@code progressToken} when the agent's request (a retry) has its own;
   * requests to the client that the bridge did not take refused upstream.
   */
  private static UnaryOperator<JsonObject> toModernAgent(Object callId, Object agentId, Object progressToken, UnaryOperator<JsonObject> rewrite,
      java.util.function.Function<JsonObject, Future<Integer>> toUpstream) {
    return message -> {
      if (JsonRpc.isRequest(message)) {
        toUpstream.apply(McpReplies.error(message.getValue("id"), McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
            "the gateway cannot ask " + StringsForLogs.clip(String.valueOf(message.getValue("method")))
                + " of this client (not declared, or too many at once)", null));
        return null;
      }
      JsonObject out = rewrite.apply(message);
      if (JsonRpc.isResponse(out) && JsonRpc.sameId(out.getValue("id"), callId)) {
        out.put("id", agentId);
        if (out.getValue("result") instanceof JsonObject result) result.put("resultType", "complete");
      }
      if (progressToken != null && "notifications/progress".equals(out.getString("method")) && out.getValue("params") instanceof JsonObject p) {
        p.put("progressToken", progressToken);
      }
      return out;
    };
  }

  private void sessionFailure(RoutingContext ctx, String key, Object id, Throwable failure) {
    if (failure instanceof McpClientException.RpcError rpc) {
      Exchange.of(ctx).outcome("mcp_error");
      McpReplies.json(ctx.response(), 200, McpReplies.error(id, rpc.code(), rpc.getMessage(), null));
      return;
    }
    if (!(failure instanceof McpClientException.NotAuthorized)) upstreamSessions.invalidate(key);
    McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, failure);
  }

  /** Over a legacy HTTP+SSE session: the final result only. */
  private void requestOverSession(RoutingContext ctx, Kept kept, JsonObject upstreamMessage, UnaryOperator<JsonObject> rewrite) {
    String key = kept.key();
    Object id = upstreamMessage.getValue("id");
    String method = upstreamMessage.getString("method");
    JsonObject params = upstreamMessage.getJsonObject("params");
    session(kept)
        .compose(session -> session.request(method, params))
        .recover(failure -> {
          if (!(failure instanceof McpClientException.HttpStatus status && status.status() == 404)) return Future.failedFuture(failure);
          upstreamSessions.invalidate(key);
          return session(kept).compose(session -> session.request(method, params));
        })
        .onSuccess(result -> {
          JsonObject rewritten = rewrite.apply(JsonRpc.result(id, result));
          reply(ctx, id, rewritten.getJsonObject("result").put("resultType", "complete"));
        })
        .onFailure(failure -> sessionFailure(ctx, key, id, failure));
  }

  private Future<McpSession> session(Kept kept) {
    McpServer server = kept.capabilities().server();
    Future<McpSession> session = upstreamSessions.get(kept.key(),
        k -> client.connect(server.hostname(), auths.forAgent(server, kept.client()), kept.inputs()));
    return session.recover(failure -> {
      upstreamSessions.asMap().remove(kept.key(), session); // a failed open is not kept
      return Future.failedFuture(failure);
    });
  }

  /** The request's params as a legacy upstream takes them: the stateless era's {@code _meta} keys removed (progressToken stays). */
  static JsonObject upstreamParams(JsonObject params) {
    JsonObject copy = params == null ? new JsonObject() : params.copy();
    if (copy.getValue("_meta") instanceof JsonObject meta) {
      meta.fieldNames().removeIf(k -> k.startsWith(META_PREFIX));
      if (meta.isEmpty()) copy.remove("_meta");
    }
    return copy;
  }

  /** {@code server/discover} from the cache: what the server offers, as agents see it. */
  private static JsonObject discover(Capabilities capabilities) {
    // list changes reach a modern agent through subscriptions/listen, mapped to whatever the upstream has
    JsonObject offered = new JsonObject().put("tools", new JsonObject().put("listChanged", true));
    if (!capabilities.server().prompts().isEmpty()) offered.put("prompts", new JsonObject().put("listChanged", true));
    return cacheable(new JsonObject().put("supportedVersions", new JsonArray(VERSIONS)).put("capabilities", offered))
        .put("_meta", new JsonObject().put("io.modelcontextprotocol/serverInfo", new JsonObject()
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

  /** The header rules of the 2026-07-28 transport; empty when the request may proceed, else {status, code, message, data}. */
  static Optional<JsonObject> validate(HttpServerRequest request, JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    String header = request.getHeader(McpProtocol.Headers.PROTOCOL_VERSION);
    Object bodyVersion = meta.getValue(META_VERSION);
    if (header == null || !header.equals(bodyVersion)) {
      return Optional.of(refusal(400, HEADER_MISMATCH, "MCP-Protocol-Version must be present and equal _meta's protocolVersion", null));
    }
    if (!VERSIONS.contains(header)) {
      return Optional.of(refusal(400, UNSUPPORTED_VERSION, "unsupported protocol version", new JsonObject()
          .put("supported", new JsonArray(new java.util.ArrayList<>(VERSIONS)).addAll(new JsonArray(McpProtocol.SUPPORTED_VERSIONS)))
          .put("requested", StringsForLogs.clip(header))));
    }
    String method = message.getValue("method") instanceof String m ? m : null;
    if (method != null && !method.equals(request.getHeader(METHOD_HEADER))) {
      return Optional.of(refusal(400, HEADER_MISMATCH, "the Mcp-Method header must equal the body's method", null));
    }
    if (method != null && NAMED.contains(method)) {
      Object name = params.getValue(method.equals("resources/read") ? "uri" : "name");
      String decoded = ModernEnvelope.decode(request.getHeader(NAME_HEADER));
      if (!(name instanceof String) || !name.equals(decoded)) {
        return Optional.of(refusal(400, HEADER_MISMATCH, "the Mcp-Name header must equal the body's name", null));
      }
    }
    if (message.containsKey("id") && !(meta.getValue(META_CAPABILITIES) instanceof JsonObject)) {
      return Optional.of(refusal(400, McpProtocol.ErrorCodes.INVALID_PARAMS,
          "_meta must carry io.modelcontextprotocol/clientCapabilities", null));
    }
    return Optional.empty();
  }

  private static JsonObject refusal(int status, int code, String message, JsonObject data) {
    return new JsonObject().put("status", status).put("code", code).put("message", message).put("data", data);
  }

  /** Ends every upstream session kept for modern agents (at shutdown). */
  void endAll() {
    inputs.abandonAll();
    upstreamSessions.invalidateAll();
  }
}
