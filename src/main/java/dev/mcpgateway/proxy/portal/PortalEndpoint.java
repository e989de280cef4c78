package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.proxy.http.AgentText;
import dev.mcpgateway.proxy.http.AgentAuthHandler;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.proxy.session.SessionToken;
import dev.mcpgateway.proxy.stateless.StatelessEndpoint;
import dev.mcpgateway.proxy.stateless.TransportRules;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.sync.PortalView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A portal's MCP endpoint: one agent connection for the tools, prompts and resources of many
 * servers. Both agent eras: a 2025 session is the portal's own ({@link PortalSessions}:
 * {@code initialize} answered here), a 2026-07-28 request stands alone. Lists are merged from the
 * capability cache ({@link PortalMembers}, {@link PortalView}); a call is split on the first
 * {@code _}, mapped to the member's upstream name, and sent to that member in its own era through
 * the stateless path's forwarding (kept sessions for session-era members, plain POSTs for
 * stateless ones), with the member's credentials; resources are fanned out ({@link PortalResources});
 * list changes reach a session's GET stream or a {@code subscriptions/listen} ({@link PortalStreams}).
 * What an agent sees leaves out the members it switched off for itself ({@link PortalSwitches},
 * the built-in tools: {@link BuiltInTools}); each era's answers are shaped by its {@link PortalEra}.
 * {@code ?optimize_context=} on the agent's URL ({@link ContextMode}) trades the full tool list for
 * names only or for a search and an execute tool ({@link ContextTools}); {@code ?codemode=}, under
 * the portal's policy, for two tools that run the agent's code over the members' tools ({@link CodeModeTools}).
 *
 * <p>Session-era agents reach members through that same path, so their requests carry the
 * stateless envelope upstream and declare no input capabilities: a member that asks for
 * sampling, elicitation or roots during a portal call is refused there ({@code -32601}).
 */
public final class PortalEndpoint {
  private final PortalMembers members;
  private final PortalSessions sessions;
  private final PortalResources resources;
  private final StatelessEndpoint stateless;
  private final PortalStreams streams;
  private final BuiltInTools builtIns;
  private final ContextTools context;
  private final CodeModeTools codeMode;
  private final PortalLists lists = new PortalLists();

  public PortalEndpoint(PortalMembers members, PortalSessions sessions, StatelessEndpoint stateless, PortalResources resources,
      PortalStreams streams, BuiltInTools builtIns, ContextTools context, CodeModeTools codeMode) {
    this.context = context;
    this.codeMode = codeMode;
    this.streams = streams;
    this.builtIns = builtIns;
    this.members = members;
    this.sessions = sessions;
    this.stateless = stateless;
    this.resources = resources;
  }

