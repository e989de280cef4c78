package dev.mcpgateway.store;

import static dev.mcpgateway.store.ServerStoreContract.server;
import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.PortalServer;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link PortalStore} passes, run against the embedded store and
 * PostgreSQL: the integrity rules of {@link PortalStore}'s javadoc held by the store itself
 * (unique id per account, hostname unique across accounts, members that exist, servers in use
 * kept), and what every store holds (round trip, atomic and serialised updates, reopening).
 */
abstract class PortalStoreContract extends StoresFixture {

  PortalStore portals() {
    return stores.portals();
  }

  ServerStore servers() {
    return stores.servers();
  }

  static Portal portal(String account, String id, String hostname, String... serverIds) {
    Instant at = Instant.parse("2026-02-03T04:05:06.789Z");
    List<PortalServer> members = Arrays.stream(serverIds).map(s -> new PortalServer(s, false, true, List.of(), List.of())).toList();
    return new Portal(account, id, "Portal " + id, hostname, null, null, false, members, at, "tester", at, "tester");
  }

  private void serversExist(String account, String... ids) {
    for (String id : ids) result(servers().create(server(account, id)));
  }

  @Test
  void createThenGetReturnsEveryField() {
    serversExist("acme", "github", "linear");
    Portal full = new Portal("acme", "full", "Everything", "Tools.Acme.example", "all fields", CodeMode.ENFORCED, true,
        List.of(new PortalServer("github", true, false, List.of(new CapabilityOverride("search", "find", "Finds", true)),
                List.of(new CapabilityOverride("greet", null, null, false))),
            new PortalServer("linear", false, true, List.of(), List.of())),
        Instant.parse("2026-01-02T03:04:05.678Z"), "creator", Instant.parse("2026-01-03T03:04:05Z"), "modifier");
    assertEquals(full, result(portals().create(full)));
    Portal read = result(portals().get("acme", "full"));
    assertEquals(full.toJson(), read.toJson());
    assertEquals(full, read);
  }

