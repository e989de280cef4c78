package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ApiTokenAuthHandler.account;
import static dev.mcpgateway.admin.ApiTokenAuthHandler.actor;

import dev.mcpgateway.policy.AccessPolicy;
import dev.mcpgateway.policy.PolicyEvaluator;
import dev.mcpgateway.policy.Verdict;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.store.PolicyStore;
import dev.mcpgateway.store.PortalStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Access policies of the management API, at Cloudflare's reusable-policies path
 * {@code /accounts/{account_id}/access/policies}: list, create (201, a generated id), read, PUT
 * (replaces the policy whole), delete, and {@code explain} — "may this user (e-mail, groups) or
 * service token use this server or portal, and which policy decided" — evaluated exactly as the
 * MCP endpoints evaluate it ({@link PolicyEvaluator}). Changes join the account's audit trail once
 * they succeeded ({@link AuditTrail}: before and after as the API shows the policy, best effort) and
 * are logged at INFO (account, policy, actor).
 */
final class PolicyHandlers {
  static final int MAX_POLICIES = 200;
  private static final System.Logger LOG = System.getLogger(PolicyHandlers.class.getName());
  static final Pattern POLICY_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final PolicyStore store;
  private final PortalStore portals;
  private final PolicyRequestParser parser;
  private final Clock clock;
  private final AuditTrail audit;

  PolicyHandlers(PolicyStore store, PortalStore portals, PolicyRequestParser parser, Clock clock, AuditTrail audit) {
    this.store = store;
    this.portals = portals;
    this.parser = parser;
    this.clock = clock;
    this.audit = audit;
  }

  void list(RoutingContext ctx) {
    Envelope.respond(ctx, store.list(account(ctx)).map(policies -> {
      JsonArray items = new JsonArray();
      policies.forEach(p -> items.add(view(p)));
      return Envelope.page(items, 1, Math.max(1, items.size()), items.size());
    }));
  }

  void create(RoutingContext ctx) {
    PolicyRequestParser.Fields fields = valid(ctx);
    String account = account(ctx);
    Instant now = now();
    AccessPolicy policy = new AccessPolicy(account, UUID.randomUUID().toString(), fields.name(), fields.decision(), fields.include(),
        fields.require(), fields.exclude(), fields.servers(), fields.portals(), now, now);
    Envelope.respond(ctx, 201, store.list(account).compose(existing -> existing.size() >= MAX_POLICIES
            ? Future.failedFuture(new ApiException(new ApiError(ErrorCode.INVALID_VALUE, "an account holds at most " + MAX_POLICIES
                + " access policies", null)))
            : store.create(policy))
        .onSuccess(created -> logChange("created", created, actor(ctx)))
        .compose(created -> audit.policyCreated(actor(ctx), created).map(Envelope.success(view(created)))));
  }

  void read(RoutingContext ctx) {
    Envelope.respond(ctx, store.get(account(ctx), policyId(ctx)).map(p -> Envelope.success(view(p))));
  }

  void update(RoutingContext ctx) {
    String id = policyId(ctx);
    PolicyRequestParser.Fields fields = valid(ctx);
    Instant now = now();
    AtomicReference<AccessPolicy> before = new AtomicReference<>();
    Envelope.respond(ctx, store.update(account(ctx), id, current -> {
          before.set(current);
          return new AccessPolicy(current.accountId(), current.id(), fields.name(), fields.decision(), fields.include(), fields.require(),
              fields.exclude(), fields.servers(), fields.portals(), current.createdAt(), now);
        })
        .onSuccess(updated -> logChange("updated", updated, actor(ctx)))
        .compose(updated -> audit.policyUpdated(actor(ctx), before.get(), updated).map(Envelope.success(view(updated)))));
  }

  void delete(RoutingContext ctx) {
    Envelope.respond(ctx, store.delete(account(ctx), policyId(ctx))
        .onSuccess(deleted -> logChange("deleted", deleted, actor(ctx)))
        .compose(deleted -> audit.policyDeleted(actor(ctx), deleted).map(Envelope.success(new JsonObject().put("id", deleted.id())))));
  }

