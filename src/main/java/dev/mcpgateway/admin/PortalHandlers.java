package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ApiTokenAuthHandler.account;
import static dev.mcpgateway.admin.ApiTokenAuthHandler.actor;

import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.metrics.ContextCosts;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.store.PortalQuery;
import dev.mcpgateway.store.PortalStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The five portal operations of the management API, as the server ones: parse, check the members
 * against the server store, write, record the change in the audit trail (after it succeeded, so a
 * refused request records nothing), answer the envelope with the portal and its members as they
 * are now. Create answers 201, as Cloudflare's API does; delete answers the portal without
 * {@code servers}.
 */
final class PortalHandlers {
  private final PortalStore store;
  private final PortalMembers members;
  private final PortalRequestParser parser;
  private final PortalChanges changes;
  private final AuditTrail audit;
  private final ContextCosts contextCosts;

  PortalHandlers(PortalStore store, PortalMembers members, PortalRequestParser parser, PortalChanges changes, AuditTrail audit,
      ContextCosts contextCosts) {
    this.contextCosts = contextCosts;
    this.store = store;
    this.members = members;
    this.parser = parser;
    this.changes = changes;
    this.audit = audit;
  }

  /** One page, each portal with its members (every member of the page read once). */
  void list(RoutingContext ctx) {
    PortalQuery query = ListParameters.parsePortals(ctx.queryParams(), ServerHandlers.DEFAULT_PER_PAGE, ServerHandlers.MAX_PER_PAGE,
        ServerHandlers.MAX_SEARCH);
    String account = account(ctx);
    Envelope.respond(ctx, store.list(account, query).compose(page -> {
      List<String> ids = page.items().stream().flatMap(p -> p.servers().stream()).map(PortalServer::serverId).toList();
      List<Future<Map<String, ContextCost>>> costs = page.items().stream().map(this::costs).toList();
      return Future.all(members.read(account, ids), Future.all(costs)).map(all -> {
        Map<String, McpServer> servers = all.resultAt(0);
        JsonArray items = new JsonArray();
        for (int i = 0; i < page.items().size(); i++) items.add(PortalJson.toJson(page.items().get(i), servers, costs.get(i).result()));
        return Envelope.page(items, query.page(), query.perPage(), page.totalCount());
      });
    }));
  }

  void create(RoutingContext ctx) {
    PortalRequestParser.Parsed parsed = parser.parse(ServerRequestParser.object(ctx.body().buffer()), PortalRequestParser.Mode.CREATE, null);
    String account = account(ctx);
    String actor = actor(ctx);
    Envelope.respond(ctx, 201, members.check(account, parsed.fields().servers(), parsed.errors())
        .compose(v -> store.create(changes.create(account, parsed.fields(), actor)))
        .compose(created -> audit.portalCreated(actor, created).map(created))
        .compose(this::render));
  }

  void read(RoutingContext ctx) {
    Envelope.respond(ctx, store.get(account(ctx), portalId(ctx)).compose(this::render));
  }

  void update(RoutingContext ctx) {
    String id = portalId(ctx);
    PortalRequestParser.Parsed parsed = parser.parse(ServerRequestParser.object(ctx.body().buffer()), PortalRequestParser.Mode.UPDATE, id);
    String account = account(ctx);
    String actor = actor(ctx);
    AtomicReference<Portal> before = new AtomicReference<>();
    Envelope.respond(ctx, members.check(account, parsed.fields().servers(), parsed.errors())
        .compose(v -> store.update(account, id, current -> {
          before.set(current);
          return changes.update(current, parsed.fields(), actor);
        }))
        .compose(updated -> audit.portalUpdated(actor, before.get(), updated).map(updated))
        .compose(this::render));
  }

  void delete(RoutingContext ctx) {
    String actor = actor(ctx);
    Envelope.respond(ctx, store.delete(account(ctx), portalId(ctx))
        .compose(deleted -> audit.portalDeleted(actor, deleted).map(deleted))
        .map(p -> Envelope.success(PortalJson.withoutServers(p))));
  }

  private Future<JsonObject> render(Portal portal) {
    Future<Map<String, McpServer>> servers = members.read(portal.accountId(), portal.servers().stream().map(PortalServer::serverId).toList());
    Future<Map<String, ContextCost>> costs = costs(portal);
    return Future.all(servers, costs).map(all -> Envelope.success(PortalJson.toJson(portal, servers.result(), costs.result())));
  }

  /** What the portal's lists cost an agent, by mode (counted once per change, off the event loop); null when that fails. */
  private Future<Map<String, ContextCost>> costs(Portal portal) {
    return contextCosts.portal(portal).otherwise((Map<String, ContextCost>) null);
  }


  /** A path id that could never have been created cannot name a portal: 404, as for any unknown id. */
  private static String portalId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || id.isEmpty() || id.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(id).matches()) {
      throw new ApiException(ErrorCode.PORTAL_NOT_FOUND);
    }
    return id;
  }

}
