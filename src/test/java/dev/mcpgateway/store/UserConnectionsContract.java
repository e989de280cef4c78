package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuthenticationStatus;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.UserConnection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one contract every {@link UserConnections} passes, run against the embedded store and PostgreSQL. */
abstract class UserConnectionsContract extends StoresFixture {

  UserConnections users() {
    return stores.users();
  }

  @Test
  void userConnectionsAreKeptPerServerAndUserAndUpdatedAtomically() {
    assertNull(result(users().get("acme", "s1", "alice")));
    dev.mcpgateway.model.UserConnection alice = dev.mcpgateway.model.UserConnection.empty("acme", "s1", "alice")
        .withTokens(new SealedSecret("v1.sealed-alice"), Instant.parse("2026-01-02T03:04:05Z"),
            dev.mcpgateway.model.AuthenticationStatus.CONNECTED, null);
    assertEquals(alice, result(users().update("acme", "s1", "alice", current -> {
      assertNull(current);
      return alice;
    })));
    assertEquals(alice, result(users().get("acme", "s1", "alice")));
    assertNull(result(users().get("acme", "s1", "bob")), "one user's connection is not another's");
    assertNull(result(users().get("acme", "s2", "alice")), "nor another server's");
    assertNull(result(users().get("globex", "s1", "alice")), "nor another account's");

    RuntimeException refused = new IllegalStateException("no");
    assertEquals(refused, failure(users().update("acme", "s1", "alice", current -> {
      throw refused;
    })));
    assertEquals(alice, result(users().get("acme", "s1", "alice")), "a throwing update changes nothing");

    // concurrent updates of one connection (and of one that does not exist yet) lose nothing
    List<Future<dev.mcpgateway.model.UserConnection>> appends = IntStream.range(0, 20).mapToObj(i ->
        users().update("acme", "s1", "carol", current -> {
          dev.mcpgateway.model.UserConnection base = current == null ? dev.mcpgateway.model.UserConnection.empty("acme", "s1", "carol") : current;
          return base.withTokens(null, null, dev.mcpgateway.model.AuthenticationStatus.REQUIRED, (base.error() == null ? "" : base.error()) + "x");
        })).toList();
    result(Future.all(appends));
    assertEquals("x".repeat(20), result(users().get("acme", "s1", "carol")).error());

    assertNull(result(users().update("acme", "s1", "carol", current -> null)), "null removes");
    assertNull(result(users().get("acme", "s1", "carol")));
    dev.mcpgateway.model.UserConnection aliceElsewhere = dev.mcpgateway.model.UserConnection.empty("acme", "s2", "alice");
    result(users().update("acme", "s2", "alice", current -> aliceElsewhere));
    List<dev.mcpgateway.model.UserConnection> removed = result(users().deleteAll("acme", "s1"));
    assertEquals(List.of(alice), removed);
    assertNull(result(users().get("acme", "s1", "alice")));
    assertEquals(aliceElsewhere, result(users().get("acme", "s2", "alice")), "another server's connections stay");
  }

  @Test
  void everyAcknowledgedChangeSurvivesReopening() {
    UserConnection kept = UserConnection.empty("acme", "s1", "alice")
        .withTokens(new SealedSecret("v1.sealed-alice"), Instant.parse("2026-01-02T03:04:05Z"), AuthenticationStatus.CONNECTED, null)
        .withTicketUsed(Instant.parse("2026-01-02T03:00:00.123Z"));
    result(users().update("acme", "s1", "alice", current -> kept));
    result(users().update("acme", "s1", "bob", current -> UserConnection.empty("acme", "s1", "bob")));
    result(users().update("acme", "s1", "bob", current -> null));
    result(users().update("acme", "s2", "carol", current -> UserConnection.empty("acme", "s2", "carol")));
    result(users().deleteAll("acme", "s2"));
    reopen();
    assertEquals(kept, result(users().get("acme", "s1", "alice")));
    assertNull(result(users().get("acme", "s1", "bob")), "a removal is durable");
    assertNull(result(users().get("acme", "s2", "carol")), "so is removing a server's connections");
  }

  @Test
  void onceTheStoresAreClosedConnectionsAreUnavailable() {
    UserConnections closed = users();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.get("acme", "s1", "alice")));
    assertInstanceOf(StoreUnavailableException.class,
        failure(closed.update("acme", "s1", "alice", current -> UserConnection.empty("acme", "s1", "alice"))));
    stores = result(open());
    assertNull(result(users().get("acme", "s1", "alice")), "a refused update left nothing");
  }
}
