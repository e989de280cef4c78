package dev.mcpgateway.store;

import dev.mcpgateway.model.UserConnection;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The users' own OAuth connections to on-behalf servers, one per (account, server, user). Every
 * implementation passes the same contract suite ({@code UserConnectionsContract}); every method is
 * non-blocking; a failure of the backing storage is a {@link StoreUnavailableException}, and
 * anything an {@code update} function throws aborts that update unchanged and fails the future
 * with it.
 */
public sealed interface UserConnections permits FileUserConnections, PgUserConnections {

  /** A user's own connection to a server, or null when the user has none. */
  Future<UserConnection> get(String accountId, String serverId, String subject);

  /**
   * Atomically replaces a user's connection with {@code change.apply(current)} ({@code current} is
   * null when there is none; a null result removes it) and answers what is stored. Concurrent
   * updates of one connection, even of one that does not exist yet, are serialised.
   */
  Future<UserConnection> update(String accountId, String serverId, String subject, UnaryOperator<UserConnection> change);

  /** Removes every user connection of a server (it was deleted or moved) and answers them, to revoke their tokens. */
  Future<List<UserConnection>> deleteAll(String accountId, String serverId);
}
