package dev.mcpgateway.store;

/**
 * A request for an account's audit trail: 1-based {@code page} of {@code perPage} entries, newest
 * first, optionally only those of one server ({@code serverId}), one portal ({@code portalId}),
 * one service token ({@code serviceTokenId}), one access policy ({@code policyId}) and/or by one
 * actor ({@code actor}: the API token's name or the user who made the change), exact; null for all.
 */
public record AuditQuery(int page, int perPage, String serverId, String portalId, String serviceTokenId, String policyId, String actor) {

  public AuditQuery {
    if (page < 1) throw new IllegalArgumentException("page must be >= 1");
    if (perPage < 1) throw new IllegalArgumentException("perPage must be >= 1");
    serverId = serverId == null || serverId.isEmpty() ? null : serverId;
    portalId = portalId == null || portalId.isEmpty() ? null : portalId;
    serviceTokenId = serviceTokenId == null || serviceTokenId.isEmpty() ? null : serviceTokenId;
    policyId = policyId == null || policyId.isEmpty() ? null : policyId;
    actor = actor == null || actor.isEmpty() ? null : actor;
  }

  /** Optionally filtered by server, portal, service token and access policy. */
  public AuditQuery(int page, int perPage, String serverId, String portalId, String serviceTokenId, String policyId) {
    this(page, perPage, serverId, portalId, serviceTokenId, policyId, null);
  }

  /** Optionally filtered by server, portal and service token. */
  public AuditQuery(int page, int perPage, String serverId, String portalId, String serviceTokenId) {
    this(page, perPage, serverId, portalId, serviceTokenId, null, null);
  }

  /** Optionally filtered by server and portal. */
  public AuditQuery(int page, int perPage, String serverId, String portalId) {
    this(page, perPage, serverId, portalId, null, null, null);
  }

  /** Optionally filtered by server only. */
  public AuditQuery(int page, int perPage, String serverId) {
    this(page, perPage, serverId, null, null, null, null);
  }

  public long offset() {
    return (long) (page - 1) * perPage;
  }

  public boolean matches(String entryServerId, String entryPortalId, String entryServiceTokenId, String entryPolicyId, String entryActor) {
    return (serverId == null || serverId.equals(entryServerId)) && (portalId == null || portalId.equals(entryPortalId))
        && (serviceTokenId == null || serviceTokenId.equals(entryServiceTokenId))
        && (policyId == null || policyId.equals(entryPolicyId)) && (actor == null || actor.equals(entryActor));
  }
}
