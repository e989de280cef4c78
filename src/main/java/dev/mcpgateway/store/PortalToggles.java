package dev.mcpgateway.store;

import dev.mcpgateway.model.ToggleKey;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The portal members each agent switched off for itself ({@code portal_toggle_single_server}, the
 * switches page): per (account, portal, holder), the set of server ids that are off. Every member
 * is on unless its id is in the set, so switching one back on removes it, and a holder with
 * nothing off has no entry. Every implementation passes {@code PortalTogglesContract}; every method
 * is non-blocking. Opened with the other stores over the same storage ({@link Stores}).
 *
 * <p>An entry expires at the time its writer gives ({@code expiresAt}; null: never): it is then
 * read as empty and removed by {@link #purgeExpired}. An entry belongs to its portal: switching for
 * a portal that does not exist fails with {@link PortalNotFoundException}, and deleting a portal
 * removes its entries. Whether a server id is a member is the caller's to check (membership
 * changes; an entry for a server that left the portal is harmless). Unreachable storage fails with
 * {@link StoreUnavailableException}.
 */
public interface PortalToggles {

  /** The servers switched off for {@code holder} on the portal, as of {@code now} (an expired entry: none). */
  Future<Set<String>> off(String accountId, String portalId, String holder, Instant now);

  /**
   * Switches {@code serverId} on or off for {@code holder}, with the holder's entry expiring at
   * {@code expiresAt} (null: never); answers the holder's off set after the change. Concurrent
   * switches of one holder are serialised: none is lost.
   */
  Future<Set<String>> set(String accountId, String portalId, String holder, String serverId, boolean on, Instant expiresAt);

  /** Switches every member back on for {@code holder} (removes its entry). */
  Future<Void> reset(String accountId, String portalId, String holder);

  /** Removes every entry expired at {@code now}; answers how many holders' entries went. */
  Future<Integer> purgeExpired(Instant now);

  /**
   * Registers a listener told of every set or reset — with PostgreSQL, made by any replica, and
   * {@link ToggleKey#EVERYTHING} after a reconnection. Not told of purges (an expired entry reads
   * as empty already) nor of entries removed with their portal (the portal's own change is
   * announced). Called on a Vert.x context.
   */
  void onChange(Consumer<ToggleKey> listener);
}
