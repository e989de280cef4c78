package dev.mcpgateway.admin;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.ServiceToken;
import dev.mcpgateway.policy.AccessPolicy;
import dev.mcpgateway.store.AuditLog;
import dev.mcpgateway.sync.HeldBack;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Records every change made through the management API in the store's audit trail: who (the API
 * token's name), when (the injected clock), and the server before and after as the API shows it
 * ({@link ServerView}: never credentials), or the portal ({@link PortalJson#audit}: its fields and
 * its members' mappings), the service token ({@link ServiceTokenView}) or the access policy
 * ({@link PolicyHandlers#view}). A credentials change is visible only as
 * {@code "auth_credentials": "[redacted: changed]"} in {@code after}. A sync records just the sync
 * state ({@link #SYNC_FIELDS}) before and after, not the fetched lists, plus the names of the items
 * the sync holds back from agents ({@code held_back}, when any).
 *
 * <p>Best effort by design: an entry is appended only once its change is durable, and a failure to
 * append is logged at WARNING instead of failing the request. The change cannot be undone by then,
 * so an error answer would be a lie the client acts on (retrying a create that happened answers
 * 409, a retried delete 404); the log line keeps the missing entry visible to operators.
 */
final class AuditTrail {
  private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
  static final String CREDENTIALS_CHANGED = "[redacted: changed]";
  /** What a sync entry's before and after hold: the sync state, as a sync's answer and the server show it. */
  static final List<String> SYNC_FIELDS = List.of("status", "error", "error_details", "last_synced", "last_successful_sync", "held_back");

  private final AuditLog audit;
  private final Clock clock;

  AuditTrail(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  Future<Void> created(String actor, McpServer after) {
    return record(after, AuditEntry.Action.CREATE, actor, null, changed(null, after));
  }

  Future<Void> updated(String actor, McpServer before, McpServer after) {
    return record(after, AuditEntry.Action.UPDATE, actor, ServerView.toJson(before), changed(before, after));
  }

  Future<Void> deleted(String actor, McpServer before) {
    return record(before, AuditEntry.Action.DELETE, actor, ServerView.toJson(before), null);
  }

  Future<Void> synced(String actor, McpServer before, McpServer after) {
    return record(after, AuditEntry.Action.SYNC, actor, syncState(before), syncState(after));
  }

  /** {@code after} as the API shows it, marked when its credentials differ from {@code before}'s (set, replaced or dropped). */
  private static JsonObject changed(McpServer before, McpServer after) {
    JsonObject view = ServerView.toJson(after);
    if (!Objects.equals(before == null ? null : before.credentials(), after.credentials())) {
      view.put("auth_credentials", CREDENTIALS_CHANGED);
    }
    return view;
  }

  private static JsonObject syncState(McpServer server) {
    JsonObject view = ServerView.toJson(server);
    JsonObject state = new JsonObject();
    SYNC_FIELDS.forEach(field -> {
      if (view.containsKey(field)) state.put(field, view.getValue(field));
    });
    // held_back is no field of the server: what the sync holds back from agents, by name only
    List<String> held = HeldBack.of(server).names();
    if (!held.isEmpty()) state.put("held_back", new io.vertx.core.json.JsonArray(held));
    return state;
  }

  Future<Void> portalCreated(String actor, Portal after) {
    return append(AuditEntry.ofPortal(after.accountId(), after.id(), AuditEntry.Action.CREATE, actor, now(), null, PortalJson.audit(after)),
        "portal");
  }

  Future<Void> portalUpdated(String actor, Portal before, Portal after) {
    return append(AuditEntry.ofPortal(after.accountId(), after.id(), AuditEntry.Action.UPDATE, actor, now(), PortalJson.audit(before),
        PortalJson.audit(after)), "portal");
  }

  Future<Void> portalDeleted(String actor, Portal before) {
    return append(AuditEntry.ofPortal(before.accountId(), before.id(), AuditEntry.Action.DELETE, actor, now(), PortalJson.audit(before),
        null), "portal");
  }

  /**
   * A change of a service token: the token as the API shows it before and after (never a secret);
   * a create and a rotation mark the new secret as {@code "client_secret": "[redacted: changed]"}.
   */
  Future<Void> serviceToken(AuditEntry.Action action, String actor, ServiceToken before, ServiceToken after) {
    ServiceToken subject = after != null ? after : before;
    JsonObject afterView = after == null ? null : ServiceTokenView.toJson(after);
    if (action == AuditEntry.Action.CREATE || action == AuditEntry.Action.ROTATE) afterView.put("client_secret", CREDENTIALS_CHANGED);
    return append(AuditEntry.ofServiceToken(subject.accountId(), subject.id(), action, actor, now(),
        before == null ? null : ServiceTokenView.toJson(before), afterView), "service token");
  }

  /** A created access policy: {@code after} as the API shows it. */
  Future<Void> policyCreated(String actor, AccessPolicy after) {
    return policy(AuditEntry.Action.CREATE, actor, null, after);
  }

  /** A replaced access policy: before and after as the API shows them. */
  Future<Void> policyUpdated(String actor, AccessPolicy before, AccessPolicy after) {
    return policy(AuditEntry.Action.UPDATE, actor, before, after);
  }

  /** A deleted access policy: {@code before} as the API showed it. */
  Future<Void> policyDeleted(String actor, AccessPolicy before) {
    return policy(AuditEntry.Action.DELETE, actor, before, null);
  }

  private Future<Void> policy(AuditEntry.Action action, String actor, AccessPolicy before, AccessPolicy after) {
    AccessPolicy subject = after != null ? after : before;
    return append(AuditEntry.ofPolicy(subject.accountId(), subject.id(), action, actor, now(),
        before == null ? null : PolicyHandlers.view(before), after == null ? null : PolicyHandlers.view(after)), "access policy");
  }

  private Future<Void> record(McpServer server, AuditEntry.Action action, String actor, JsonObject before, JsonObject after) {
    return append(new AuditEntry(null, server.accountId(), server.id(), action, actor, now(), before, after), "server");
  }

  private Future<Void> append(AuditEntry entry, String what) {
    return audit.append(entry).<Void>mapEmpty().recover(e -> {
      // the entry holds no secret, but only its identity is logged; store failures carry our own messages
      String id = entry.serverId() != null ? entry.serverId()
          : entry.portalId() != null ? entry.portalId()
          : entry.serviceTokenId() != null ? entry.serviceTokenId() : entry.policyId();
      LOG.log(System.Logger.Level.WARNING, "audit entry not recorded for " + entry.action().wire() + " of " + what + " "
          + entry.accountId() + "/" + id + " by " + entry.actor() + " (the change itself succeeded): " + e.getClass().getSimpleName()
          + ": " + e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