  /** A POSTed message, after the endpoint's checks; {@code statelessEra} as {@link TransportRules#isStateless} judged it. */
  public void handle(RoutingContext ctx, JsonObject message, boolean statelessEra) {
    Portal portal = ctx.get(PortalRoute.PORTAL_KEY);
    Exchange exchange = Exchange.of(ctx);
    exchange.portal = portal.id();
    exchange.account = portal.accountId();
    String method = message.getValue("method") instanceof String m ? m : null;
    exchange.method = JsonRpc.isRequest(message) ? method : method != null ? "notification" : "response";
    String asked = ctx.queryParams().get(ContextMode.PARAMETER);
    String codemode = ctx.queryParams().get(ContextMode.CODE_MODE_PARAMETER);
    Optional<ContextMode> mode = ContextMode.of(asked, codemode, portal.codeMode());
    if (mode.isEmpty()) {
      exchange.outcome("rejected");
      McpReplies.error(ctx.response(), 400, message.getValue("id"), McpProtocol.ErrorCodes.INVALID_PARAMS, ContextMode.of(asked).isEmpty()
          ? "unknown " + ContextMode.PARAMETER + " '" + AgentText.clip(asked) + "' (minimize_tools, search_and_execute, or none)"
          : "unknown " + ContextMode.CODE_MODE_PARAMETER + " '" + AgentText.clip(codemode) + "' (search_and_execute, off, or none)");
      return;
    }
    if (statelessEra) {
      Optional<TransportRules.Refusal> refusal = TransportRules.validate(ctx.request().headers(), message);
      if (refusal.isPresent()) {
        exchange.outcome("rejected");
        TransportRules.Refusal refused = refusal.get();
        McpReplies.json(ctx.response(), refused.status(), McpReplies.error(message.getValue("id"), refused.code(), refused.message(), refused.data()));
        return;
      }
      if (!JsonRpc.isRequest(message)) {
        ctx.response().setStatusCode(202).end();
        return;
      }
      dispatch(ctx, portal, message, PortalEra.stateless(ToggleHolder.token(ctx.get(AgentAuthHandler.AGENT_KEY))), mode.get());
      return;
    }
    if (JsonRpc.isRequest(message) && McpProtocol.Methods.INITIALIZE.equals(method)) {
      initialize(ctx, portal, message);
      return;
    }
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, message.getValue("id"), McpProtocol.ErrorCodes.INVALID_REQUEST,
          "Mcp-Session-Id header required: initialize first");
      return;
    }
    Optional<SessionToken> token = sessions.bind(portal, ctx.get(AgentAuthHandler.AGENT_KEY), sessionId);
    if (token.isEmpty()) {
      McpReplies.error(ctx.response(), 404, message.getValue("id"), McpReplies.SESSION_NOT_FOUND, "session not found: initialize a new session");
      return;
    }
    if (!JsonRpc.isRequest(message)) { // notifications and responses: the portal asks agents nothing, members are reached per request
      ctx.response().setStatusCode(202).end();
      return;
    }
    dispatch(ctx, portal, message, PortalEra.session(token.get(), sessions.holder(sessionId, token.get())), mode.get());
  }

  /** DELETE: ends a session-era agent's session on every replica; 503 when the store cannot take it (as a server's session: {@code SessionEndpoint.end}). */
  public void end(RoutingContext ctx) {
    Portal portal = ctx.get(PortalRoute.PORTAL_KEY);
    Exchange.of(ctx).portal = portal.id();
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    Optional<SessionToken> token = sessions.bind(portal, ctx.get(AgentAuthHandler.AGENT_KEY), sessionId);
    if (token.isEmpty()) {
      McpReplies.error(ctx.response(), sessionId == null ? 400 : 404, null, McpReplies.SESSION_NOT_FOUND, "session not found");
      return;
    }
    sessions.end(sessionId, token.get())
        .onSuccess(v -> ctx.response().setStatusCode(200).end())
        .onFailure(e -> McpReplies.error(ctx.response(), 503, null, McpProtocol.ErrorCodes.INTERNAL_ERROR,
            "the gateway's store is unavailable: the session was not ended, retry the DELETE"));
  }

  /** GET: a session's server-to-client stream, where the portal's list changes arrive. */
  public void stream(RoutingContext ctx) {
    Portal portal = ctx.get(PortalRoute.PORTAL_KEY);
    Exchange.of(ctx).portal = portal.id();
    Agent client = ctx.get(AgentAuthHandler.AGENT_KEY);
    String sessionId = ctx.request().getHeader(McpProtocol.Headers.SESSION_ID);
    if (sessionId == null) {
      McpReplies.error(ctx.response(), 400, null, McpProtocol.ErrorCodes.INVALID_REQUEST, "Mcp-Session-Id header required");
      return;
    }
    Optional<SessionToken> token = sessions.bind(portal, client, sessionId);
    if (token.isEmpty()) {
      McpReplies.error(ctx.response(), 404, null, McpReplies.SESSION_NOT_FOUND, "session not found: initialize a new session");
      return;
    }
    streams.sessionStream(ctx, portal, client, sessions.holder(sessionId, token.get()));
  }

  private void initialize(RoutingContext ctx, Portal portal, JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    String asked = params.getValue("protocolVersion") instanceof String v ? v : null;
    String version = asked != null && McpProtocol.SUPPORTED_VERSIONS.contains(asked) ? asked : McpProtocol.LATEST_VERSION;
    JsonObject capabilities = params.getValue("capabilities") instanceof JsonObject c ? c : new JsonObject();
    JsonObject clientInfo = params.getValue("clientInfo") instanceof JsonObject i ? i : null;
    Agent client = ctx.get(AgentAuthHandler.AGENT_KEY);
    String sessionId = sessions.open(portal, client, version, capabilities, clientInfo);
    JsonObject result = new JsonObject()
        .put("protocolVersion", version)
        .put("capabilities", offered())
        .put("serverInfo", serverInfo(portal));
    if (portal.description() != null) result.put("instructions", portal.description());
    ctx.response().putHeader(McpProtocol.Headers.SESSION_ID, sessionId);
    McpReplies.json(ctx.response(), 200, JsonRpc.result(message.getValue("id"), result));
  }

  private static JsonObject offered() {
    return new JsonObject()
        .put("tools", new JsonObject().put("listChanged", true))
        .put("prompts", new JsonObject().put("listChanged", true))
        .put("resources", new JsonObject());
  }

  private static JsonObject serverInfo(Portal portal) {
    return new JsonObject().put("name", portal.name()).put("version", "mcp-gateway");
  }

  private void dispatch(RoutingContext ctx, Portal portal, JsonObject message, PortalEra era, ContextMode mode) {
    Object id = message.getValue("id");
    String method = message.getString("method");
    Agent client = ctx.get(AgentAuthHandler.AGENT_KEY);
    switch (method) {
      case McpProtocol.Methods.PING, McpProtocol.Methods.LOGGING_SET_LEVEL -> era.reply(ctx, id, new JsonObject(), false);
      case McpProtocol.Stateless.LISTEN -> streams.subscription(ctx, portal, client, era.holder(), message);
      case McpProtocol.Stateless.DISCOVER -> era.reply(ctx, id, new JsonObject()
          .put("supportedVersions", new JsonArray(McpProtocol.Stateless.VERSIONS))
          .put("capabilities", offered())
          .put("_meta", new JsonObject().put(McpProtocol.Stateless.META_SERVER_INFO, serverInfo(portal))), true);
      case McpProtocol.Methods.TOOLS_LIST -> members.visible(portal, client, era.holder())
          .onSuccess(loaded -> era.replyList(ctx, id, "tools", lists.tools(loaded, mode)));
      case McpProtocol.Methods.PROMPTS_LIST -> members.visible(portal, client, era.holder())
          .onSuccess(loaded -> era.replyList(ctx, id, "prompts", lists.prompts(loaded)));
      case McpProtocol.Methods.TOOLS_CALL -> {
        String name = nameOf(message);
        JsonObject arguments = message.getJsonObject("params").getValue("arguments") instanceof JsonObject a ? a : new JsonObject();
        if (ContextTools.has(mode, name) && !ContextTools.EXECUTE.equals(name)) { // portal_query_tools, Code Mode's tools
          String tool = name;
          io.vertx.core.Promise<Void> gone = io.vertx.core.Promise.promise(); // the agent's connection closed before the answer
          ctx.response().closeHandler(v -> gone.tryComplete());
          members.visible(portal, client, era.holder()).compose(loaded -> ContextTools.QUERY.equals(tool) ? context.query(loaded, arguments)
                  : codeMode.run(tool, portal, client, era.holder(), loaded, arguments, gone.future()))
              .onSuccess(result -> era.reply(ctx, id, result, false))
              .onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
          return;
        }
        if (ContextTools.EXECUTE.equals(name) && ContextTools.has(mode, name)) {
          JsonObject target = ContextTools.executeTarget(arguments);
          if (target == null) {
            era.reply(ctx, id, ContextTools.executeError(), false);
            return;
          }
          message.getJsonObject("params").put("name", name = target.getString("name")).put("arguments", target.getJsonObject("arguments"));
        }
        if (BuiltInTools.has(name)) {
          JsonObject builtInArguments = message.getJsonObject("params").getJsonObject("arguments", new JsonObject());
          builtIns.call(name, portal, client, era.holder(), builtInArguments).onSuccess(result -> era.reply(ctx, id, result, false));
        } else {
          call(ctx, portal, client, message, PortalView.Kind.TOOL, era);
        }
      }
      case McpProtocol.Methods.PROMPTS_GET -> call(ctx, portal, client, message, PortalView.Kind.PROMPT, era);
      case McpProtocol.Methods.RESOURCES_LIST, McpProtocol.Methods.RESOURCE_TEMPLATES_LIST ->
          members.visible(portal, client, era.holder()).compose(loaded -> resources.list(portal, client, loaded, method))
              .onSuccess(result -> era.reply(ctx, id, result, true))
              .onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
      case McpProtocol.Methods.RESOURCES_READ -> {
        String uri = message.getJsonObject("params", new JsonObject()).getValue("uri") instanceof String u ? u : null;
        members.visible(portal, client, era.holder()).compose(loaded -> resources.owner(portal, client, loaded, uri)).onSuccess(owner -> {
          if (owner == null) {
            Exchange.of(ctx).outcome("refused");
            McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.RESOURCE_NOT_FOUND,
                "Resource not found: " + (uri == null ? "(no uri)" : AgentText.clip(uri)), null));
            return;
          }
          Exchange.of(ctx).serverKnown(portal.accountId(), owner.serverId());
          stateless.forward(ctx, owner.capabilities(), client.name(), era.upstream(message), era.back());
        }).onFailure(e -> McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, e));
      }
      default -> {
        Exchange.of(ctx).outcome("rejected");
        McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
            "Method not found: " + AgentText.clip(method), null));
      }
    }
  }

  /** {@code tools/call} or {@code prompts/get}: to the member the name's prefix names, under its upstream name, or refused. */
  private void call(RoutingContext ctx, Portal portal, Agent client, JsonObject message, PortalView.Kind kind, PortalEra era) {
    Object id = message.getValue("id");
    String exposed = nameOf(message);
    Exchange exchange = Exchange.of(ctx);
    exchange.kind = kind == PortalView.Kind.TOOL ? "tool" : "prompt";
    Optional<PortalView.Split> split = PortalView.split(exposed);
    (split.isEmpty() ? io.vertx.core.Future.<PortalMembers.Member>succeededFuture(null) : members.member(portal, client, era.holder(), split.get().serverId()))
        .onSuccess(member -> {
          String upstreamName = member == null ? null : member.view().names(kind).get(exposed);
          exchange.upstreamName = upstreamName;
          if (upstreamName == null) {
            exchange.outcome("refused");
            McpReplies.json(ctx.response(), 200, McpReplies.error(id, McpProtocol.ErrorCodes.INVALID_PARAMS,
                (kind == PortalView.Kind.TOOL ? "Unknown tool: " : "Unknown prompt: ") + (exposed == null ? "(no name)" : AgentText.clip(exposed)),
                null));
            return;
          }
          exchange.serverKnown(portal.accountId(), member.serverId());
          exchange.exposedName = exposed;
          message.getJsonObject("params").put("name", upstreamName);
          stateless.forward(ctx, member.capabilities(), client.name(), era.upstream(message), era.back());
        });
  }

  private static String nameOf(JsonObject message) {
    return message.getValue("params") instanceof JsonObject params && params.getValue("name") instanceof String name ? name : null;
  }
}
