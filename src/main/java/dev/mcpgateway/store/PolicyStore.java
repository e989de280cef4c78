package dev.mcpgateway.store;

import dev.mcpgateway.policy.AccessPolicy;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where access policies live. Every implementation passes {@code PolicyStoreContract}; every
 * method is non-blocking. Ids are unique per account; unknown ones fail with
 * {@link PolicyNotFoundException}, unreachable storage with {@link StoreUnavailableException}.
 * Policies name servers and portals by id without holding them: a policy for a server deleted
 * later, or not created yet, is harmless.
 */
public interface PolicyStore {
  /** The listener's argument when every account's policies may have changed (a reconnection of the change feed). */
  String EVERY_ACCOUNT = "*";

  Future<AccessPolicy> create(AccessPolicy policy);

  Future<AccessPolicy> get(String accountId, String id);

  /** Atomically replaces a policy with {@code change.apply(current)} (concurrent updates serialised). */
  Future<AccessPolicy> update(String accountId, String id, UnaryOperator<AccessPolicy> change);

  Future<AccessPolicy> delete(String accountId, String id);

  /** The account's policies in the order they are evaluated: by creation time, then id. */
  Future<List<AccessPolicy>> list(String accountId);

  /** Registers a listener told the account of every change — with PostgreSQL, of changes by any replica. */
  void onChange(Consumer<String> listener);
}
