package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.proxy.stateless.StatelessEndpoint;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A portal's resources: not synced or cached (as Cloudflare's portals do), so {@code resources/list}
 * and {@code resources/templates/list} are asked of every member in parallel, each within
 * {@code timeoutMs}, and merged in member order; a member that fails or is slow is left out
 * (partial results, never a failed list). URIs pass through unchanged — rewriting them would
 * break clients that understand their scheme ({@code file://}, MCP Apps' {@code ui://}) — and a
 * {@code resources/read} goes to the member that listed the URI, remembered per portal and client
 * from the last list (listed again on a miss); when two members list one URI, the first in the
 * portal's order owns it.
 */
public final class PortalResources {
  /** Pages read from one member per list: a bound on what one agent request can make the gateway fetch. */
  static final int MAX_PAGES = 10;

  private final Vertx vertx;
  private final StatelessEndpoint members;
  private final long timeoutMs;
  private final Cache<String, String> owners;

  public PortalResources(Vertx vertx, StatelessEndpoint members, long timeoutMs, Duration remember) {
    this.vertx = vertx;
    this.members = members;
    this.timeoutMs = timeoutMs;
    this.owners = Caffeine.newBuilder().expireAfterWrite(remember).maximumSize(100_000).build();
  }

  /** The merged list ({@code resources} or {@code resourceTemplates}) of every member that answered in time. */
  public Future<JsonObject> list(Portal portal, Agent client, List<PortalMembers.Member> loaded, String method) {
    String field = method.equals(McpProtocol.Methods.RESOURCES_LIST) ? "resources" : "resourceTemplates";
    List<Future<JsonArray>> asks = new ArrayList<>();
    for (PortalMembers.Member member : loaded) asks.add(bounded(pages(member, client, method, field, null, new JsonArray(), 0)));
    return Future.join(asks).otherwiseEmpty().map(v -> {
      JsonArray merged = new JsonArray();
      for (int i = 0; i < loaded.size(); i++) {
        if (asks.get(i).failed()) continue;
        for (Object item : asks.get(i).result()) {
          if (!(item instanceof JsonObject resource)) continue;
          merged.add(resource);
          if (resource.getValue("uri") instanceof String uri) owners.asMap().putIfAbsent(key(portal, client, uri), loaded.get(i).serverId());
        }
      }
      return new JsonObject().put(field, merged);
    });
  }

  /** The member that listed {@code uri} (listing again when it is not remembered), or null. */
  public Future<PortalMembers.Member> owner(Portal portal, Agent client, List<PortalMembers.Member> loaded, String uri) {
    if (uri == null) return Future.succeededFuture(null);
    PortalMembers.Member known = find(loaded, owners.getIfPresent(key(portal, client, uri)));
    if (known != null) return Future.succeededFuture(known);
    return list(portal, client, loaded, McpProtocol.Methods.RESOURCES_LIST).map(v -> find(loaded, owners.getIfPresent(key(portal, client, uri))));
  }

  private Future<JsonArray> pages(PortalMembers.Member member, Agent client, String method, String field, String cursor, JsonArray into,
      int page) {
    JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
    return members.ask(member.capabilities(), client.name(), method, params).compose(result -> {
      if (result.getValue(field) instanceof JsonArray items) into.addAll(items);
      String next = result.getValue("nextCursor") instanceof String c && !c.isEmpty() ? c : null;
      return next == null || page + 1 >= MAX_PAGES ? Future.succeededFuture(into) : pages(member, client, method, field, next, into, page + 1);
    });
  }

  private <T> Future<T> bounded(Future<T> ask) {
    Promise<T> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> answer.tryFail("no answer within " + timeoutMs + " ms"));
    ask.onComplete(r -> {
      vertx.cancelTimer(timer);
      if (r.succeeded()) answer.tryComplete(r.result());
      else answer.tryFail(r.cause());
    });
    return answer.future();
  }

  private static PortalMembers.Member find(List<PortalMembers.Member> loaded, String serverId) {
    if (serverId == null) return null;
    return loaded.stream().filter(m -> m.serverId().equals(serverId)).findFirst().orElse(null);
  }

  private static String key(Portal portal, Agent client, String uri) {
    return portal.accountId() + "/" + portal.id() + "/" + client.name() + "\n" + uri;
  }
}
