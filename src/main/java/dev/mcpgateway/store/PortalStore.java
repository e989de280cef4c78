package dev.mcpgateway.store;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where portals live. Every implementation passes {@code PortalStoreContract}; every method is
 * non-blocking. Opened with the other stores over the same storage ({@link Stores}).
 *
 * <p>Integrity the store itself holds (not the caller): a portal's id is unique in its account
 * ({@link DuplicatePortalException}); its hostname is unique across the gateway, every account
 * ({@link PortalHostnameTakenException}); each member server exists in the portal's account when
 * the portal is written ({@link PortalMemberMissingException}); and a server that portals use
 * cannot be deleted ({@link ServerInUseException} from {@link ServerStore#delete}). Unknown
 * portals fail with {@link PortalNotFoundException}, unreachable storage with
 * {@link StoreUnavailableException}; anything an {@code update} function throws aborts the update
 * unchanged and fails the future with it.
 */
public interface PortalStore {

  Future<Portal> create(Portal portal);

  Future<Portal> get(String accountId, String id);

  /** Atomically replaces a portal with {@code change.apply(current)} (concurrent updates serialised). */
  Future<Portal> update(String accountId, String id, UnaryOperator<Portal> change);

  /** Removes a portal and answers it as it was. */
  Future<Portal> delete(String accountId, String id);

  /** One page of an account's portals, ordered by id, filtered by {@code query.search} over id, name and hostname. */
  Future<PortalPage> list(String accountId, PortalQuery query);

  /** The portal served at {@code hostname} (compared case-insensitively), of any account. */
  Future<Optional<Portal>> byHostname(String hostname);

  /** The ids of the account's portals that have {@code serverId} as a member, ordered by id. */
  Future<List<String>> usingServer(String accountId, String serverId);

  /**
   * Registers a listener told of every created, updated or deleted portal — with PostgreSQL, of
   * changes made by any replica, and {@link PortalKey#EVERYTHING} after a reconnection. Called on
   * a Vert.x context.
   */
  void onChange(Consumer<PortalKey> listener);
}
