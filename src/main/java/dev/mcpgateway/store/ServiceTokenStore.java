package dev.mcpgateway.store;

import dev.mcpgateway.model.ServiceToken;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where service tokens live (their secrets only as SHA-256). Every implementation passes
 * {@code ServiceTokenStoreContract}; every method is non-blocking. Opened with the other stores
 * over the same storage ({@link Stores}). Unknown tokens fail with
 * {@link ServiceTokenNotFoundException}, unreachable storage with {@link StoreUnavailableException};
 * anything an {@code update} function throws aborts the update unchanged and fails the future with it.
 */
public interface ServiceTokenStore {
  /** Told to listeners when changes may have been missed (a lost LISTEN connection): forget every cached token. */
  String EVERYTHING = "*";

  /** Stores a new token; {@link DuplicateServiceTokenException} when its id or client id is taken (in any account). */
  Future<ServiceToken> create(ServiceToken token);

  Future<ServiceToken> get(String accountId, String id);

  /** The token with this client id, of any account: how an agent's {@code CF-Access-Client-Id} is looked up. */
  Future<Optional<ServiceToken>> byClientId(String clientId);

  /** Every token of the account, ordered by creation time, then id. */
  Future<List<ServiceToken>> list(String accountId);

  /** Atomically replaces a token with {@code change.apply(current)} (concurrent updates serialised); its ids may not change. */
  Future<ServiceToken> update(String accountId, String id, UnaryOperator<ServiceToken> change);

  /** Removes a token and answers it as it was. */
  Future<ServiceToken> delete(String accountId, String id);

  /**
   * Records that an agent authenticated with the token at {@code at}: only {@code last_seen_at}
   * changes (never the token's other fields, so no concurrent update is lost), nobody is told, and a
   * token deleted meanwhile is no failure. Callers record lazily, not per request.
   */
  Future<Void> markSeen(String accountId, String id, Instant at);

  /**
   * Registers a listener told the client id of every created, updated or deleted token — with
   * PostgreSQL, by any replica, and {@link #EVERYTHING} after a reconnection. Called on a Vert.x context.
   */
  void onChange(Consumer<String> listener);
}
