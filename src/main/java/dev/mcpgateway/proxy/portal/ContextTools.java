package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.search.ToolSearch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools of context minimisation ({@link ContextMode}): {@code portal_query_tools} searches the
 * member tools this agent sees ({@link ToolSearch}: BM25 over names, descriptions and parameters)
 * and answers their full definitions; {@code portal_execute} calls one of them by name (the
 * endpoint sends it through the ordinary call path: overrides, credentials, metrics). In
 * {@code minimize_tools} mode the members' tools are listed by name only. A search index is built
 * once per set of member views (they change only with a sync or an override), off the event loop.
 */
public final class ContextTools {
  public static final String QUERY = "portal_query_tools";
  public static final String EXECUTE = "portal_execute";
  static final int DEFAULT_LIMIT = 10;

  private final Vertx vertx;
  /** Keyed by the member views themselves (identity: PortalMembers memoises them per sync and mapping). */
  private final Cache<MemberViews, Future<ToolSearch>> indexes = Caffeine.newBuilder().maximumSize(1_000)
      .expireAfterAccess(Duration.ofMinutes(30)).build();

  public ContextTools(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Whether {@code name} is one of this mode's tools. */
  static boolean has(ContextMode mode, String name) {
    return switch (mode) {
      case FULL -> false;
      case MINIMIZE_TOOLS -> QUERY.equals(name);
      case SEARCH_AND_EXECUTE -> QUERY.equals(name) || EXECUTE.equals(name);
      case CODE_MODE -> CodeModeTools.SEARCH.equals(name) || CodeModeTools.EXECUTE.equals(name);
    };
  }

  /** What {@code tools/list} shows of the members, and this mode's own tools, appended to {@code into}. */
  static void list(ContextMode mode, List<PortalMembers.Member> members, JsonArray into) {
    switch (mode) {
      case FULL -> members.forEach(m -> into.addAll(m.view().tools()));
      case MINIMIZE_TOOLS -> {
        into.add(queryDefinition());
        members.forEach(m -> m.view().tools().forEach(t -> {
          // a name and the smallest input schema MCP allows: the rest comes from portal_query_tools
          into.add(new JsonObject().put("name", ((JsonObject) t).getString("name")).put("inputSchema", new JsonObject().put("type", "object")));
        }));
      }
      case SEARCH_AND_EXECUTE -> into.add(queryDefinition()).add(executeDefinition());
      case CODE_MODE -> into.addAll(CodeModeTools.definitions());
    }
  }

  /** {@code portal_query_tools}: the best matches among {@code members}' tools, full definitions. */
  Future<JsonObject> query(List<PortalMembers.Member> members, JsonObject arguments) {
    if (!(arguments.getValue("query") instanceof String query) || query.isBlank()) {
      return Future.succeededFuture(error("portal_query_tools needs a non-empty string 'query'"));
    }
    Object limitValue = arguments.getValue("limit");
    if (limitValue != null && !(limitValue instanceof Number)) return Future.succeededFuture(error("'limit' must be an integer"));
    int limit = limitValue instanceof Number n ? n.intValue() : DEFAULT_LIMIT;
    return index(members).map(search -> {
      JsonArray tools = new JsonArray();
      for (ToolSearch.Hit hit : search.search(query, limit)) tools.add(hit.tool());
      JsonObject structured = new JsonObject().put("tools", tools);
      return new JsonObject()
          .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", structured.encode())))
          .put("structuredContent", structured);
    });
  }

  /** The tool {@code portal_execute} names, and its arguments; null when the arguments are not usable (then {@link #executeError}). */
  static JsonObject executeTarget(JsonObject arguments) {
    if (!(arguments.getValue("name") instanceof String name) || name.isEmpty()) return null;
    Object args = arguments.getValue("arguments");
    if (args != null && !(args instanceof JsonObject)) return null;
    return new JsonObject().put("name", name).put("arguments", args == null ? new JsonObject() : args);
  }

  static JsonObject executeError() {
    return error("portal_execute needs 'name' (a tool's full name, as portal_query_tools gives it) and, optionally, 'arguments' (an object)");
  }

  private Future<ToolSearch> index(List<PortalMembers.Member> members) {
    MemberViews key = MemberViews.of(members);
    Future<ToolSearch> cached = indexes.getIfPresent(key);
    if (cached != null && !cached.failed()) return cached;
    List<JsonObject> tools = new ArrayList<>();
    key.views().forEach(v -> v.tools().forEach(t -> tools.add((JsonObject) t)));
    // indexing hundreds of tools takes milliseconds of CPU: on a worker, never on the event loop
    Future<ToolSearch> built = vertx.executeBlocking(() -> ToolSearch.index(tools), false);
    indexes.put(key, built);
    return built;
  }

  private static JsonObject queryDefinition() {
    return new JsonObject()
        .put("name", QUERY)
        .put("title", "Find tools")
        .put("description", "Searches the tools of this portal's servers by what they do and answers the best matches with their full "
            + "definitions (name, description, input schema). Call it before using a tool you have not seen defined.")
        .put("inputSchema", new JsonObject().put("type", "object")
            .put("properties", new JsonObject()
                .put("query", new JsonObject().put("type", "string").put("description", "what the tool should do, in plain words"))
                .put("limit", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", ToolSearch.MAX_LIMIT)
                    .put("default", DEFAULT_LIMIT)))
            .put("required", new JsonArray().add("query")))
        .put("annotations", new JsonObject().put("readOnlyHint", true).put("openWorldHint", false));
  }

  private static JsonObject executeDefinition() {
    return new JsonObject()
        .put("name", EXECUTE)
        .put("title", "Run a tool")
        .put("description", "Calls one of this portal's tools by its full name (as portal_query_tools answers it, e.g. github_list_issues) "
            + "with its arguments, and answers what the tool answers.")
        .put("inputSchema", new JsonObject().put("type", "object")
            .put("properties", new JsonObject()
                .put("name", new JsonObject().put("type", "string").put("description", "the tool's full name"))
                .put("arguments", new JsonObject().put("type", "object").put("description", "the tool's arguments, per its input schema")))
            .put("required", new JsonArray().add("name")));
  }

  private static JsonObject error(String text) {
    return new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text))).put("isError", true);
  }
}
