package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link SessionRevocations} passes, run against the embedded store and
 * PostgreSQL: a revocation is in force until its expiry, then purged; revoking again keeps the later
 * expiry; acknowledged revocations survive reopening; listeners hear them; only session keys are
 * accepted; closed storage fails as unavailable.
 */
abstract class SessionRevocationsContract extends StoresFixture {
  static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  static final Instant LATER = NOW.plusSeconds(3600);
  static final String ONE = TokenHash.sha256Hex("v1.session-one");
  static final String TWO = TokenHash.sha256Hex("v1.session-two");

  SessionRevocations revocations() {
    return stores.revocations();
  }

  @Test
  void aRevocationIsInForceFromItsRevoke() {
    assertEquals(Map.of(), result(revocations().active(NOW)));
    result(revocations().revoke(ONE, LATER));
    assertEquals(Map.of(ONE, LATER), result(revocations().active(NOW)));
    result(revocations().revoke(TWO, LATER.plusSeconds(1)));
    assertEquals(Map.of(ONE, LATER, TWO, LATER.plusSeconds(1)), result(revocations().active(NOW)));
  }

  @Test
  void aRevocationPastItsExpiryIsNotInForceAndIsPurged() {
    result(revocations().revoke(ONE, LATER));
    result(revocations().revoke(TWO, LATER.plusSeconds(60)));
    assertEquals(Map.of(ONE, LATER, TWO, LATER.plusSeconds(60)), result(revocations().active(LATER.minusSeconds(1))));
    assertEquals(Map.of(TWO, LATER.plusSeconds(60)), result(revocations().active(LATER)), "expired at its time");
    assertEquals(0, result(revocations().purgeExpired(LATER.minusSeconds(1))));
    assertEquals(1, result(revocations().purgeExpired(LATER)));
    assertEquals(Map.of(TWO, LATER.plusSeconds(60)), result(revocations().active(NOW)), "purged: gone even for an earlier clock");
    assertEquals(0, result(revocations().purgeExpired(LATER)));
  }

  @Test
  void revokingAgainKeepsTheLaterExpiry() {
    result(revocations().revoke(ONE, LATER));
    result(revocations().revoke(ONE, LATER));
    assertEquals(Map.of(ONE, LATER), result(revocations().active(NOW)), "twice is once");
    result(revocations().revoke(ONE, NOW.plusSeconds(1)));
    assertEquals(Map.of(ONE, LATER), result(revocations().active(NOW)), "an earlier expiry does not shorten it");
    result(revocations().revoke(ONE, LATER.plusSeconds(3600)));
    assertEquals(Map.of(ONE, LATER.plusSeconds(3600)), result(revocations().active(NOW)), "a later one lengthens it");
  }

  @Test
  void concurrentRevokesLoseNone() {
    List<Future<Void>> revokes = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> revokes.add(revocations().revoke(TokenHash.sha256Hex("s" + i), LATER)));
    result(Future.all(revokes));
    assertEquals(20, result(revocations().active(NOW)).size());
  }

  @Test
  void everyAcknowledgedRevocationSurvivesReopening() {
    result(revocations().revoke(ONE, LATER));
    result(revocations().revoke(TWO, LATER.plusSeconds(5)));
    result(revocations().purgeExpired(LATER));
    reopen();
    assertEquals(Map.of(TWO, LATER.plusSeconds(5)), result(revocations().active(NOW)), "with its expiry; the purged one stays gone");
  }

  @Test
  void onlySessionKeysAreAccepted() {
    for (String notAKey : new String[] {"v1.raw-session-id", ONE.toUpperCase(), ONE.substring(1), "../" + ONE.substring(3), ""}) {
      assertInstanceOf(IllegalArgumentException.class, failure(revocations().revoke(notAKey, LATER)), notAKey);
    }
    assertEquals(Map.of(), result(revocations().active(NOW)));
  }

  @Test
  void listenersHearEveryRevoke() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    revocations().onRevoked(heard::add);
    result(revocations().revoke(ONE, LATER));
    assertEquals(ONE, heard.poll(5, TimeUnit.SECONDS));
    result(revocations().revoke(TWO, LATER));
    assertEquals(TWO, heard.poll(5, TimeUnit.SECONDS));
    failure(revocations().revoke("not a key", LATER));
    result(revocations().purgeExpired(LATER.plusSeconds(1)));
    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "a refused revoke and a purge are no revocation");
  }

  @Test
  void onceTheStoresAreClosedEveryOperationFailsAsUnavailable() {
    SessionRevocations closed = revocations();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.revoke(ONE, LATER)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.active(NOW)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.purgeExpired(NOW)));
    stores = result(open());
    assertEquals(Map.of(), result(revocations().active(NOW)), "a refused revoke left nothing");
  }
}
