package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ApiTokenAuthHandler.account;
import static dev.mcpgateway.admin.ApiTokenAuthHandler.actor;

import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.metrics.ContextCosts;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.store.ServerQuery;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.sync.CapabilitySync;
import dev.mcpgateway.sync.SyncReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The five server operations of the management API: parse, call the store, record the change in the
 * audit trail (after it succeeded, so a refused request records nothing), answer the envelope.
 */
final class ServerHandlers {
  static final int DEFAULT_PER_PAGE = 25;
  static final int MAX_PER_PAGE = 100;
  static final int MAX_SEARCH = 350;
  /** Code of a {@code messages} entry: an override names a tool or prompt the upstream no longer has. */
  static final int STALE_OVERRIDE = 3001;

  private final ServerStore store;
  private final ServerRequestParser parser;
  private final ServerChanges changes;
  private final CapabilitySync sync;
  private final boolean syncOnCreate;
  private final AuditTrail audit;
  private final java.util.function.Consumer<McpServer> forgetOAuth;
  private final ContextCosts contextCosts;

  /** {@code forgetOAuth}: told about every stored server whose OAuth connection a change dropped (to revoke its tokens). */
  ServerHandlers(ServerStore store, ServerRequestParser parser, ServerChanges changes, CapabilitySync sync,
      boolean syncOnCreate, AuditTrail audit, java.util.function.Consumer<McpServer> forgetOAuth, ContextCosts contextCosts) {
    this.forgetOAuth = forgetOAuth;
    this.contextCosts = contextCosts;
    this.store = store;
    this.audit = audit;
    this.parser = parser;
    this.changes = changes;
    this.sync = sync;
    this.syncOnCreate = syncOnCreate;
  }

  void list(RoutingContext ctx) {
    ServerQuery query = ListParameters.parse(ctx.queryParams(), DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_SEARCH);
    Envelope.respond(ctx, store.list(account(ctx), query).compose(page -> {
      List<Future<JsonObject>> views = page.items().stream().map(this::view).toList();
      return Future.all(views).map(all -> {
        JsonArray items = new JsonArray();
        views.forEach(v -> items.add(v.result()));
        return Envelope.page(items, query.page(), query.perPage(), page.totalCount());
      });
    }));
  }

  void create(RoutingContext ctx) {
    ServerFields fields = parser.parse(ServerRequestParser.object(ctx.body().buffer()), ServerRequestParser.Mode.CREATE, null);
    String actor = actor(ctx);
    McpServer server = changes.create(account(ctx), fields, actor);
    Envelope.respond(ctx, store.create(server)
        .onSuccess(created -> {
          // in the background: the response shows the server as created, status "waiting"
          if (syncOnCreate) sync.sync(created.accountId(), created.id());
        })
        .compose(created -> audit.created(actor, created).map(created))
        .compose(this::view).map(Envelope::success));
  }

  /**
   * Syncs now and answers {@code {status, error, error_details}}; a failed sync is still a 200 (the
   * failure is the result). Overrides that match nothing upstream are reported in {@code messages}.
   */
  void sync(RoutingContext ctx) {
    String account = account(ctx);
    String id = serverId(ctx);
    String actor = actor(ctx);
    // read first for the audit trail's "before" (an unknown server is 404 before any upstream work, as it was)
    Future<SyncReport> synced = store.get(account, id).compose(before -> sync.sync(account, id)
        .compose(report -> audit.synced(actor, before, report.server()).map(report)));
    Envelope.respond(ctx, synced.map(report -> {
      McpServer s = report.server();
      JsonObject result = new JsonObject().put("status", s.status().wire());
      if (s.error() != null) result.put("error", s.error());
      if (s.errorDetails() != null) result.put("error_details", s.errorDetails().toJson());
      JsonObject envelope = Envelope.success(result);
      report.warnings().forEach(w -> envelope.getJsonArray("messages").add(new JsonObject().put("code", STALE_OVERRIDE).put("message", w)));
      return envelope;
    }));
  }

  void read(RoutingContext ctx) {
    Envelope.respond(ctx, store.get(account(ctx), serverId(ctx)).compose(this::view).map(Envelope::success));
  }

  void update(RoutingContext ctx) {
    String id = serverId(ctx);
    ServerFields fields = parser.parse(ServerRequestParser.object(ctx.body().buffer()), ServerRequestParser.Mode.UPDATE, id);
    String actor = actor(ctx);
    AtomicReference<McpServer> before = new AtomicReference<>();
    Envelope.respond(ctx, store.update(account(ctx), id, current -> {
          before.set(current);
          return changes.update(current, fields, actor);
        })
        .onSuccess(updated -> {
          if (before.get().oauth() != null && updated.oauth() == null) forgetOAuth.accept(before.get());
        })
        .compose(updated -> audit.updated(actor, before.get(), updated).map(updated))
        .compose(this::view).map(Envelope::success));
  }

  void delete(RoutingContext ctx) {
    String actor = actor(ctx);
    Envelope.respond(ctx, store.delete(account(ctx), serverId(ctx))
        .onSuccess(deleted -> {
          if (deleted.oauth() != null) forgetOAuth.accept(deleted);
        })
        .compose(deleted -> audit.deleted(actor, deleted).map(deleted))
        .map(s -> Envelope.success(ServerView.toJson(s))));
  }

  /**
   * The server as the API shows it, with what its own endpoint's lists cost an agent (once it has
   * synced; counted once per change, off the event loop). A count that fails leaves the fields out
   * rather than the answer.
   */
  private Future<JsonObject> view(McpServer server) {
    return contextCosts.server(server).otherwise((ContextCost) null).map(cost -> ServerView.toJson(server, cost));
  }


  /** A path id that could never have been created cannot name a server: 404, as for any unknown id. */
  private static String serverId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || id.isEmpty() || id.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(id).matches()) {
      throw new ApiException(ErrorCode.SERVER_NOT_FOUND);
    }
    return id;
  }

}
