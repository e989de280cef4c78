package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.model.SignInGrant;
import dev.mcpgateway.model.SignInKey;
import dev.mcpgateway.model.SignedInUser;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.store.SignInStore.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link SignInStore} passes, run against the embedded store and
 * PostgreSQL: clients and keys round-trip; a credential is redeemed once — a second use (also a
 * concurrent one) revokes its grant, and with it every credential of the family; expired and
 * revoked ones redeem nothing; a consent ticket opens one grant only; expired state is purged;
 * everything acknowledged survives reopening; closed storage fails as unavailable.
 */
abstract class SignInStoreContract extends StoresFixture {
  static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  static final SignedInUser ALICE = new SignedInUser("alice", "alice@example.com", List.of("eng", "ops"));
  static final String RESOURCE = "https://gw.example/mcp/acme/everything";

  SignInStore store() {
    return stores.signIn();
  }

  static SignInGrant grant(String id) {
    return new SignInGrant(id, "client-1", ALICE, RESOURCE, "mcp", NOW, NOW.plusSeconds(60), null);
  }

  static SignInCredential code(String value, String grantId) {
    return SignInCredential.code(TokenHash.sha256Hex(value), grantId, NOW.plusSeconds(60), "http://127.0.0.1:5555/callback", "challenge-" + value);
  }

  static SignInCredential refresh(String value, String grantId, Instant expiresAt) {
    return SignInCredential.refresh(TokenHash.sha256Hex(value), grantId, expiresAt);
  }

  @Test
  void clientsRoundTripAndUnknownOnesAreEmpty() {
    assertEquals(0L, result(store().clientCount()));
    SignInClient publicClient = new SignInClient("c-public", null, "none", List.of("http://127.0.0.1/callback"), "Inspector",
        List.of("authorization_code", "refresh_token"), NOW);
    SignInClient confidential = new SignInClient("c-secret", TokenHash.sha256Hex("s3cret"), "client_secret_basic",
        List.of("https://claude.ai/api/mcp/auth_callback", "https://claude.ai/other"), "Claude", List.of("authorization_code"), NOW);
    result(store().addClient(publicClient));
    result(store().addClient(confidential));
    assertEquals(Optional.of(publicClient), result(store().client("c-public")));
    assertEquals(Optional.of(confidential), result(store().client("c-secret")));
    assertEquals(Optional.empty(), result(store().client("nobody")));
    assertEquals(Optional.empty(), result(store().client("https://client.example/metadata.json")), "any string is a fine question");
    assertEquals(2L, result(store().clientCount()));
  }

  @Test
  void aCodeIsRedeemedOnceAndItsRefreshTokenJoinsTheGrant() {
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    SignInStore.Held held = result(store().find(TokenHash.sha256Hex("code-1"))).orElseThrow();
    assertEquals(code("code-1", "g1"), held.credential());
    assertEquals(grant("g1"), held.grant());
    Instant later = NOW.plusSeconds(86_400);
    SignInStore.Redemption redeemed = result(store().redeem(TokenHash.sha256Hex("code-1"), NOW.plusSeconds(5), refresh("rt-1", "g1", later)));
    assertEquals(Outcome.REDEEMED, redeemed.outcome());
    assertEquals(later, redeemed.grant().expiresAt(), "the grant lives as long as its newest credential");
    assertEquals(NOW.plusSeconds(5), result(store().find(TokenHash.sha256Hex("code-1"))).orElseThrow().credential().usedAt());
    SignInStore.Held token = result(store().find(TokenHash.sha256Hex("rt-1"))).orElseThrow();
    assertEquals(refresh("rt-1", "g1", later), token.credential());
    assertEquals(later, token.grant().expiresAt());
  }

  @Test
  void aSecondUseIsAReplayThatRevokesTheWholeFamily() {
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    result(store().redeem(TokenHash.sha256Hex("code-1"), NOW, refresh("rt-1", "g1", NOW.plusSeconds(3600))));
    assertEquals(Outcome.REDEEMED, result(store().redeem(TokenHash.sha256Hex("rt-1"), NOW, refresh("rt-2", "g1", NOW.plusSeconds(3600)))).outcome());
    SignInStore.Redemption replay = result(store().redeem(TokenHash.sha256Hex("rt-1"), NOW.plusSeconds(1), refresh("rt-x", "g1", NOW.plusSeconds(3600))));
    assertEquals(Outcome.REPLAYED, replay.outcome());
    assertEquals(NOW.plusSeconds(1), replay.grant().revokedAt());
    assertEquals(Optional.empty(), result(store().find(TokenHash.sha256Hex("rt-x"))), "a replay issues nothing");
    assertEquals(Outcome.REVOKED, result(store().redeem(TokenHash.sha256Hex("rt-2"), NOW.plusSeconds(2), null)).outcome(),
        "the newest token of the family goes with it");
    assertEquals(Outcome.REPLAYED, result(store().redeem(TokenHash.sha256Hex("code-1"), NOW.plusSeconds(3), null)).outcome());
    assertEquals(NOW.plusSeconds(1), result(store().find(TokenHash.sha256Hex("rt-2"))).orElseThrow().grant().revokedAt(), "revoked once");
  }

