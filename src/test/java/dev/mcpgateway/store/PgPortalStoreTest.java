package dev.mcpgateway.store;

import static dev.mcpgateway.store.ServerStoreContract.server;
import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The portal contract against the real PostgreSQL of this machine, each test in a schema of its
 * own; and what is particular to it: the V4 migration, integrity and changes across replicas
 * (two stores on one schema), and the shared LISTEN channel's two payload kinds.
 */
class PgPortalStoreTest extends PortalStoreContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }


  @Test
  void thePortalMigrationIsAppliedOnce() {
    reopen();
    Stores second = result(open());
    result(second.close());
    List<Integer> versions = Postgres.sql(vertx, pool -> pool.query("SELECT version FROM " + schema + ".schema_migrations ORDER BY version").execute()
        .map(rows -> {
          List<Integer> all = new java.util.ArrayList<>();
          for (Row row : rows) all.add(row.getInteger(0));
          return all;
        }));
    // every migration once (V5, audit entries about portals, and V6, portal toggles, follow the portal tables' V4)
    assertEquals(PgMigrations.ALL.stream().map(PgMigrations::version).toList(), versions);
    assertTrue(versions.contains(4));
  }

  @Test
  void membersAreRowsOfTheJoinTableThatFollowEveryWrite() {
    result(servers().create(server("acme", "a")));
    result(servers().create(server("acme", "b")));
    result(portals().create(portal("acme", "p", "p.example", "a", "b")));
    assertEquals(List.of("a", "b"), memberRows("p"));
    result(portals().update("acme", "p", p -> p.withServers(p.servers().subList(1, 2))));
    assertEquals(List.of("b"), memberRows("p"));
    result(portals().delete("acme", "p"));
    assertEquals(List.of(), memberRows("p"));
  }

  private List<String> memberRows(String portalId) {
    return Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT server_id FROM " + schema + ".mcp_portal_servers WHERE portal_id = $1 ORDER BY server_id")
        .execute(Tuple.of(portalId))
        .map(rows -> {
          List<String> ids = new java.util.ArrayList<>();
          for (Row row : rows) ids.add(row.getString(0));
          return ids;
        }));
  }

  @Test
  void integrityHoldsAcrossReplicas() {
    Stores other = result(open());
    try {
      result(servers().create(server("acme", "s")));
      result(portals().create(portal("acme", "p", "shared.example", "s")));
      ServerInUseException inUse = assertInstanceOf(ServerInUseException.class, failure(other.servers().delete("acme", "s")));
      assertEquals(List.of("p"), inUse.portalIds());
      assertInstanceOf(PortalHostnameTakenException.class, failure(other.portals().create(portal("globex", "q", "SHARED.example"))));
      assertInstanceOf(DuplicatePortalException.class, failure(other.portals().create(portal("acme", "p", "else.example"))));
      result(other.portals().delete("acme", "p"));
      result(servers().delete("acme", "s"));
      PortalMemberMissingException missing = assertInstanceOf(PortalMemberMissingException.class,
          failure(other.portals().create(portal("acme", "p", "shared.example", "s"))));
      assertEquals("s", missing.serverId());
    } finally {
      result(other.close());
    }
  }

  @Test
  void aPortalChangeOnOneReplicaReachesTheOtherWithinASecond() throws Exception {
    Stores other = result(open());
    try {
      BlockingQueue<PortalKey> heard = new LinkedBlockingQueue<>();
      BlockingQueue<ServerKey> serversHeard = new LinkedBlockingQueue<>();
      other.portals().onChange(heard::add);
      other.servers().onChange(serversHeard::add);
      PortalKey key = new PortalKey("acme", "shared");
      result(portals().create(portal("acme", "shared", "shared.example")));
      assertEquals(key, heard.poll(1, TimeUnit.SECONDS));
      result(portals().update("acme", "shared", p -> rename(p, "new")));
      assertEquals(key, heard.poll(1, TimeUnit.SECONDS));
      result(portals().delete("acme", "shared"));
      assertEquals(key, heard.poll(1, TimeUnit.SECONDS));
      assertNull(serversHeard.poll(200, TimeUnit.MILLISECONDS), "a portal change is no server change");
      result(servers().create(server("acme", "srv")));
      assertEquals(new ServerKey("acme", "srv"), serversHeard.poll(1, TimeUnit.SECONDS));
      assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "a server change is no portal change");
    } finally {
      result(other.close());
    }
  }

  @Test
  void serverPayloadsOfEveryReleaseStillParseBesidePortalOnes() throws Exception {
    BlockingQueue<PortalKey> portalsHeard = new LinkedBlockingQueue<>();
    BlockingQueue<ServerKey> serversHeard = new LinkedBlockingQueue<>();
    portals().onChange(portalsHeard::add);
    servers().onChange(serversHeard::add);
    String channel = PgChangeFeed.channel(schema);
    // what a replica of the release before portals sends for a server, then a portal's payload
    Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, "acme/old-server")));
    Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, "p:acme/a-portal")));
    assertEquals(new ServerKey("acme", "old-server"), serversHeard.poll(2, TimeUnit.SECONDS));
    assertEquals(new PortalKey("acme", "a-portal"), portalsHeard.poll(2, TimeUnit.SECONDS));
    assertNull(serversHeard.poll(200, TimeUnit.MILLISECONDS));
    assertNull(portalsHeard.poll(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void afterTheListenConnectionIsLostListenersHearEverything() throws Exception {
    BlockingQueue<PortalKey> portalsHeard = new LinkedBlockingQueue<>();
    BlockingQueue<ServerKey> serversHeard = new LinkedBlockingQueue<>();
    portals().onChange(portalsHeard::add);
    servers().onChange(serversHeard::add);
    // only this store's LISTEN connection: its last statement names this schema's channel
    assertEquals(1, Postgres.terminateListener(vertx, PgChangeFeed.channel(schema)));
    assertEquals(PortalKey.EVERYTHING, portalsHeard.poll(10, TimeUnit.SECONDS));
    assertEquals(ServerKey.EVERYTHING, serversHeard.poll(1, TimeUnit.SECONDS));
    result(portals().create(portal("acme", "after", "after.example")));
    assertEquals(new PortalKey("acme", "after"), portalsHeard.poll(2, TimeUnit.SECONDS), "heard again once reconnected");
  }
}
