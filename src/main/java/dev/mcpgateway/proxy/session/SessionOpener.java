package dev.mcpgateway.proxy.session;

import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.http.AgentAuthHandler;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.relay.FinalResponse;
import dev.mcpgateway.proxy.relay.StatelessUpstream;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.LegacySseSession;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.mcp.UpstreamCall;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;

/**
 * {@code initialize}: opens the upstream session with the agent's own initialize params (its
 * capabilities and identity travel upstream), falls back to the legacy transport when the upstream
 * refuses the POST, checks the negotiated version and answers with the gateway's sealed session id.
 */
public final class SessionOpener {
  private static final Set<Integer> LEGACY_HINTS = Set.of(400, 404, 405);

  private final SessionCodec sessions;
  private final CapabilityCache cache;
  private final McpClient client;
  private final StreamableHttpChannel channel;
  private final UpstreamAuths auths;
  private final LocalSessions local;
  private final Clock clock;
  private final Vertx vertx;

  public SessionOpener(Vertx vertx, SessionCodec sessions, CapabilityCache cache, McpClient client, UpstreamAuths auths,
      LocalSessions local, Clock clock) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.cache = cache;
    this.client = client;
    this.channel = client.channel();
    this.auths = auths;
    this.local = local;
    this.clock = clock;
  }

  public void initialize(RoutingContext ctx, JsonObject message) {
    Agent clientToken = ctx.get(AgentAuthHandler.AGENT_KEY);
    String account = ctx.pathParam("account_id");
    String serverId = ctx.pathParam("server_id");
    HttpServerResponse response = ctx.response();
    Object id = message.getValue("id");
    cache.get(account, serverId).onFailure(e -> {
      if (e instanceof ServerNotFoundException) {
        McpReplies.error(response, 404, id, McpProtocol.ErrorCodes.INVALID_REQUEST, "no MCP server '" + serverId + "' in this account");
      } else {
        McpReplies.error(response, 503, id, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable");
      }
    }).onSuccess(capabilities -> {
      var server = capabilities.server();
      Exchange.of(ctx).serverKnown(account, serverId);
      Exchange.of(ctx).upstreamAsked();
      McpSession.Transport known = client.rememberedTransport(server.hostname());
      if (known == McpSession.Transport.LEGACY_SSE) {
        initializeLegacy(ctx, capabilities, message, clientToken);
        return;
      }
      // bridged only when the upstream lacks the agent's era: a dual-era upstream gets the agent's initialize as it is
      if (known == McpSession.Transport.STATELESS && client.refusesSessionEra(server.hostname())) {
        initializeStateless(ctx, capabilities, message, clientToken);
        return;
      }
      // bounded: an upstream that never finishes its answer (keep-alives only) cannot hold the agent
      UpstreamCall call = channel.call();
      response.closeHandler(v -> {
        if (!response.ended()) call.cancel();
      });
      Future<HttpClientRequest> opening = auths.forAgent(server, clientToken.name()).headers()
          .compose(auth -> {
            call.stage("no connection");
            return channel.post(new StreamableHttpChannel.Target(server.hostname(), auth, null, null));
          });
      call.send(opening, message.toBuffer(), client.limits().requestTimeoutMs(), McpProtocol.Methods.INITIALIZE, upstream -> {
            if (LEGACY_HINTS.contains(upstream.statusCode())) {
              if (known == McpSession.Transport.STATELESS) { // a modern upstream that refuses initialize speaks only the stateless era
                StreamableHttpChannel.drain(upstream);
                return Future.succeededFuture(new InitializeOutcome.Stateless());
              }
              // a modern-only upstream refuses initialize with a modern error; anything else hints at legacy HTTP+SSE
              return StatelessUpstream.refusal(upstream).map(refusal -> refusal != null
                  && refusal.getJsonObject("error").getValue("code") instanceof Integer code && McpProtocol.Stateless.ERRORS.contains(code)
                  ? new InitializeOutcome.Stateless() : new InitializeOutcome.Legacy());
            }
            if (upstream.statusCode() >= 300) {
              if (upstream.statusCode() == 401) auths.renewAfterRejection(server, clientToken.name()); // the agent's retry gets a renewed token
              McpClientException failure = StreamableHttpChannel.status(upstream);
              StreamableHttpChannel.drain(upstream);
              return Future.failedFuture(failure);
            }
            String upstreamSession = upstream.getHeader(McpProtocol.Headers.SESSION_ID);
            return FinalResponse.read(upstream, id, client.limits())
                .<InitializeOutcome>map(answer -> new InitializeOutcome.Session(answer, upstreamSession));
          })
          .onSuccess(outcome -> {
            if (outcome instanceof InitializeOutcome.Session session) {
              if (known == McpSession.Transport.STATELESS) client.sessionEraSeen(server.hostname(), true);
              completeInitialize(ctx, capabilities, clientToken, session.answer(), session.upstreamSession(),
                  McpSession.Transport.STREAMABLE_HTTP, null);
            } else if (outcome instanceof InitializeOutcome.Stateless) {
              client.sessionEraSeen(server.hostname(), false); // stateless only: session-era agents are bridged from now on
              initializeStateless(ctx, capabilities, message, clientToken);
            } else {
              initializeLegacy(ctx, capabilities, message, clientToken);
            }
          })
          .onFailure(e -> McpReplies.upstreamFailure(response, Exchange.of(ctx), id, e));
    });
  }

  /** What the upstream's answer to {@code initialize} says it is. */
  private sealed interface InitializeOutcome {
    /** A session-era server: its answer (a result or its error) and its session id (nullable). */
    public record Session(JsonObject answer, String upstreamSession) implements InitializeOutcome {}

    /** It speaks only the stateless era (it refused initialize with a modern error). */
    public record Stateless() implements InitializeOutcome {}

    /** It refuses the POST: the legacy HTTP+SSE transport. */
    public record Legacy() implements InitializeOutcome {}
  }

  /**
   * A session-era agent in front of a stateless-era upstream: the gateway answers {@code initialize}
   * itself, from the upstream's {@code server/discover}, at the version the agent asked for (or the
   * newest the gateway speaks), and keeps what the agent declared in its session id, since every
   * request upstream must carry it.
   */
  private void initializeStateless(RoutingContext ctx, Capabilities capabilities, JsonObject message, Agent clientToken) {
    Object id = message.getValue("id");
    var server = capabilities.server();
    JsonObject params = message.getJsonObject("params", new JsonObject());
    client.connect(server.hostname(), auths.forAgent(server, clientToken.name())).onFailure(e ->
        McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e)).onSuccess(session -> {
      session.close();
      if (session.transport() != McpSession.Transport.STATELESS) {
        McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, new McpClientException.ProtocolViolation(
            "upstream changed protocol era during initialize; try again"));
        return;
      }
      String asked = params.getValue("protocolVersion") instanceof String v ? v : null;
      String version = asked != null && McpProtocol.SUPPORTED_VERSIONS.contains(asked) ? asked : McpProtocol.LATEST_VERSION;
      JsonObject result = session.initializeResult().copy().put("protocolVersion", version);
      SessionToken token = new SessionToken(server.accountId(), server.id(), server.hostname(), null, version, clientToken.name(),
          McpSession.Transport.STATELESS, clock.instant(), declared(params.getValue("capabilities")), identity(params.getValue("clientInfo")));
      String sessionId = sessions.encode(token);
      local.touch(sessionId, token);
      ctx.response().putHeader(McpProtocol.Headers.SESSION_ID, sessionId);
      McpReplies.json(ctx.response(), 200, JsonRpc.result(id, result));
    });
  }

  /** The agent's capabilities, kept whole unless large (then only which ones it has: the session id travels in every request). */
  private static JsonObject declared(Object capabilities) {
    if (!(capabilities instanceof JsonObject given)) return new JsonObject();
    JsonObject declared = given.copy();
    // 2025-11-25: an empty elicitation capability means form mode, which the stateless era spells out
    if (declared.getValue("elicitation") instanceof JsonObject elicitation && elicitation.isEmpty()) {
      declared.put("elicitation", new JsonObject().put("form", new JsonObject()));
    }
    if (declared.encode().length() <= 600) return declared;
    // too large to carry: only the capabilities a stateless upstream can ask for, each small (the id stays well under 4 KiB)
    JsonObject kept = new JsonObject();
    for (String name : new String[] {"roots", "sampling", "elicitation"}) {
      if (declared.getValue(name) instanceof JsonObject value) kept.put(name, value.encode().length() <= 120 ? value : new JsonObject());
    }
    return kept;
  }

  private static JsonObject identity(Object clientInfo) {
    if (!(clientInfo instanceof JsonObject info)) return null;
    JsonObject kept = new JsonObject();
    for (String field : new String[] {"name", "version", "title"}) {
      if (info.getValue(field) instanceof String value) kept.put(field, value.length() <= 64 ? value : value.substring(0, 64));
    }
    return kept;
  }

  private void initializeLegacy(RoutingContext ctx, Capabilities capabilities, JsonObject message, Agent clientToken) {
    Object id = message.getValue("id");
    LocalSessions.Entry[] entry = new LocalSessions.Entry[1];
    client.openLegacy(capabilities.server().hostname(), auths.forAgent(capabilities.server(), clientToken.name()), message.getJsonObject("params"),
            serverMessage -> {
              // server requests and notifications of a legacy upstream go to the agent's GET stream
              HttpServerResponse stream = entry[0] == null ? null : entry[0].agentStream;
              if (stream != null && !stream.ended()) stream.write(AgentEventStream.frame(serverMessage));
            })
        .onSuccess(session -> {
          entry[0] = new LocalSessions.Entry(null, (LegacySseSession) session);
          completeInitialize(ctx, capabilities, clientToken, JsonRpc.result(id, session.initializeResult()), null,
              McpSession.Transport.LEGACY_SSE, entry[0]);
        })
        .onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
  }

  private void completeInitialize(RoutingContext ctx, Capabilities capabilities, Agent clientToken, JsonObject answer,
      String upstreamSession, McpSession.Transport transport, LocalSessions.Entry legacyEntry) {
    Object id = answer.getValue("id");
    JsonObject result = answer.getJsonObject("result");
    if (result == null) {
      McpReplies.json(ctx.response(), 200, answer); // the upstream refused initialize: its error, as is
      return;
    }
    Future<String> version = McpClient.negotiated(result);
    if (version.failed()) {
      McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, version.cause());
      return;
    }
    var server = capabilities.server();
    SessionToken token = new SessionToken(server.accountId(), server.id(), server.hostname(), upstreamSession, version.result(),
        clientToken.name(), transport, clock.instant());
    String sessionId = sessions.encode(token);
    if (legacyEntry != null) {
      legacyEntry.token = token;
      local.put(sessionId, legacyEntry); // the entry its upstream messages are routed through
    } else {
      local.touch(sessionId, token);
    }
    ctx.response().putHeader(McpProtocol.Headers.SESSION_ID, sessionId);
    McpReplies.json(ctx.response(), 200, answer);
  }
}
