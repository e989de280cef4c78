package dev.mcpgateway.security;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.store.StoreSettings;
import dev.mcpgateway.store.StoreUnavailableException;
import dev.mcpgateway.store.Stores;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.MovableClock;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One replica's view of the sessions ended with DELETE: in force until the id would have expired
 * (plus the skew) and not after, stored before it is in force, read again after missed
 * notifications, and a start that cannot read the store fails.
 */
class RevokedSessionsTest {
  static final Duration MAX_AGE = Duration.ofHours(1);
  @TempDir Path dataDir;
  final MovableClock clock = new MovableClock();
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  void aRevokedIdIsRefusedUntilItWouldHaveExpiredAndNoLonger() {
    Stores stores = result(new StoreSettings.Embedded(dataDir).open(vertx));
    try {
      RevokedSessions revoked = new RevokedSessions(vertx, stores.revocations(), clock, MAX_AGE);
      result(revoked.start());
      Instant issued = clock.instant().minus(Duration.ofMinutes(10));
      result(revoked.revoke("v1.ended", issued));
      assertTrue(revoked.isRevoked("v1.ended"));
      assertFalse(revoked.isRevoked("v1.other"));
      Instant until = issued.plus(MAX_AGE).plus(RevokedSessions.SKEW);
      assertEquals(Map.of(TokenHash.sha256Hex("v1.ended"), until), result(stores.revocations().active(clock.instant())),
          "stored by its hash, with the id's end of life");
      clock.advance(Duration.between(clock.instant(), until).minusSeconds(1));
      assertTrue(revoked.isRevoked("v1.ended"), "still refused in the id's last instants");
      clock.advance(Duration.ofSeconds(2));
      assertFalse(revoked.isRevoked("v1.ended"), "past its end of life: the id is refused as too old anyway");
    } finally {
      result(stores.close());
    }
  }

  @Test
  void aRevokeTheStoreRefusesIsNotInForceAndAStartThatCannotReadFails() {
    Stores stores = result(new StoreSettings.Embedded(dataDir).open(vertx));
    RevokedSessions revoked = new RevokedSessions(vertx, stores.revocations(), clock, MAX_AGE);
    result(revoked.start());
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(revoked.revoke("v1.ended", clock.instant())));
    assertFalse(revoked.isRevoked("v1.ended"), "not stored: not in force here either (the DELETE answered 503)");
    RevokedSessions late = new RevokedSessions(vertx, stores.revocations(), clock, MAX_AGE);
    assertInstanceOf(StoreUnavailableException.class, failure(late.start()));
  }

  @Test
  void revocationsMissedWhileTheListenConnectionWasDownAreReadAgain() {
    String schema = Postgres.newSchema();
    Stores stores = result(Postgres.settings(schema).open(vertx));
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(Postgres.URL)).using(vertx).build();
    try {
      RevokedSessions revoked = new RevokedSessions(vertx, stores.revocations(), clock, MAX_AGE);
      result(revoked.start());
      // written without a notification: what a replica misses while its LISTEN connection is down
      result(pool.preparedQuery("INSERT INTO " + schema + ".mcp_session_revocations VALUES ($1, $2)")
          .execute(Tuple.of(TokenHash.sha256Hex("v1.missed"), clock.instant().plus(MAX_AGE).atOffset(ZoneOffset.UTC))));
      assertFalse(revoked.isRevoked("v1.missed"));
      int killed = result(pool.preparedQuery("SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity "
              + "WHERE application_name = 'mcp-gateway-listen' AND query LIKE '%' || $1 || '%'")
          .execute(Tuple.of("mcpgw_" + schema)).map(rows -> rows.iterator().next().getInteger(0)));
      assertEquals(1, killed);
      Await.until(() -> revoked.isRevoked("v1.missed"), "the revocation missed is read after the reconnection");
      revoked.stop();
    } finally {
      result(pool.close());
      result(stores.close());
      result(Postgres.dropSchema(vertx, schema));
    }
  }
}
