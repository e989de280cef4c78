package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mcpgateway.model.ServiceToken;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link ServiceTokenStore} passes, run against the embedded store and
 * PostgreSQL: every field round-trips (by id, by client id, in the list), ids and client ids are
 * unique across accounts, accounts are isolated, updates are atomic and lose nothing under
 * concurrency, a throwing update changes nothing, {@code markSeen} touches only {@code last_seen_at}
 * (never backwards, never told to listeners, harmless for a deleted token), listeners hear every
 * create, update and delete by client id, acknowledged writes survive reopening, and closed storage
 * fails as unavailable.
 */
abstract class ServiceTokenStoreContract extends StoresFixture {
  static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123Z");
  static final String ID_1 = "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c01";
  static final String ID_2 = "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c02";
  static final String ID_3 = "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c03";

  ServiceTokenStore tokens() {
    return stores.serviceTokens();
  }

  static String clientId(int n) {
    return String.format("%032x", n) + ".access";
  }

  static ServiceToken token(String account, String id, int n, Instant created) {
    return new ServiceToken(account, id, "Token " + n, clientId(n), TokenHash.sha256Hex("secret-" + n), null, null, 1, "8760h",
        created.plusSeconds(31_536_000), List.of(), created, created, null);
  }

  /** Every optional field set: a rotation's previous secret, servers, a forever token's null expiry, last seen. */
  static ServiceToken full() {
    return new ServiceToken("acme", ID_1, "CI deploys ✓", clientId(1), TokenHash.sha256Hex("new"), TokenHash.sha256Hex("old"),
        T0.plusSeconds(3600), 3, "forever", null, List.of("github", "jira"), T0, T0.plusSeconds(5), T0.plusSeconds(7));
  }

  static ServiceToken renamed(ServiceToken t, String name) {
    return new ServiceToken(t.accountId(), t.id(), name, t.clientId(), t.secretSha256(), t.previousSecretSha256(),
        t.previousSecretExpiresAt(), t.secretVersion(), t.duration(), t.expiresAt(), t.servers(), t.createdAt(), t.updatedAt(), t.lastSeenAt());
  }

  static ServiceToken bumped(ServiceToken t) {
    return new ServiceToken(t.accountId(), t.id(), t.name(), t.clientId(), t.secretSha256(), t.previousSecretSha256(),
        t.previousSecretExpiresAt(), t.secretVersion() + 1, t.duration(), t.expiresAt(), t.servers(), t.createdAt(), t.updatedAt(), t.lastSeenAt());
  }

  @Test
  void everyFieldRoundTripsByIdByClientIdAndInTheList() {
    ServiceToken full = full();
    assertEquals(full, result(tokens().create(full)));
    assertEquals(full, result(tokens().get("acme", ID_1)));
    assertEquals(Optional.of(full), result(tokens().byClientId(full.clientId())));
    assertEquals(List.of(full), result(tokens().list("acme")));
    ServiceToken plain = token("acme", ID_2, 2, T0);
    result(tokens().create(plain));
    assertEquals(plain, result(tokens().get("acme", ID_2)), "nulls round-trip as nulls");
    assertEquals(Optional.empty(), result(tokens().byClientId(clientId(9))));
  }

  @Test
  void idsAndClientIdsAreUniqueAcrossAccounts() {
    result(tokens().create(token("acme", ID_1, 1, T0)));
    assertInstanceOf(DuplicateServiceTokenException.class, failure(tokens().create(token("acme", ID_1, 2, T0))), "same id");
    assertInstanceOf(DuplicateServiceTokenException.class, failure(tokens().create(token("globex", ID_1, 3, T0))), "same id, other account");
    assertInstanceOf(DuplicateServiceTokenException.class, failure(tokens().create(token("globex", ID_2, 1, T0))), "same client id");
    assertEquals(List.of(token("acme", ID_1, 1, T0)), result(tokens().list("acme")));
    assertEquals(List.of(), result(tokens().list("globex")), "a refused create left nothing");
  }

  @Test
  void accountsAreIsolated() {
    result(tokens().create(token("acme", ID_1, 1, T0)));
    assertInstanceOf(ServiceTokenNotFoundException.class, failure(tokens().get("globex", ID_1)));
    assertInstanceOf(ServiceTokenNotFoundException.class, failure(tokens().update("globex", ID_1, t -> renamed(t, "stolen"))));
    assertInstanceOf(ServiceTokenNotFoundException.class, failure(tokens().delete("globex", ID_1)));
    assertEquals(List.of(), result(tokens().list("globex")));
    assertEquals("Token 1", result(tokens().get("acme", ID_1)).name(), "untouched");
    assertInstanceOf(ServiceTokenNotFoundException.class, failure(tokens().get("acme", ID_2)));
  }

  @Test
  void theListIsOrderedByCreationThenId() {
    result(tokens().create(token("acme", ID_3, 3, T0)));
    result(tokens().create(token("acme", ID_2, 2, T0.plusSeconds(1))));
    result(tokens().create(token("acme", ID_1, 1, T0)));
    assertEquals(List.of(ID_1, ID_3, ID_2), result(tokens().list("acme")).stream().map(ServiceToken::id).toList());
  }

