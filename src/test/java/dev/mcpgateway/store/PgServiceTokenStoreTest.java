package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service token contract against the real PostgreSQL, a schema per test; and what is particular
 * to it: a change heard and read on another replica (what makes a deleted or rotated token stop
 * working there), {@code s:} payloads beside the other kinds, {@link ServiceTokenStore#EVERYTHING}
 * after the LISTEN connection is lost, and rows that hold no secret.
 */
class PgServiceTokenStoreTest extends ServiceTokenStoreContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }

  @Test
  void aChangeOnOneReplicaIsHeardAndReadOnTheOther() throws Exception {
    Stores other = result(open());
    try {
      BlockingQueue<String> heard = new LinkedBlockingQueue<>();
      other.serviceTokens().onChange(heard::add);
      result(tokens().create(token("acme", ID_1, 1, T0)));
      assertEquals(clientId(1), heard.poll(2, TimeUnit.SECONDS));
      result(tokens().delete("acme", ID_1));
      assertEquals(clientId(1), heard.poll(2, TimeUnit.SECONDS));
      assertEquals(Optional.empty(), result(other.serviceTokens().byClientId(clientId(1))));
    } finally {
      result(other.close());
    }
  }

  @Test
  void serviceTokenPayloadsParseBesideTheOtherKindsAndMalformedOnesAreDropped() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    tokens().onChange(heard::add);
    String channel = PgChangeFeed.channel(schema);
    for (String payload : new String[] {"acme/server", "p:acme/portal", "t:acme/portal/holder", "r:" + "a".repeat(64), "s:not-a-client-id",
        "s:" + clientId(7).toUpperCase(), "s:" + clientId(8)}) {
      Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)));
    }
    assertEquals(clientId(8), heard.poll(2, TimeUnit.SECONDS));
    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "nothing else is a service token");
  }

  @Test
  void afterTheListenConnectionIsLostListenersHearEverything() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    tokens().onChange(heard::add);
    assertEquals(1, Postgres.terminateListener(vertx, PgChangeFeed.channel(schema)));
    assertEquals(ServiceTokenStore.EVERYTHING, heard.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void rowsHoldHashesAndTheirLastSeenColumnOnly() {
    result(tokens().create(full()));
    String row = Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT doc::text || ' ' || last_seen_at::text FROM " + schema
        + ".mcp_service_tokens WHERE id = $1").execute(Tuple.of(ID_1)).map(rows -> rows.iterator().next().getString(0)));
    assertFalse(row.contains("\"client_secret\""), row);
    assertFalse(row.contains("\"last_seen_at\""), "the column's, not the document's: " + row);
  }
}
