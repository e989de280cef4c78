package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The policies contract against the real PostgreSQL, a schema per test; and what is particular to
 * it: a change on one replica heard and read on another, {@code a:} payloads beside the other kinds.
 */
class PgPolicyStoreTest extends PolicyStoreContract {
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
      other.policies().onChange(heard::add);
      var p = policy("acme", "00000000-0000-4000-8000-0000000000e1", T0);
      result(policies().create(p));
      assertEquals("acme", heard.poll(2, TimeUnit.SECONDS));
      assertEquals(List.of(p), result(other.policies().list("acme")));
    } finally {
      result(other.close());
    }
  }

  @Test
  void policyPayloadsParseBesideTheOtherKinds() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    policies().onChange(heard::add);
    String channel = PgChangeFeed.channel(schema);
    for (String payload : new String[] {"acme/server", "p:acme/portal", "t:acme/portal/holder", "a:", "a:x/y", "a:globex"}) {
      Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)));
    }
    assertEquals("globex", heard.poll(2, TimeUnit.SECONDS));
    assertEquals(null, heard.poll(300, TimeUnit.MILLISECONDS));
  }
}
