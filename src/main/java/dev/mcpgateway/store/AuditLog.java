package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.Future;

/**
 * Each account's audit trail of changes to its servers and portals. Append-only: nothing edits or
 * removes an entry, and deleting a server or portal keeps its entries. Every implementation passes the same contract
 * suite ({@code AuditLogContract}); every method is non-blocking; a failure of the backing storage
 * is a {@link StoreUnavailableException}.
 */
public sealed interface AuditLog permits FileAuditLog, PgAuditLog {

  /**
   * Appends an entry to its account's trail under the next id and answers it with that id; the
   * entry is durable when the future succeeds. Ids increase within an account.
   */
  Future<AuditEntry> append(AuditEntry entry);

  /**
   * One page of an account's trail, newest (largest id) first, optionally only the entries of
   * {@code query.serverId} and/or {@code query.portalId}.
   */
  Future<AuditPage> list(String accountId, AuditQuery query);
}
