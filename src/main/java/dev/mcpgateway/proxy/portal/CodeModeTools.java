package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.codemode.CodeResult;
import dev.mcpgateway.codemode.Sandboxes;
import dev.mcpgateway.codemode.ToolCallRefused;
import dev.mcpgateway.codemode.ToolCaller;
import dev.mcpgateway.codemode.ToolNames;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.proxy.stateless.StatelessEndpoint;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.sync.PortalView;
import dev.mcpgateway.upstream.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Code Mode's two tools ({@link ContextMode#CODE_MODE}): {@code portal_codemode_search} and
 * {@code portal_codemode_execute} take {@code {code}}, a JavaScript async arrow function, and run
 * it in a sandbox ({@link Sandboxes}) where {@code codemode.tools()} lists the member tools this
 * agent sees, under JavaScript names ({@link ToolNames}), and — in execute — {@code
 * codemode.<name>(args)} calls one. A call leaves the sandbox only as a message to this class,
 * which resolves the member again (a tool switched off or disabled since is refused), sends the
 * call in the member's era with the member's credentials for this client (the agent's own, on
 * behalf of a user), counts it in the metrics as any portal call, and answers the sandbox the
 * unwrapped result: {@code structuredContent}, else the text parsed as JSON, else the text; a
 * result with {@code isError} rejects. No credential ever enters the sandbox.
 */
public final class CodeModeTools {
  public static final String SEARCH = "portal_codemode_search";
  public static final String EXECUTE = "portal_codemode_execute";

  private final Sandboxes sandboxes;
  private final PortalMembers members;
  private final StatelessEndpoint stateless;
  private final GatewayMetrics metrics;

  public CodeModeTools(Sandboxes sandboxes, PortalMembers members, StatelessEndpoint stateless, GatewayMetrics metrics) {
    this.sandboxes = sandboxes;
    this.members = members;
    this.stateless = stateless;
    this.metrics = metrics;
  }

  /** Runs the agent's {@code code} for tool {@code name} over the tools of {@code loaded}: an MCP tool result, never a failure. */
  Future<JsonObject> run(String name, Portal portal, Agent client, ToggleHolder holder, List<PortalMembers.Member> loaded,
      JsonObject arguments, Future<Void> abandoned) {
    if (!(arguments.getValue("code") instanceof String code) || code.isBlank()) {
      return Future.succeededFuture(new CodeResult(false, name + " needs 'code': a JavaScript async arrow function, e.g. "
          + "async () => codemode.tools().map(t => t.name)", "", null, 0).toToolResult());
    }
    List<JsonObject> listed = new ArrayList<>();
    List<String> exposed = new ArrayList<>();
    for (PortalMembers.Member member : loaded) {
      for (Object tool : member.view().tools()) {
        listed.add((JsonObject) tool);
        exposed.add(((JsonObject) tool).getString("name"));
      }
    }
    Map<String, String> byIdentifier = ToolNames.identifiers(exposed);
    JsonArray tools = new JsonArray();
    int i = 0;
    for (Map.Entry<String, String> entry : byIdentifier.entrySet()) {
      tools.add(sandboxView(entry.getKey(), listed.get(i++)));
    }
    boolean search = SEARCH.equals(name);
    ToolCaller caller = (identifier, args) -> {
      // search reads the list only, whatever the sandbox says: the gateway, not the prelude, holds that line
      if (search) return Future.failedFuture(new ToolCallRefused("tools are called from " + EXECUTE + ", not " + SEARCH));
      String target = byIdentifier.get(identifier);
      return target == null ? Future.failedFuture(new ToolCallRefused("no such tool: " + identifier)) : call(portal, client, holder, target, args);
    };
    long start = System.nanoTime();
    return sandboxes.run(portal.accountId(), search ? "search" : "execute", code, tools, caller, abandoned).map(result -> {
      metrics.codeModeRun(portal.accountId(), portal.id(), name, result.outcome(), System.nanoTime() - start);
      return result.toToolResult();
    });
  }

  /** One call out of a sandbox, through the member's kept session, metered as a portal call. */
  private Future<Object> call(Portal portal, Agent client, ToggleHolder holder, String exposed, JsonObject arguments) {
    long start = System.nanoTime();
    String serverId = PortalView.split(exposed).map(PortalView.Split::serverId).orElse(GatewayMetrics.UNKNOWN);
    return members.member(portal, client, holder, serverId).compose(member -> {
      String upstreamName = member == null ? null : member.view().names(PortalView.Kind.TOOL).get(exposed);
      if (upstreamName == null) {
        record(portal, serverId, GatewayMetrics.OTHER, "refused", start);
        return Future.failedFuture(new ToolCallRefused("Unknown tool: " + exposed + " (switched off or disabled since the run began)"));
      }
      return stateless.ask(member.capabilities(), client.name(), McpProtocol.Methods.TOOLS_CALL,
          new JsonObject().put("name", upstreamName).put("arguments", arguments)).transform(answer -> {
            if (answer.succeeded()) {
              record(portal, serverId, exposed, "ok", start);
              return unwrap(answer.result());
            }
            Throwable failure = answer.cause();
            record(portal, serverId, exposed, failure instanceof McpClientException.Timeout ? "timeout" : "upstream_error", start);
            return Future.failedFuture(new ToolCallRefused(exposed + ": " + describe(failure)));
          });
    });
  }

