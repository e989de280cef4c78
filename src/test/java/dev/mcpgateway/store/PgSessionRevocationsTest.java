package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The revocations contract against the real PostgreSQL, a schema per test; and what is particular
 * to it: a revocation heard and read on another replica, {@code r:} payloads beside the other kinds,
 * and {@link SessionRevocations#EVERYTHING} after the LISTEN connection is lost.
 */
class PgSessionRevocationsTest extends SessionRevocationsContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }


  @Test
  void aRevocationOnOneReplicaIsHeardAndReadOnTheOther() throws Exception {
    Stores other = result(open());
    try {
      BlockingQueue<String> heard = new LinkedBlockingQueue<>();
      other.revocations().onRevoked(heard::add);
      result(revocations().revoke(ONE, LATER));
      assertEquals(ONE, heard.poll(2, TimeUnit.SECONDS));
      assertEquals(Map.of(ONE, LATER), result(other.revocations().active(NOW)));
    } finally {
      result(other.close());
    }
  }

  @Test
  void revocationPayloadsParseBesideTheOtherKindsAndMalformedOnesAreDropped() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    revocations().onRevoked(heard::add);
    String channel = PgChangeFeed.channel(schema);
    for (String payload : new String[] {"acme/server", "p:acme/portal", "t:acme/portal/holder", "r:not-a-key", "r:" + ONE.toUpperCase(), "r:" + TWO}) {
      Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)));
    }
    assertEquals(TWO, heard.poll(2, TimeUnit.SECONDS));
    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "nothing else is a revocation");
  }

  @Test
  void afterTheListenConnectionIsLostRevocationListenersHearEverything() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    revocations().onRevoked(heard::add);
    assertEquals(1, Postgres.terminateListener(vertx, PgChangeFeed.channel(schema)));
    assertEquals(SessionRevocations.EVERYTHING, heard.poll(10, TimeUnit.SECONDS));
  }
}
