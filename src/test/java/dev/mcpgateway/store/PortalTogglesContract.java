package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.model.ToggleKey;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link PortalToggles} passes, run against the embedded store and
 * PostgreSQL: switches per (portal, holder) that never reach another holder or portal, expiry,
 * reset, entries that belong to their portal, serialised switches, reopening, change listeners.
 */
abstract class PortalTogglesContract extends StoresFixture {
  static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  static final Instant LATER = NOW.plusSeconds(3600);

  PortalToggles toggles() {
    return stores.toggles();
  }

  void portalsExist(String account, String... ids) {
    for (String id : ids) result(stores.portals().create(PortalStoreContract.portal(account, id, id + "." + account + ".example")));
  }

  Set<String> off(String account, String portal, String holder) {
    return result(toggles().off(account, portal, holder, NOW));
  }

  @Test
  void aHolderWithNothingSwitchedHasEveryMemberOn() {
    portalsExist("acme", "p");
    assertEquals(Set.of(), off("acme", "p", "s:abc"));
    assertEquals(Set.of(), off("acme", "nowhere", "s:abc"), "reading an unknown portal is no error: nothing is off");
  }

  @Test
  void switchingOffAndBackOnIsTheHoldersAlone() {
    portalsExist("acme", "p", "q");
    portalsExist("globex", "p");
    assertEquals(Set.of("github"), result(toggles().set("acme", "p", "s:one", "github", false, LATER)));
    assertEquals(Set.of("github", "linear"), result(toggles().set("acme", "p", "s:one", "linear", false, LATER)));
    assertEquals(Set.of("github", "linear"), off("acme", "p", "s:one"));
    assertEquals(Set.of(), off("acme", "p", "s:two"), "another holder");
    assertEquals(Set.of(), off("acme", "q", "s:one"), "another portal");
    assertEquals(Set.of(), off("globex", "p", "s:one"), "another account");
    assertEquals(Set.of("linear"), result(toggles().set("acme", "p", "s:one", "github", true, LATER)));
    assertEquals(Set.of("linear"), result(toggles().set("acme", "p", "s:one", "github", true, LATER)), "on twice is on");
    assertEquals(Set.of("linear"), result(toggles().set("acme", "p", "s:one", "linear", false, LATER)), "off twice is off");
    assertEquals(Set.of(), result(toggles().set("acme", "p", "s:one", "linear", true, LATER)));
    assertEquals(Set.of(), off("acme", "p", "s:one"));
  }

  @Test
  void anEntryExpiresAtItsTimeAndIsPurgedThenButNeverWithoutOne() {
    portalsExist("acme", "p");
    result(toggles().set("acme", "p", "s:session", "github", false, LATER));
    result(toggles().set("acme", "p", "t:agent", "github", false, null));
    assertEquals(Set.of("github"), result(toggles().off("acme", "p", "s:session", LATER.minusSeconds(1))));
    assertEquals(Set.of(), result(toggles().off("acme", "p", "s:session", LATER)), "expired at its time");
    assertEquals(0, result(toggles().purgeExpired(LATER.minusSeconds(1))));
    assertEquals(1, result(toggles().purgeExpired(LATER)));
    assertEquals(Set.of(), result(toggles().off("acme", "p", "s:session", NOW)), "purged");
    Instant farFuture = Instant.parse("2126-01-01T00:00:00Z");
    assertEquals(0, result(toggles().purgeExpired(farFuture)));
    assertEquals(Set.of("github"), result(toggles().off("acme", "p", "t:agent", farFuture)), "no expiry: kept");
  }

  @Test
  void theNewestWriteSetsTheHoldersExpiry() {
    portalsExist("acme", "p");
    result(toggles().set("acme", "p", "t:agent", "a", false, LATER));
    result(toggles().set("acme", "p", "t:agent", "b", false, null));
    assertEquals(Set.of("a", "b"), result(toggles().off("acme", "p", "t:agent", LATER.plusSeconds(60))));
    assertEquals(0, result(toggles().purgeExpired(LATER.plusSeconds(60))));
  }

