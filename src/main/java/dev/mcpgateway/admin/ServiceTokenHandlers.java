package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ApiTokenAuthHandler.account;
import static dev.mcpgateway.admin.ApiTokenAuthHandler.actor;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.model.ServiceToken;
import dev.mcpgateway.store.ServiceTokenStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Cloudflare Access's service token operations under {@code /accounts/{account_id}/access/service_tokens}:
 * list, create (201, with the secret), read, update, delete, rotate (with the new secret) and
 * refresh, each as the server and portal ones: parse, check the {@code servers} extension against
 * the account's servers, write, record the change in the audit trail (after it succeeded; never a
 * secret), answer the envelope. A secret is in exactly two answers, the create's and the rotate's,
 * and nowhere else: not in the store, a log line or the audit trail.
 */
final class ServiceTokenHandlers {
  /** Ids are UUIDs as this gateway writes them; any other path id cannot name a token: 404. */
  static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** A list request: {@code name} exact, {@code search} a lower-cased substring of name or client id; null for all. */
  record Query(int page, int perPage, String name, String search) {
    boolean matches(ServiceToken t) {
      return (name == null || name.equals(t.name()))
          && (search == null || t.name().toLowerCase(Locale.ROOT).contains(search) || t.clientId().contains(search));
    }
  }

  private final ServiceTokenStore store;
  private final PortalMembers servers;
  private final ServiceTokenChanges changes;
  private final AuditTrail audit;

  /** {@code servers}: how the {@code servers} extension's ids are read back from the account (as a portal's members are). */
  ServiceTokenHandlers(ServiceTokenStore store, PortalMembers servers, ServiceTokenChanges changes, AuditTrail audit) {
    this.store = store;
    this.servers = servers;
    this.changes = changes;
    this.audit = audit;
  }

  void list(RoutingContext ctx) {
    Query query = ListParameters.parseServiceTokens(ctx.queryParams(), ServerHandlers.DEFAULT_PER_PAGE, ServerHandlers.MAX_PER_PAGE,
        ServerHandlers.MAX_SEARCH);
    Envelope.respond(ctx, store.list(account(ctx)).map(all -> {
      List<ServiceToken> matching = all.stream().filter(query::matches).toList();
      JsonArray items = new JsonArray();
      matching.stream().skip((long) (query.page() - 1) * query.perPage()).limit(query.perPage())
          .forEach(t -> items.add(ServiceTokenView.toJson(t)));
      return Envelope.page(items, query.page(), query.perPage(), matching.size());
    }));
  }

  void create(RoutingContext ctx) {
    ServiceTokenRequestParser.Parsed parsed = parse(ctx, ServiceTokenRequestParser.Mode.CREATE, null);
    String account = account(ctx);
    Envelope.respond(ctx, 201, checkServers(account, parsed)
        .map(v -> changes.create(account, parsed.fields()))
        .compose(issued -> store.create(issued.token()).map(created -> new ServiceTokenChanges.Issued(created, issued.secret())))
        .compose(issued -> audit.serviceToken(AuditEntry.Action.CREATE, actor(ctx), null, issued.token())
            .map(Envelope.success(ServiceTokenView.withSecret(issued.token(), issued.secret())))));
  }

  void read(RoutingContext ctx) {
    Envelope.respond(ctx, store.get(account(ctx), tokenId(ctx)).map(t -> Envelope.success(ServiceTokenView.toJson(t))));
  }

  void update(RoutingContext ctx) {
    String id = tokenId(ctx);
    ServiceTokenRequestParser.Parsed parsed = parse(ctx, ServiceTokenRequestParser.Mode.UPDATE, id);
    String account = account(ctx);
    AtomicReference<ServiceToken> before = new AtomicReference<>();
    Envelope.respond(ctx, checkServers(account, parsed)
        .compose(v -> store.update(account, id, current -> {
          before.set(current);
          return changes.update(current, parsed.fields());
        }))
        .compose(updated -> audit.serviceToken(AuditEntry.Action.UPDATE, actor(ctx), before.get(), updated)
            .map(Envelope.success(ServiceTokenView.toJson(updated)))));
  }

  void delete(RoutingContext ctx) {
    Envelope.respond(ctx, store.delete(account(ctx), tokenId(ctx))
        .compose(deleted -> audit.serviceToken(AuditEntry.Action.DELETE, actor(ctx), deleted, null)
            .map(Envelope.success(ServiceTokenView.toJson(deleted)))));
  }

  /** A new secret, shown once; the old one is valid until the body's {@code previous_client_secret_expires_at}, else ends now. */
  void rotate(RoutingContext ctx) {
    String id = tokenId(ctx);
    ServiceTokenRequestParser.Parsed parsed = parse(ctx, ServiceTokenRequestParser.Mode.ROTATE, id);
    refuseIf(parsed.errors());
    AtomicReference<ServiceToken> before = new AtomicReference<>();
    AtomicReference<String> secret = new AtomicReference<>();
    Envelope.respond(ctx, store.update(account(ctx), id, current -> {
      before.set(current);
      ServiceTokenChanges.Issued issued = changes.rotate(current, parsed.fields().previousSecretExpiresAt());
      secret.set(issued.secret());
      return issued.token();
    }).compose(rotated -> audit.serviceToken(AuditEntry.Action.ROTATE, actor(ctx), before.get(), rotated)
        .map(Envelope.success(ServiceTokenView.withSecret(rotated, secret.get())))));
  }

  /** {@code expires_at} becomes now + {@code duration}, as Cloudflare's refresh. */
  void refresh(RoutingContext ctx) {
    String id = tokenId(ctx);
    refuseIf(parse(ctx, ServiceTokenRequestParser.Mode.REFRESH, id).errors());
    AtomicReference<ServiceToken> before = new AtomicReference<>();
    Envelope.respond(ctx, store.update(account(ctx), id, current -> {
      before.set(current);
      return changes.refresh(current);
    }).compose(refreshed -> audit.serviceToken(AuditEntry.Action.REFRESH, actor(ctx), before.get(), refreshed)
        .map(Envelope.success(ServiceTokenView.toJson(refreshed)))));
  }

  private static ServiceTokenRequestParser.Parsed parse(RoutingContext ctx, ServiceTokenRequestParser.Mode mode, String id) {
    return ServiceTokenRequestParser.parse(ServiceTokenRequestParser.body(ctx.body().buffer(), mode), mode, id);
  }

  /** The body's problems and, when it names servers, those the account does not have: all refused together. */
  private Future<Void> checkServers(String account, ServiceTokenRequestParser.Parsed parsed) {
    List<String> ids = parsed.fields().servers();
    if (ids == null || ids.stream().allMatch(s -> s == null)) return refused(parsed.errors());
    return servers.read(account, ids.stream().filter(s -> s != null).toList()).compose(found -> {
      List<ApiError> all = new ArrayList<>(parsed.errors());
      for (int i = 0; i < ids.size(); i++) {
        if (ids.get(i) != null && !found.containsKey(ids.get(i))) {
          all.add(ApiError.field(ErrorCode.UNKNOWN_SERVER, "/servers/" + i, "MCP server '" + ids.get(i) + "' not found in this account"));
        }
      }
      return refused(all);
    });
  }

  private static Future<Void> refused(List<ApiError> errors) {
    return errors.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new ApiException(errors));
  }

  private static void refuseIf(List<ApiError> errors) {
    if (!errors.isEmpty()) throw new ApiException(errors);
  }


  private static String tokenId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !ID.matcher(id).matches()) throw new ApiException(ErrorCode.SERVICE_TOKEN_NOT_FOUND);
    return id;
  }

}
