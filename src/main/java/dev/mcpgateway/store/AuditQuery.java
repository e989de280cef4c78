package dev.mcpgateway.store;

/**
 * A request for an account's audit trail: 1-based {@code page} of {@code perPage} entries, newest
 * first, optionally only those of one server ({@code serverId}) and/or one portal
 * ({@code portalId}), exact; null for all.
 */
public record AuditQuery(int page, int perPage, String serverId, String portalId) {

  public AuditQuery {
    if (page < 1) throw new IllegalArgumentException("page must be >= 1");
    if (perPage < 1) throw new IllegalArgumentException("perPage must be >= 1");
    serverId = serverId == null || serverId.isEmpty() ? null : serverId;
    portalId = portalId == null || portalId.isEmpty() ? null : portalId;
  }

  /** Optionally filtered by server only. */
  public AuditQuery(int page, int perPage, String serverId) {
    this(page, perPage, serverId, null);
  }

  public long offset() {
    return (long) (page - 1) * perPage;
  }

  public boolean matches(String entryServerId, String entryPortalId) {
    return (serverId == null || serverId.equals(entryServerId)) && (portalId == null || portalId.equals(entryPortalId));
  }
}
