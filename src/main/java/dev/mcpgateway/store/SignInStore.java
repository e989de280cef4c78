package dev.mcpgateway.store;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.model.SignInGrant;
import dev.mcpgateway.model.SignInKey;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The built-in authorization server's state: registered clients, grants with their single-use
 * credentials (authorization codes and refresh tokens, by hash), and signing keys (private parts
 * sealed). Shared by every replica on the same storage, so a code or refresh token is used once
 * across all of them: {@link #redeem} is atomic, and a second use revokes the grant. Every
 * implementation passes {@code SignInStoreContract}; every method is non-blocking; unreachable
 * storage fails with {@link StoreUnavailableException}.
 */
public interface SignInStore {
  /** What {@link #redeem} did. */
  enum Outcome {
    /** Unused until now: marked used, the next credential added. */
    REDEEMED,
    /** Used before: a replay — its grant is revoked now (if it was not already). */
    REPLAYED,
    /** Its grant was revoked: nothing changed. */
    REVOKED,
    /** Past its expiry: nothing changed. */
    EXPIRED,
    /** No such credential. */
    UNKNOWN
  }

  /** A credential with its grant (null when {@link Outcome#UNKNOWN}), as {@link #find} and {@link #redeem} answer. */
  record Held(SignInCredential credential, SignInGrant grant) {}

  record Redemption(Outcome outcome, SignInGrant grant) {}

  Future<Void> addClient(SignInClient client);

  Future<Optional<SignInClient>> client(String clientId);

  /** How many clients are registered (metadata-document clients are never stored). */
  Future<Long> clientCount();

  /**
   * Opens {@code grant} with its first credential (the authorization code). Fails with
   * {@link DuplicateGrantException} when the grant's id is taken: ids come from one-time consent
   * tickets, so this is a ticket used twice.
   */
  Future<Void> openGrant(SignInGrant grant, SignInCredential code);

  /** The credential with this hash and its grant, used or not; empty when unknown. */
  Future<Optional<Held>> find(String hash);

  /**
   * Uses the credential {@code hash} once, atomically across replicas: unused, unexpired at
   * {@code now} and of a grant not revoked, it is marked used and {@code next} (nullable: the refresh
   * token issued in exchange) joins its grant, whose expiry grows to cover it. A used one revokes its
   * grant ({@link Outcome#REPLAYED}).
   */
  Future<Redemption> redeem(String hash, Instant now, SignInCredential next);

  /** Revokes a grant and so every credential of it; false when there is no such grant. Idempotent. */
  Future<Boolean> revokeGrant(String grantId, Instant now);

  /** Removes credentials and grants expired at {@code now} (the caller's clock); answers how many grants went. */
  Future<Integer> purgeExpired(Instant now);

  /** Every signing key, oldest first. */
  Future<List<SignInKey>> keys();

  Future<Void> addKey(SignInKey key);

  Future<Void> removeKey(String kid);
}