  @Test
  void ofConcurrentRedemptionsOfOneCodeExactlyOneWins() {
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    List<Future<SignInStore.Redemption>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) attempts.add(store().redeem(TokenHash.sha256Hex("code-1"), NOW, refresh("rt-" + i, "g1", NOW.plusSeconds(3600))));
    result(Future.join(attempts));
    long won = attempts.stream().filter(a -> a.result().outcome() == Outcome.REDEEMED).count();
    assertEquals(1, won, attempts.stream().map(a -> a.result().outcome()).toList().toString());
    assertTrue(result(store().find(TokenHash.sha256Hex("code-1"))).orElseThrow().grant().revoked(), "the losers were replays");
  }

  @Test
  void expiredRevokedAndUnknownCredentialsRedeemNothing() {
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    assertEquals(Outcome.EXPIRED, result(store().redeem(TokenHash.sha256Hex("code-1"), NOW.plusSeconds(60), null)).outcome());
    assertNull(result(store().find(TokenHash.sha256Hex("code-1"))).orElseThrow().credential().usedAt(), "not used by an expired attempt");
    assertEquals(Outcome.UNKNOWN, result(store().redeem(TokenHash.sha256Hex("nothing"), NOW, null)).outcome());
    result(store().openGrant(grant("g2"), code("code-2", "g2")));
    assertTrue(result(store().revokeGrant("g2", NOW)));
    assertTrue(result(store().revokeGrant("g2", NOW.plusSeconds(9))), "idempotent");
    assertEquals(NOW, result(store().find(TokenHash.sha256Hex("code-2"))).orElseThrow().grant().revokedAt());
    assertEquals(Outcome.REVOKED, result(store().redeem(TokenHash.sha256Hex("code-2"), NOW, null)).outcome());
    assertFalse(result(store().revokeGrant("no-such-grant", NOW)));
  }

  @Test
  void aConsentTicketOpensOneGrantOnly() {
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    assertInstanceOf(DuplicateGrantException.class, failure(store().openGrant(grant("g1"), code("code-2", "g1"))));
    assertEquals(Optional.empty(), result(store().find(TokenHash.sha256Hex("code-2"))));
  }

  @Test
  void expiredCredentialsAndGrantsArePurged() {
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    result(store().redeem(TokenHash.sha256Hex("code-1"), NOW, refresh("rt-1", "g1", NOW.plusSeconds(3600))));
    result(store().openGrant(grant("g2"), code("code-2", "g2")));
    assertEquals(1, result(store().purgeExpired(NOW.plusSeconds(60))), "g2 went with its code");
    assertEquals(Optional.empty(), result(store().find(TokenHash.sha256Hex("code-1"))), "an expired code of a living grant goes");
    assertEquals(Optional.empty(), result(store().find(TokenHash.sha256Hex("code-2"))));
    assertTrue(result(store().find(TokenHash.sha256Hex("rt-1"))).isPresent());
    assertEquals(1, result(store().purgeExpired(NOW.plusSeconds(3600))));
    assertEquals(Optional.empty(), result(store().find(TokenHash.sha256Hex("rt-1"))));
  }

  @Test
  void keysAreListedOldestFirstAndRemoved() {
    SignInKey older = key("k-old", NOW);
    SignInKey newer = key("k-new", NOW.plusSeconds(10));
    result(store().addKey(newer));
    result(store().addKey(older));
    assertEquals(List.of(older, newer), result(store().keys()));
    result(store().removeKey("k-old"));
    result(store().removeKey("k-never"));
    assertEquals(List.of(newer), result(store().keys()));
  }

  static SignInKey key(String kid, Instant createdAt) {
    return new SignInKey(kid, new JsonObject().put("kty", "RSA").put("kid", kid).put("n", "AQAB-n").put("e", "AQAB"),
        new SealedSecret("v1.sealed-" + kid), createdAt);
  }

  @Test
  void everythingAcknowledgedSurvivesReopening() {
    SignInClient client = new SignInClient("c1", null, "none", List.of("http://localhost/cb"), null, List.of("authorization_code"), NOW);
    result(store().addClient(client));
    result(store().openGrant(grant("g1"), code("code-1", "g1")));
    result(store().redeem(TokenHash.sha256Hex("code-1"), NOW, refresh("rt-1", "g1", NOW.plusSeconds(3600))));
    result(store().addKey(key("k1", NOW)));
    reopen();
    assertEquals(Optional.of(client), result(store().client("c1")));
    assertEquals(NOW, result(store().find(TokenHash.sha256Hex("code-1"))).orElseThrow().credential().usedAt());
    assertEquals(NOW.plusSeconds(3600), result(store().find(TokenHash.sha256Hex("rt-1"))).orElseThrow().grant().expiresAt());
    assertEquals(List.of(key("k1", NOW)), result(store().keys()));
    assertEquals(Outcome.REPLAYED, result(store().redeem(TokenHash.sha256Hex("code-1"), NOW, null)).outcome(), "used stays used");
  }

  @Test
  void onceTheStoresAreClosedEveryOperationFailsAsUnavailable() {
    SignInStore closed = store();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.client("c1")));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.openGrant(grant("g1"), code("code-1", "g1"))));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.redeem(TokenHash.sha256Hex("code-1"), NOW, null)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.keys()));
    stores = result(open());
    assertEquals(Optional.empty(), result(store().find(TokenHash.sha256Hex("code-1"))), "a refused write left nothing");
  }
}
