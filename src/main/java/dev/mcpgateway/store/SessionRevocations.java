package dev.mcpgateway.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Agent sessions ended with {@code DELETE}: each a session key (the lowercase SHA-256 hex of the
 * session id; raw ids are bearer-like and never stored) with the time its revocation may be
 * forgotten — when the session id would stop opening anyway. Session ids are self-contained
 * sealed tokens that any replica opens, so a session ended on one replica stays ended on the others
 * only because they hear of it here. Every implementation passes
 * {@code SessionRevocationsContract}; every method is non-blocking. Opened with the other stores
 * over the same storage ({@link Stores}). Unreachable storage fails with
 * {@link StoreUnavailableException}.
 */
public interface SessionRevocations {
  /** Told to listeners when revocations may have been missed (a lost LISTEN connection): read them all again. */
  String EVERYTHING = "*";

  /**
   * Revokes {@code sessionKey} until {@code expiresAt}. Idempotent: revoking a key again keeps the
   * later of the two expiries. Fails with {@link IllegalArgumentException} when the key is not a
   * SHA-256 hex.
   */
  Future<Void> revoke(String sessionKey, Instant expiresAt);

  /** Every revocation in force at {@code now} (expiry after {@code now}), by key. */
  Future<Map<String, Instant>> active(Instant now);

  /** Removes every revocation expired at {@code now} (the caller's clock: the store has none); answers how many went. */
  Future<Integer> purgeExpired(Instant now);

  /**
   * Registers a listener told the key of every revocation — with PostgreSQL, made by any replica,
   * and {@link #EVERYTHING} after a reconnection. Not told of purges. Called on a Vert.x context.
   */
  void onRevoked(Consumer<String> listener);

  /** Whether {@code key} has the form of a session key: 64 lowercase hex digits. */
  static boolean isKey(String key) {
    return key != null && key.length() == 64 && key.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
  }
}
