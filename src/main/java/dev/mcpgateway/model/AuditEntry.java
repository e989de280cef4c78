package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One change made through the management API, as the audit trail keeps it: a change to a server
 * ({@code serverId}), to a portal ({@code portalId}), to a service token ({@code serviceTokenId}) or
 * to an access policy ({@code policyId}); at least one is set. {@code before} and {@code after} are
 * the server, portal, token or policy as the API showed it (never credentials nor secrets: a change of them is only marked), null where there was
 * none (before a create, after a delete).
 *
 * <p>{@code id} is assigned by the store when the entry is appended (null until then); a later
 * entry of an account has a larger id, so ids order the trail.
 */
public record AuditEntry(
    Long id,
    String accountId,
    String serverId,
    String portalId,
    String serviceTokenId,
    String policyId,
    Action action,
    String actor,
    Instant at,
    JsonObject before,
    JsonObject after) {

  /** What was done: servers are synced; a service token's secret is rotated and its expiry refreshed. */
  public enum Action {
    CREATE, UPDATE, DELETE, SYNC, ROTATE, REFRESH;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> fromWire(String value) {
      for (Action action : values()) {
        if (action.wire().equals(value)) return Optional.of(action);
      }
      return Optional.empty();
    }
  }

  public AuditEntry {
    Objects.requireNonNull(accountId, "accountId");
    if (serverId == null && portalId == null && serviceTokenId == null && policyId == null) {
      throw new NullPointerException(
          "serverId, portalId, serviceTokenId and policyId: an entry is about a server, a portal, a service token or an access policy");
    }
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
  }

  /** An entry about a server. */
  public AuditEntry(Long id, String accountId, String serverId, Action action, String actor, Instant at, JsonObject before,
      JsonObject after) {
    this(id, accountId, serverId, null, null, null, action, actor, at, before, after);
  }

  /** An entry about a portal. */
  public static AuditEntry ofPortal(String accountId, String portalId, Action action, String actor, Instant at, JsonObject before,
      JsonObject after) {
    return new AuditEntry(null, accountId, null, Objects.requireNonNull(portalId, "portalId"), null, null, action, actor, at, before, after);
  }

  /** An entry about a service token. */
  public static AuditEntry ofServiceToken(String accountId, String serviceTokenId, Action action, String actor, Instant at,
      JsonObject before, JsonObject after) {
    return new AuditEntry(null, accountId, null, null, Objects.requireNonNull(serviceTokenId, "serviceTokenId"), null, action, actor, at,
        before, after);
  }

  /** An entry about an access policy. */
  public static AuditEntry ofPolicy(String accountId, String policyId, Action action, String actor, Instant at, JsonObject before,
      JsonObject after) {
    return new AuditEntry(null, accountId, null, null, null, Objects.requireNonNull(policyId, "policyId"), action, actor, at, before, after);
  }

  /** The same entry as stored under {@code id}. */
  public AuditEntry withId(long id) {
    return new AuditEntry(id, accountId, serverId, portalId, serviceTokenId, policyId, action, actor, at, before, after);
  }
}
