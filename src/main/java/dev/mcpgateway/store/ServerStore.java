package dev.mcpgateway.store;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where registered servers live. Every implementation passes the same contract suite
 * ({@code ServerStoreContract}); every method is non-blocking.
 *
 * <p>Failures: {@link DuplicateServerException} on create of an existing (account, id),
 * {@link ServerNotFoundException} for an unknown one, {@link StoreUnavailableException} when the
 * backing storage cannot be reached; anything an {@code update} function throws aborts that update
 * unchanged and fails the future with it.
 */
public sealed interface ServerStore permits FileServerStore, PgServerStore {

  /** Stores a new server; the write is durable when the future succeeds. */
  Future<McpServer> create(McpServer server);

  Future<McpServer> get(String accountId, String id);

  /**
   * Atomically replaces a server with {@code change.apply(current)}: concurrent updates of one
   * server are serialised, so none loses another's fields.
   */
  Future<McpServer> update(String accountId, String id, UnaryOperator<McpServer> change);

  /** Removes a server and answers it as it was. */
  Future<McpServer> delete(String accountId, String id);

  /** One page of an account's servers, ordered by id, optionally filtered by {@code query.search}. */
  Future<ServerPage> list(String accountId, ServerQuery query);

  /**
   * Appends an entry to its account's audit trail under the next id and answers it with that id;
   * the entry is durable when the future succeeds. The trail is append-only: nothing edits or
   * removes an entry, and deleting a server keeps its entries.
   */
  Future<AuditEntry> appendAudit(AuditEntry entry);

  /**
   * One page of an account's audit trail, newest (largest id) first, optionally only the entries of
   * {@code query.serverId}.
   */
  Future<AuditPage> listAudit(String accountId, AuditQuery query);

  /** A user's own OAuth connection to an on-behalf server, or null when the user has none. */
  Future<dev.mcpgateway.model.UserConnection> userConnection(String accountId, String serverId, String subject);

  /**
   * Atomically replaces a user's connection with {@code change.apply(current)} ({@code current} is
   * null when there is none; a null result removes it) and answers what is stored.
   */
  Future<dev.mcpgateway.model.UserConnection> updateUserConnection(String accountId, String serverId, String subject,
      UnaryOperator<dev.mcpgateway.model.UserConnection> change);

  /** Removes every user connection of a server (it was deleted or moved) and answers them, to revoke their tokens. */
  Future<List<dev.mcpgateway.model.UserConnection>> deleteUserConnections(String accountId, String serverId);

  /** The sync state of every server of every account, for the scheduler. */
  Future<List<SyncState>> syncStates();

  /**
   * Registers a listener told of every created, updated or deleted server — with PostgreSQL, of
   * changes made by any replica (LISTEN/NOTIFY), and {@link ServerKey#EVERYTHING} after a
   * reconnection, when notifications may have been missed. Called on a Vert.x context.
   */
  void onChange(Consumer<ServerKey> listener);

  /** Succeeds when the store can serve requests (readiness). */
  Future<Void> ping();

  Future<Void> close();
}