  @Test
  void concurrentUpdatesLoseNothing() {
    result(tokens().create(token("acme", ID_1, 1, T0)));
    List<Future<ServiceToken>> updates = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> updates.add(tokens().update("acme", ID_1, ServiceTokenStoreContract::bumped)));
    result(Future.all(updates));
    assertEquals(21, result(tokens().get("acme", ID_1)).secretVersion());
    assertEquals(21, result(tokens().byClientId(clientId(1))).orElseThrow().secretVersion(), "the client id index follows");
  }

  @Test
  void aThrowingUpdateChangesNothingAndIdsCannotChange() {
    ServiceToken original = token("acme", ID_1, 1, T0);
    result(tokens().create(original));
    IllegalStateException refusal = new IllegalStateException("no");
    assertSame(refusal, failure(tokens().update("acme", ID_1, t -> {
      throw refusal;
    })));
    ServiceToken moved = new ServiceToken("acme", ID_1, "x", clientId(5), original.secretSha256(), null, null, 1, "1h", null, List.of(),
        T0, T0, null);
    assertInstanceOf(IllegalArgumentException.class, failure(tokens().update("acme", ID_1, t -> moved)), "a new client id");
    assertEquals(original, result(tokens().get("acme", ID_1)));
    assertEquals(Optional.empty(), result(tokens().byClientId(clientId(5))));
  }

  @Test
  void deleteAnswersTheTokenAndForgetsItEverywhere() {
    ServiceToken token = token("acme", ID_1, 1, T0);
    result(tokens().create(token));
    assertEquals(token, result(tokens().delete("acme", ID_1)));
    assertInstanceOf(ServiceTokenNotFoundException.class, failure(tokens().get("acme", ID_1)));
    assertEquals(Optional.empty(), result(tokens().byClientId(token.clientId())));
    assertEquals(List.of(), result(tokens().list("acme")));
    assertInstanceOf(ServiceTokenNotFoundException.class, failure(tokens().delete("acme", ID_1)));
    result(tokens().create(token("acme", ID_2, 1, T0)));
    assertEquals(ID_2, result(tokens().byClientId(token.clientId())).orElseThrow().id(), "a deleted token's client id is free again");
  }

  @Test
  void markSeenTouchesOnlyLastSeenAtNeverBackwardsAndNeverFails() {
    ServiceToken token = token("acme", ID_1, 1, T0);
    result(tokens().create(token));
    result(tokens().markSeen("acme", ID_1, T0.plusSeconds(60)));
    assertEquals(token.withLastSeenAt(T0.plusSeconds(60)), result(tokens().get("acme", ID_1)));
    result(tokens().markSeen("acme", ID_1, T0.plusSeconds(30)));
    assertEquals(T0.plusSeconds(60), result(tokens().byClientId(token.clientId())).orElseThrow().lastSeenAt(), "never backwards");
    ServiceToken updated = result(tokens().update("acme", ID_1, t -> renamed(t, "renamed")));
    assertEquals(T0.plusSeconds(60), updated.lastSeenAt(), "an update keeps it");
    result(tokens().markSeen("acme", ID_2, T0));
    result(tokens().markSeen("globex", ID_1, T0.plusSeconds(90)));
    assertEquals(T0.plusSeconds(60), result(tokens().get("acme", ID_1)).lastSeenAt(), "another account's id is another token");
  }

  @Test
  void concurrentUpdatesAndMarksLoseNeither() {
    result(tokens().create(token("acme", ID_1, 1, T0)));
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      writes.add(tokens().update("acme", ID_1, ServiceTokenStoreContract::bumped));
      writes.add(tokens().markSeen("acme", ID_1, T0.plusSeconds(i)));
    }
    result(Future.all(writes));
    ServiceToken now = result(tokens().get("acme", ID_1));
    assertEquals(11, now.secretVersion());
    assertEquals(T0.plusSeconds(10), now.lastSeenAt());
  }

  @Test
  void listenersHearEveryChangeByClientIdButNotMarks() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    tokens().onChange(heard::add);
    result(tokens().create(token("acme", ID_1, 1, T0)));
    assertEquals(clientId(1), heard.poll(5, TimeUnit.SECONDS));
    result(tokens().update("acme", ID_1, ServiceTokenStoreContract::bumped));
    assertEquals(clientId(1), heard.poll(5, TimeUnit.SECONDS));
    result(tokens().markSeen("acme", ID_1, T0.plusSeconds(1)));
    failure(tokens().update("acme", ID_2, ServiceTokenStoreContract::bumped));
    result(tokens().delete("acme", ID_1));
    assertEquals(clientId(1), heard.poll(5, TimeUnit.SECONDS), "the delete, and nothing between");
    assertNull(heard.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void everyAcknowledgedWriteSurvivesReopening() {
    result(tokens().create(full()));
    result(tokens().create(token("acme", ID_2, 2, T0)));
    result(tokens().create(token("globex", ID_3, 3, T0)));
    result(tokens().update("acme", ID_2, t -> renamed(t, "kept")));
    result(tokens().markSeen("acme", ID_2, T0.plusSeconds(9)));
    result(tokens().delete("globex", ID_3));
    reopen();
    assertEquals(List.of(full(), renamed(token("acme", ID_2, 2, T0), "kept").withLastSeenAt(T0.plusSeconds(9))), result(tokens().list("acme")));
    assertEquals(List.of(), result(tokens().list("globex")));
    assertEquals(Set.of(ID_1), Set.of(result(tokens().byClientId(clientId(1))).orElseThrow().id()));
  }

  @Test
  void onceTheStoresAreClosedEveryOperationFailsAsUnavailable() {
    result(tokens().create(token("acme", ID_1, 1, T0)));
    ServiceTokenStore closed = tokens();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.create(token("acme", ID_2, 2, T0))));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.get("acme", ID_1)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.get("acme", ID_3)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.byClientId(clientId(1))));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.list("acme")));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.update("acme", ID_1, ServiceTokenStoreContract::bumped)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.delete("acme", ID_1)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.markSeen("acme", ID_1, T0)));
    stores = result(open());
    assertEquals(List.of(token("acme", ID_1, 1, T0)), result(tokens().list("acme")), "nothing refused was written");
  }
}
