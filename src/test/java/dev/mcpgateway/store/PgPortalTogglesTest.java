package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ToggleKey;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The toggles contract against the real PostgreSQL, a schema per test; and what is particular to
 * it: switches heard and read across replicas, {@code t:} payloads beside the other kinds on one
 * channel, and {@link ToggleKey#EVERYTHING} after the LISTEN connection is lost.
 */
class PgPortalTogglesTest extends PortalTogglesContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }


  @Test
  void aSwitchOnOneReplicaIsHeardAndReadOnTheOther() throws Exception {
    Stores other = result(open());
    try {
      portalsExist("acme", "p");
      BlockingQueue<ToggleKey> heard = new LinkedBlockingQueue<>();
      other.toggles().onChange(heard::add);
      result(toggles().set("acme", "p", "s:abc", "github", false, LATER));
      assertEquals(new ToggleKey("acme", "p", "s:abc"), heard.poll(1, TimeUnit.SECONDS));
      assertEquals(Set.of("github"), result(other.toggles().off("acme", "p", "s:abc", NOW)));
      result(toggles().reset("acme", "p", "s:abc"));
      assertEquals(new ToggleKey("acme", "p", "s:abc"), heard.poll(1, TimeUnit.SECONDS));
    } finally {
      result(other.close());
    }
  }

  @Test
  void togglePayloadsParseBesideServerAndPortalOnes() throws Exception {
    BlockingQueue<ToggleKey> togglesHeard = new LinkedBlockingQueue<>();
    BlockingQueue<PortalKey> portalsHeard = new LinkedBlockingQueue<>();
    BlockingQueue<ServerKey> serversHeard = new LinkedBlockingQueue<>();
    toggles().onChange(togglesHeard::add);
    stores.portals().onChange(portalsHeard::add);
    stores.servers().onChange(serversHeard::add);
    String channel = PgChangeFeed.channel(schema);
    for (String payload : new String[] {"acme/old-server", "p:acme/a-portal", "t:acme/a-portal/t:name/with/slashes", "t:broken", "t:/p/h"}) {
      Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)));
    }
    assertEquals(new ServerKey("acme", "old-server"), serversHeard.poll(2, TimeUnit.SECONDS));
    assertEquals(new PortalKey("acme", "a-portal"), portalsHeard.poll(2, TimeUnit.SECONDS));
    assertEquals(new ToggleKey("acme", "a-portal", "t:name/with/slashes"), togglesHeard.poll(2, TimeUnit.SECONDS));
    assertNull(togglesHeard.poll(300, TimeUnit.MILLISECONDS), "malformed toggle payloads are dropped");
    assertNull(serversHeard.poll(10, TimeUnit.MILLISECONDS));
    assertNull(portalsHeard.poll(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void afterTheListenConnectionIsLostToggleListenersHearEverything() throws Exception {
    BlockingQueue<ToggleKey> heard = new LinkedBlockingQueue<>();
    toggles().onChange(heard::add);
    assertEquals(1, Postgres.terminateListener(vertx, PgChangeFeed.channel(schema)));
    assertEquals(ToggleKey.EVERYTHING, heard.poll(10, TimeUnit.SECONDS));
  }
}
