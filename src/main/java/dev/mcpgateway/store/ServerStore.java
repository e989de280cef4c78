package dev.mcpgateway.store;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where registered servers live, with the feed of their changes. Every implementation passes the
 * same contract suite ({@code ServerStoreContract}); every method is non-blocking. Opened, with the
 * {@link PortalStore}, {@link AuditLog} and {@link UserConnections} that share its storage, as part
 * of {@link Stores}.
 *
 * <p>Failures: {@link DuplicateServerException} on create of an existing (account, id),
 * {@link ServerNotFoundException} for an unknown one, {@link ServerInUseException} on delete of a
 * server that portals use, {@link StoreUnavailableException} when the backing storage cannot be
 * reached; anything an {@code update} function throws aborts that update unchanged and fails the
 * future with it.
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

  /**
   * Removes a server and answers it as it was; refused with {@link ServerInUseException} (naming
   * them) while portals of its account have it as a member.
   */
  Future<McpServer> delete(String accountId, String id);

  /** One page of an account's servers, ordered by id, optionally filtered by {@code query.search}. */
  Future<ServerPage> list(String accountId, ServerQuery query);

  /** The sync state of every server of every account, for the scheduler. */
  Future<List<SyncState>> syncStates();

  /**
   * Registers a listener told of every created, updated or deleted server — with PostgreSQL, of
   * changes made by any replica (LISTEN/NOTIFY, {@link PgChangeFeed}), and
   * {@link ServerKey#EVERYTHING} after a reconnection, when notifications may have been missed.
   * Called on a Vert.x context.
   */
  void onChange(Consumer<ServerKey> listener);

  /** Succeeds when the storage can serve requests (readiness); fails once {@link Stores#close()} ran. */
  Future<Void> ping();
}