  private void record(Portal portal, String serverId, String exposed, String outcome, long start) {
    long nanos = System.nanoTime() - start;
    metrics.mcpRequest(portal.accountId(), serverId, McpProtocol.Methods.TOOLS_CALL, outcome, nanos, nanos);
    metrics.capabilityUse(portal.accountId(), serverId, portal.id(), "tool", exposed, outcome);
    metrics.portalRequest(portal.accountId(), portal.id(), serverId, McpProtocol.Methods.TOOLS_CALL, outcome);
  }

  /** What a call answers the agent's code: structured content, else the text as JSON or as text; an error result rejects. */
  static Future<Object> unwrap(JsonObject result) {
    JsonArray content = result.getValue("content") instanceof JsonArray c ? c : new JsonArray();
    List<String> texts = new ArrayList<>();
    boolean onlyText = true;
    for (Object item : content) {
      if (item instanceof JsonObject block && "text".equals(block.getString("type")) && block.getValue("text") instanceof String text) {
        texts.add(text);
      } else {
        onlyText = false;
      }
    }
    String text = String.join("\n", texts);
    if (Boolean.TRUE.equals(result.getValue("isError"))) {
      return Future.failedFuture(new ToolCallRefused(text.isEmpty() ? "the tool reported an error" : text));
    }
    if (result.getValue("structuredContent") != null) return Future.succeededFuture(result.getValue("structuredContent"));
    if (!onlyText) return Future.succeededFuture(content);
    try {
      return Future.succeededFuture(Json.decodeValue(text));
    } catch (DecodeException notJson) {
      return Future.succeededFuture(text);
    }
  }

  private static String describe(Throwable failure) {
    String authorizeAt = failure instanceof McpClientException.NotAuthorized n ? n.authorizationUrl()
        : failure instanceof OAuthException o ? o.authorizationUrl() : null;
    if (authorizeAt != null) return "authorize the gateway to use this server on your behalf first: " + authorizeAt;
    if (failure instanceof McpClientException.Timeout) return "the server timed out";
    String cause = McpClientException.detailsOf(failure).cause();
    return "the server failed" + (cause == null ? "" : ": " + cause);
  }

  /** A tool as {@code codemode.tools()} shows it: its JavaScript name, its portal name, what it does and takes. */
  private static JsonObject sandboxView(String identifier, JsonObject tool) {
    JsonObject view = new JsonObject().put("name", identifier).put("tool", tool.getString("name"));
    for (String field : List.of("title", "description", "inputSchema", "outputSchema", "annotations")) {
      if (tool.getValue(field) != null) view.put(field, tool.getValue(field));
    }
    return view;
  }

  static JsonArray definitions() {
    JsonObject codeSchema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("code", new JsonObject().put("type", "string")
            .put("description", "a JavaScript async arrow function, e.g. async () => { ... }")))
        .put("required", new JsonArray().add("code"));
    return new JsonArray()
        .add(new JsonObject()
            .put("name", SEARCH)
            .put("title", "Search tools with code")
            .put("description", "Runs JavaScript to explore the tools of this portal's servers. codemode.tools() returns every tool as "
                + "{name, tool, description, inputSchema}: name is what to call in portal_codemode_execute (codemode.<name>(args)). "
                + "Example: async () => codemode.tools().filter(t => /issue/i.test(t.description)).map(t => ({name: t.name, "
                + "description: t.description, inputSchema: t.inputSchema}))")
            .put("inputSchema", codeSchema.copy())
            .put("annotations", new JsonObject().put("readOnlyHint", true).put("openWorldHint", false)))
        .add(new JsonObject()
            .put("name", EXECUTE)
            .put("title", "Run code that calls tools")
            .put("description", "Runs JavaScript that calls this portal's tools: await codemode.<name>(args) calls one (names as "
                + "portal_codemode_search shows them) and resolves to its result: the structured content, else the text parsed as "
                + "JSON, else the text; a tool error throws. Calls may run in parallel with Promise.all. Return what you need; it "
                + "comes back as text (JSON for objects). No network, files or timers; limits on time, memory and tool calls apply. "
                + "Example: async () => { const [a, b] = await Promise.all([codemode.docs_search({q: 'x'}), "
                + "codemode.tickets_list({})]); return {a, b}; }")
            .put("inputSchema", codeSchema.copy()));
  }
}