  @Test
  void resetSwitchesEveryMemberBackOnForThatHolderOnly() {
    portalsExist("acme", "p");
    result(toggles().set("acme", "p", "t:agent", "a", false, null));
    result(toggles().set("acme", "p", "t:agent", "b", false, null));
    result(toggles().set("acme", "p", "t:other", "a", false, null));
    result(toggles().reset("acme", "p", "t:agent"));
    assertEquals(Set.of(), off("acme", "p", "t:agent"));
    assertEquals(Set.of("a"), off("acme", "p", "t:other"));
    result(toggles().reset("acme", "p", "t:nobody"));
  }

  @Test
  void switchesBelongToAnExistingPortalAndGoWithIt() {
    assertInstanceOf(PortalNotFoundException.class, failure(toggles().set("acme", "missing", "t:agent", "a", false, null)));
    assertInstanceOf(PortalNotFoundException.class, failure(toggles().set("acme", "missing", "t:agent", "a", true, null)));
    portalsExist("acme", "p", "keep");
    result(toggles().set("acme", "p", "t:agent", "a", false, null));
    result(toggles().set("acme", "keep", "t:agent", "a", false, null));
    result(stores.portals().delete("acme", "p"));
    portalsExist("acme", "p");
    assertEquals(Set.of(), off("acme", "p", "t:agent"), "a portal created again under the id starts with every member on");
    assertEquals(Set.of("a"), off("acme", "keep", "t:agent"));
  }

  @Test
  void concurrentSwitchesOfOneHolderLoseNone() {
    portalsExist("acme", "p");
    List<Future<Set<String>>> writes = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> writes.add(toggles().set("acme", "p", "t:agent", "s" + i, false, null)));
    result(Future.all(writes));
    assertEquals(20, off("acme", "p", "t:agent").size());
  }

  @Test
  void everyAcknowledgedSwitchSurvivesReopening() {
    portalsExist("acme", "p");
    result(toggles().set("acme", "p", "t:agent", "a", false, null));
    result(toggles().set("acme", "p", "s:x", "b", false, LATER));
    result(toggles().set("acme", "p", "t:agent", "c", false, null));
    result(toggles().set("acme", "p", "t:agent", "c", true, null));
    result(toggles().set("acme", "p", "t:gone", "c", false, null));
    result(toggles().reset("acme", "p", "t:gone"));
    reopen();
    assertEquals(Set.of("a"), off("acme", "p", "t:agent"));
    assertEquals(Set.of("b"), off("acme", "p", "s:x"));
    assertEquals(Set.of(), off("acme", "p", "t:gone"));
    assertEquals(Set.of(), result(toggles().off("acme", "p", "s:x", LATER)), "the expiry survives too");
  }

  @Test
  void holdersMayBeAnyText() {
    portalsExist("acme", "p");
    for (String holder : List.of("t:a/b/../c", "t:ünïcode name", "t:" + "x".repeat(300))) {
      result(toggles().set("acme", "p", holder, "a", false, null));
      assertEquals(Set.of("a"), off("acme", "p", holder), holder);
    }
  }

  @Test
  void listenersHearOfEverySetAndReset() throws Exception {
    portalsExist("acme", "p");
    BlockingQueue<ToggleKey> heard = new LinkedBlockingQueue<>();
    toggles().onChange(heard::add);
    ToggleKey key = new ToggleKey("acme", "p", "t:a/b");
    result(toggles().set("acme", "p", "t:a/b", "a", false, null));
    assertEquals(key, heard.poll(5, TimeUnit.SECONDS));
    result(toggles().set("acme", "p", "t:a/b", "a", true, null));
    assertEquals(key, heard.poll(5, TimeUnit.SECONDS));
    result(toggles().reset("acme", "p", "t:a/b"));
    assertEquals(key, heard.poll(5, TimeUnit.SECONDS));
    assertInstanceOf(PortalNotFoundException.class, failure(toggles().set("acme", "missing", "t:a/b", "a", false, null)));
    assertNull(heard.poll(300, TimeUnit.MILLISECONDS), "a failed write is no change");
  }

  @Test
  void onceTheStoresAreClosedEveryOperationFailsAsUnavailable() {
    portalsExist("acme", "p");
    PortalToggles closed = toggles();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.set("acme", "p", "t:agent", "a", false, null)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.off("acme", "p", "t:agent", NOW)));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.purgeExpired(NOW)));
    stores = result(open());
    assertEquals(Set.of(), off("acme", "p", "t:agent"), "a refused write left nothing");
  }
}