  /**
   * {@code GET .../policies/explain?email=&groups=a,b | service_token_id=} with {@code server_id=} or
   * {@code portal_id=}: the verdict, every policy's part, and for a portal each member's verdict
   * (an agent sees a member only when both the portal and the server allow it).
   */
  void explain(RoutingContext ctx) {
    MultiMap query = ctx.queryParams();
    List<ApiError> errors = new ArrayList<>();
    String email = param(query, "email", errors);
    String groups = param(query, "groups", errors);
    String tokenId = param(query, "service_token_id", errors);
    String serverId = param(query, "server_id", errors);
    String portalId = param(query, "portal_id", errors);
    if ((email == null && groups == null) == (tokenId == null)) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "name a user (email, and groups if any) or a service token (service_token_id)", null));
    }
    if ((serverId == null) == (portalId == null)) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "name one server (server_id) or one portal (portal_id)", null));
    }
    if (!errors.isEmpty()) throw new ApiException(errors);
    String account = account(ctx);
    Set<String> groupSet = new LinkedHashSet<>();
    if (groups != null) for (String g : groups.split(",")) if (!g.isBlank()) groupSet.add(g.trim());
    Agent agent = tokenId != null
        ? new Agent(Agent.SERVICE_TOKEN_PREFIX + tokenId, Agent.Kind.SERVICE_TOKEN, null, Set.of(), Set.of(account), Agent.EVERY_SERVER)
        : new Agent(Agent.USER_PREFIX + "explain", Agent.Kind.USER, email, groupSet, Set.of(account), Agent.EVERY_SERVER);
    Envelope.respond(ctx, store.list(account).compose(policies -> {
      if (serverId != null) {
        return Future.succeededFuture(Envelope.success(PolicyEvaluator.decide(policies, agent, PolicyEvaluator.TargetKind.SERVER, serverId).toJson()));
      }
      return portals.get(account, portalId).map(portal -> {
        Verdict verdict = PolicyEvaluator.decide(policies, agent, PolicyEvaluator.TargetKind.PORTAL, portalId);
        JsonArray members = new JsonArray();
        portal.servers().forEach(member -> {
          Verdict server = PolicyEvaluator.decide(policies, agent, PolicyEvaluator.TargetKind.SERVER, member.serverId());
          members.add(new JsonObject().put("server_id", member.serverId()).put("allowed", verdict.allowed() && server.allowed())
              .put("reason", verdict.allowed() ? server.reason() : verdict.reason()));
        });
        return Envelope.success(verdict.toJson().put("members", members));
      });
    }));
  }

  private PolicyRequestParser.Fields valid(RoutingContext ctx) {
    PolicyRequestParser.Parsed parsed = parser.parse(ServerRequestParser.object(ctx.body().buffer()));
    if (!parsed.errors().isEmpty()) throw new ApiException(parsed.errors());
    return parsed.fields();
  }

  /** The policy as the API shows it (and the audit trail keeps it): no account id, {@code reusable} true. */
  static JsonObject view(AccessPolicy policy) {
    JsonObject json = policy.toJson();
    json.remove("account_id");
    return json.put("reusable", true);
  }

  private static String param(MultiMap query, String name, List<ApiError> errors) {
    List<String> values = query.getAll(name);
    if (values.isEmpty()) return null;
    String value = values.get(0);
    if (values.size() > 1 || value.isEmpty() || value.length() > PolicyRequestParser.VALUE_MAX * 4) {
      errors.add(new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, name + ": give it once, 1 to " + PolicyRequestParser.VALUE_MAX * 4
          + " characters", null));
      return null;
    }
    return value;
  }

  private void logChange(String what, AccessPolicy policy, String actor) {
    LOG.log(System.Logger.Level.INFO, "access policy " + what + ": " + policy.accountId() + "/" + policy.id() + " ('" + policy.name()
        + "', " + policy.decision().wire() + ") by " + actor);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }


  /** An id that could never have been generated names no policy: 404, as for any unknown id. */
  private static String policyId(RoutingContext ctx) {
    String id = ctx.pathParam("policy_id");
    if (id == null || !POLICY_ID.matcher(id).matches()) throw new ApiException(ErrorCode.POLICY_NOT_FOUND);
    return id;
  }

}