  @Test
  void unknownAccountsAndPortalsAreNotFoundForEveryOperation() {
    result(portals().create(portal("acme", "known", "known.example")));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "missing")));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("globex", "known")));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().update("acme", "missing", p -> p)));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().update("globex", "known", p -> p)));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().delete("acme", "missing")));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().delete("globex", "known")));
  }

  @Test
  void duplicateIdInOneAccountIsRefusedButAnotherAccountMayUseIt() {
    result(portals().create(portal("acme", "dup", "one.example")));
    assertInstanceOf(DuplicatePortalException.class, failure(portals().create(portal("acme", "dup", "two.example"))));
    assertEquals("one.example", result(portals().get("acme", "dup")).hostname());
    result(portals().create(portal("globex", "dup", "three.example")));
    assertEquals("three.example", result(portals().get("globex", "dup")).hostname());
  }

  @Test
  void aHostnameServesOnePortalAcrossAccountsComparedCaseInsensitively() {
    result(portals().create(portal("acme", "first", "mcp.example.com")));
    assertInstanceOf(PortalHostnameTakenException.class, failure(portals().create(portal("globex", "other", "MCP.Example.com"))));
    assertInstanceOf(PortalHostnameTakenException.class, failure(portals().create(portal("acme", "second", "mcp.example.com"))));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("globex", "other")), "a refused create left nothing");

    result(portals().create(portal("globex", "other", "other.example.com")));
    Throwable taken = failure(portals().update("globex", "other", p -> portal("globex", "other", "Mcp.Example.COM")));
    assertInstanceOf(PortalHostnameTakenException.class, taken);
    assertEquals("other.example.com", result(portals().get("globex", "other")).hostname(), "a refused update changed nothing");

    // a portal keeps its own hostname, in any case, through an update
    assertEquals("Portal renamed", result(portals().update("acme", "first", p -> rename(p, "Portal renamed"))).name());
    result(portals().update("acme", "first", p -> withHostname(p, "MCP.example.com")));
    assertEquals("MCP.example.com", result(portals().byHostname("mcp.example.COM")).orElseThrow().hostname());

    // a hostname given up, by an update or a delete, is free again
    result(portals().update("acme", "first", p -> withHostname(p, "moved.example.com")));
    result(portals().update("globex", "other", p -> withHostname(p, "mcp.example.com")));
    result(portals().delete("globex", "other"));
    result(portals().create(portal("acme", "second", "mcp.example.com")));
  }

  @Test
  void byHostnameFindsThePortalOfAnyAccountIgnoringCase() {
    result(portals().create(portal("acme", "a", "a.example.com")));
    result(portals().create(portal("globex", "g", "G.Example.com")));
    assertEquals(new PortalKey("globex", "g"), result(portals().byHostname("g.example.COM")).orElseThrow().key());
    assertEquals(new PortalKey("acme", "a"), result(portals().byHostname("A.EXAMPLE.COM")).orElseThrow().key());
    assertEquals(Optional.empty(), result(portals().byHostname("nobody.example.com")));
  }

  @Test
  void aMemberThatIsNotAServerOfTheAccountIsNamedWithItsIndex() {
    serversExist("acme", "a", "b");
    serversExist("globex", "theirs");
    PortalMemberMissingException missing = assertInstanceOf(PortalMemberMissingException.class,
        failure(portals().create(portal("acme", "p", "p.example.com", "a", "nope", "b"))));
    assertEquals("nope", missing.serverId());
    assertEquals(1, missing.index());
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "p")), "a refused create left nothing");

    // a server of another account is missing too: members are looked up in the portal's account
    missing = assertInstanceOf(PortalMemberMissingException.class,
        failure(portals().create(portal("acme", "p", "p.example.com", "a", "b", "theirs"))));
    assertEquals("theirs", missing.serverId());
    assertEquals(2, missing.index());

    Portal created = result(portals().create(portal("acme", "p", "p.example.com", "a")));
    missing = assertInstanceOf(PortalMemberMissingException.class,
        failure(portals().update("acme", "p", p -> portal("acme", "p", "p.example.com", "theirs", "a"))));
    assertEquals("theirs", missing.serverId());
    assertEquals(0, missing.index());
    assertEquals(created, result(portals().get("acme", "p")), "a refused update changed nothing");
    assertEquals(List.of(), result(portals().usingServer("globex", "theirs")));
  }

  @Test
  void usingServerAnswersTheAccountsPortalsThatHaveTheServerInIdOrder() {
    serversExist("acme", "s", "t");
    serversExist("globex", "s");
    result(portals().create(portal("acme", "zeta", "zeta.example", "s")));
    result(portals().create(portal("acme", "alpha", "alpha.example", "t", "s")));
    result(portals().create(portal("acme", "mid", "mid.example", "t")));
    result(portals().create(portal("globex", "beta", "beta.example", "s")));
    assertEquals(List.of("alpha", "zeta"), result(portals().usingServer("acme", "s")));
    assertEquals(List.of("alpha", "mid"), result(portals().usingServer("acme", "t")));
    assertEquals(List.of("beta"), result(portals().usingServer("globex", "s")));

    result(portals().update("acme", "alpha", p -> p.withServers(List.of())));
    result(portals().delete("acme", "mid"));
    assertEquals(List.of("zeta"), result(portals().usingServer("acme", "s")));
    assertEquals(List.of(), result(portals().usingServer("acme", "t")));
    assertEquals(List.of(), result(portals().usingServer("acme", "nothing")));
  }

  @Test
  void updateReplacesThePortalAndItsMembers() {
    serversExist("acme", "a", "b");
    result(portals().create(portal("acme", "u", "u.example", "a")));
    Portal updated = result(portals().update("acme", "u", p -> new Portal(p.accountId(), p.id(), "New name", p.hostname(), "now described",
        CodeMode.OFF, true, List.of(new PortalServer("b", true, true, List.of(), List.of())), p.createdAt(), p.createdBy(),
        Instant.parse("2026-05-05T00:00:00Z"), "editor")));
    Portal read = result(portals().get("acme", "u"));
    assertEquals(updated, read);
    assertEquals("New name", read.name());
    assertEquals(CodeMode.OFF, read.codeMode());
    assertEquals("tester", read.createdBy());
    assertEquals(List.of(), result(portals().usingServer("acme", "a")));
    assertEquals(List.of("u"), result(portals().usingServer("acme", "b")));
  }

  @Test
  void anUpdateFunctionThatThrowsChangesNothing() {
    serversExist("acme", "a");
    Portal original = result(portals().create(portal("acme", "keep", "keep.example", "a")));
    IllegalStateException refused = new IllegalStateException("refused by validation");
    assertEquals(refused, failure(portals().update("acme", "keep", p -> {
      throw refused;
    })));
    assertEquals(original, result(portals().get("acme", "keep")));
    assertEquals(List.of("keep"), result(portals().usingServer("acme", "a")));
  }

  @Test
  void anUpdateMayNotMoveAPortal() {
    result(portals().create(portal("acme", "stay", "stay.example")));
    assertInstanceOf(IllegalArgumentException.class, failure(portals().update("acme", "stay", p -> portal("acme", "moved", "stay.example"))));
    assertInstanceOf(IllegalArgumentException.class, failure(portals().update("acme", "stay", p -> portal("globex", "stay", "stay.example"))));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "moved")));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("globex", "stay")));
  }

  @Test
  void deleteAnswersThePortalAsItWasAndForgetsItEverywhere() {
    serversExist("acme", "a");
    Portal created = result(portals().create(portal("acme", "gone", "gone.example", "a")));
    assertEquals(created, result(portals().delete("acme", "gone")));
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "gone")));
    assertEquals(Optional.empty(), result(portals().byHostname("gone.example")));
    assertEquals(List.of(), result(portals().usingServer("acme", "a")));
    assertEquals(0, result(portals().list("acme", new PortalQuery(1, 25, null))).totalCount());
    result(portals().create(portal("acme", "gone", "gone.example", "a")));
  }

  @Test
  void listPagesInIdOrderWithTotals() {
    for (String id : List.of("c", "a", "e", "b", "d")) result(portals().create(portal("acme", id, id + ".acme.example")));
    result(portals().create(portal("globex", "z", "z.globex.example")));
    PortalPage first = result(portals().list("acme", new PortalQuery(1, 2, null)));
    assertEquals(List.of("a", "b"), ids(first));
    assertEquals(5, first.totalCount());
    assertEquals(List.of("c", "d"), ids(result(portals().list("acme", new PortalQuery(2, 2, null)))));
    assertEquals(List.of("e"), ids(result(portals().list("acme", new PortalQuery(3, 2, null)))));
    PortalPage beyond = result(portals().list("acme", new PortalQuery(4, 2, null)));
    assertTrue(beyond.items().isEmpty());
    assertEquals(5, beyond.totalCount());
    assertEquals(0, result(portals().list("nobody", new PortalQuery(1, 25, null))).totalCount());
  }

  @Test
  void searchIsACaseInsensitiveSubstringOfIdNameOrHostname() {
    result(portals().create(rename(portal("acme", "alpha", "one.example"), "Engineering Tools")));
    result(portals().create(portal("acme", "beta", "Support.Example")));
    result(portals().create(portal("acme", "gamma", "three.example")));
    result(portals().create(portal("globex", "engineering", "globex.example")));
    assertEquals(List.of("alpha"), ids(result(portals().list("acme", new PortalQuery(1, 25, "ENGINEERING")))));
    assertEquals(List.of("beta"), ids(result(portals().list("acme", new PortalQuery(1, 25, "support.ex")))));
    assertEquals(List.of("gamma"), ids(result(portals().list("acme", new PortalQuery(1, 25, "GAMM")))));
    PortalPage portalNamed = result(portals().list("acme", new PortalQuery(1, 2, "portal")));
    assertEquals(List.of("beta", "gamma"), ids(portalNamed));
    assertEquals(2, portalNamed.totalCount());
    assertEquals(0, result(portals().list("acme", new PortalQuery(1, 25, "%"))).totalCount());
    assertEquals(0, result(portals().list("acme", new PortalQuery(1, 25, "_"))).totalCount());
  }

  @Test
  void everyAcknowledgedWriteSurvivesReopeningWithItsIndexes() {
    serversExist("acme", "s");
    result(portals().create(portal("acme", "p1", "p1.example", "s")));
    result(portals().create(portal("acme", "p2", "p2.example", "s")));
    result(portals().update("acme", "p1", p -> withHostname(rename(p, "after update"), "P1-new.example")));
    result(portals().delete("acme", "p2"));
    reopen();
    assertEquals("after update", result(portals().get("acme", "p1")).name());
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "p2")));
    assertEquals("p1", result(portals().byHostname("p1-NEW.example")).orElseThrow().id());
    assertEquals(Optional.empty(), result(portals().byHostname("p1.example")));
    assertEquals(List.of("p1"), result(portals().usingServer("acme", "s")));
    assertInstanceOf(PortalHostnameTakenException.class, failure(portals().create(portal("globex", "x", "p1-new.example"))));
    assertInstanceOf(ServerInUseException.class, failure(servers().delete("acme", "s")));
  }

  @Test
  void concurrentUpdatesOfOnePortalLoseNoMember() {
    int n = 24;
    String[] ids = IntStream.range(0, n).mapToObj(i -> "s" + i).toArray(String[]::new);
    serversExist("acme", ids);
    result(portals().create(portal("acme", "many", "many.example")));
    List<Future<Portal>> updates = new ArrayList<>();
    for (String id : ids) {
      updates.add(portals().update("acme", "many", p -> {
        List<PortalServer> members = new ArrayList<>(p.servers());
        members.add(new PortalServer(id, false, true, List.of(), List.of()));
        return p.withServers(members);
      }));
    }
    result(Future.all(updates));
    assertEquals(n, result(portals().get("acme", "many")).servers().size());
    for (String id : ids) assertEquals(List.of("many"), result(portals().usingServer("acme", id)), id);
  }

  @Test
  void concurrentCreatesOfOneHostnameYieldExactlyOneSuccess() {
    List<Future<Portal>> attempts = new ArrayList<>();
    IntStream.range(0, 30).forEach(i -> attempts.add(portals().create(portal(i % 2 == 0 ? "acme" : "globex", "p" + i, "Race.example"))));
    result(Future.join(attempts).otherwiseEmpty());
    assertEquals(1, attempts.stream().filter(Future::succeeded).count());
    attempts.stream().filter(Future::failed).forEach(f -> assertInstanceOf(PortalHostnameTakenException.class, f.cause()));
  }

  @Test
  void aServerDeletedWhileAPortalTakesItAsMemberEndsOneWayOnly() {
    for (int i = 0; i < 12; i++) {
      String server = "racer" + i;
      serversExist("acme", server);
      Future<Portal> created = portals().create(portal("acme", "p" + i, "p" + i + ".example", server));
      Future<McpServer> deleted = servers().delete("acme", server);
      result(Future.join(created, deleted).otherwiseEmpty());
      assertTrue(created.succeeded() != deleted.succeeded(), "round " + i + ": exactly one of the two may succeed");
      if (created.succeeded()) {
        assertInstanceOf(ServerInUseException.class, deleted.cause());
        assertEquals(server, result(servers().get("acme", server)).id());
      } else {
        assertInstanceOf(PortalMemberMissingException.class, created.cause());
        assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "p" + i)));
      }
    }
  }

  @Test
  void listenersHearOfEveryCreateUpdateAndDelete() throws Exception {
    BlockingQueue<PortalKey> heard = new LinkedBlockingQueue<>();
    portals().onChange(heard::add);
    result(portals().create(portal("acme", "watched", "watched.example")));
    result(portals().update("acme", "watched", p -> rename(p, "changed")));
    result(portals().delete("acme", "watched"));
    PortalKey key = new PortalKey("acme", "watched");
    for (int i = 0; i < 3; i++) assertEquals(key, heard.poll(5, TimeUnit.SECONDS), "change " + (i + 1) + " not heard");
    assertInstanceOf(PortalNotFoundException.class, failure(portals().update("acme", "watched", p -> p)));
    assertInstanceOf(PortalMemberMissingException.class, failure(portals().create(portal("acme", "bad", "bad.example", "nope"))));
    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "a failed write is no change");
  }

  @Test
  void onceTheStoresAreClosedWritesFailAsUnavailable() {
    PortalStore closed = portals();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.create(portal("acme", "late", "late.example"))));
    stores = result(open());
    assertInstanceOf(PortalNotFoundException.class, failure(portals().get("acme", "late")), "a refused write left nothing");
  }

  static Portal rename(Portal p, String name) {
    return new Portal(p.accountId(), p.id(), name, p.hostname(), p.description(), p.codeMode(), p.secureWebGateway(), p.servers(),
        p.createdAt(), p.createdBy(), p.modifiedAt(), p.modifiedBy());
  }

  static Portal withHostname(Portal p, String hostname) {
    return new Portal(p.accountId(), p.id(), p.name(), hostname, p.description(), p.codeMode(), p.secureWebGateway(), p.servers(),
        p.createdAt(), p.createdBy(), p.modifiedAt(), p.modifiedBy());
  }

  private static List<String> ids(PortalPage page) {
    return page.items().stream().map(Portal::id).toList();
  }
}
