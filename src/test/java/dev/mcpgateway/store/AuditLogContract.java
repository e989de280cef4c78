package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuditEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one contract every {@link AuditLog} passes, run against the embedded store and PostgreSQL. */
abstract class AuditLogContract extends StoresFixture {

  AuditLog log() {
    return stores.audit();
  }

  static AuditEntry audit(String account, String serverId, AuditEntry.Action action, int second) {
    JsonObject view = new JsonObject().put("id", serverId).put("name", "Server " + serverId).put("status", "waiting")
        .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "say")));
    return new AuditEntry(null, account, serverId, action, "tester",
        Instant.parse("2026-01-02T03:04:05.678Z").plusSeconds(second),
        action == AuditEntry.Action.CREATE ? null : view.copy().put("description", "before " + second),
        action == AuditEntry.Action.DELETE ? null : view.copy().put("description", "after " + second)
            .put("auth_credentials", "[redacted: changed]"));
  }

  @Test
  void anAppendedAuditEntryReadsBackWithItsIdAndEveryField() {
    AuditEntry sent = audit("acme", "a1", AuditEntry.Action.UPDATE, 1);
    AuditEntry stored = result(log().append(sent));
    assertTrue(stored.id() != null && stored.id() > 0, "an id is assigned: " + stored.id());
    assertEquals(sent.withId(stored.id()), stored);
    AuditPage page = result(log().list("acme", new AuditQuery(1, 25, null)));
    assertEquals(List.of(stored), page.items());
    assertEquals(1, page.totalCount());
    AuditEntry created = result(log().append(audit("acme", "a1", AuditEntry.Action.CREATE, 2)));
    AuditEntry deleted = result(log().append(audit("acme", "a1", AuditEntry.Action.DELETE, 3)));
    List<AuditEntry> read = result(log().list("acme", new AuditQuery(1, 25, null))).items();
    assertEquals(List.of(deleted, created, stored), read);
    assertNull(read.get(1).before());
    assertNull(read.get(0).after());
  }

  @Test
  void theAuditTrailListsNewestFirstInPagesWithTotals() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(result(log().append(audit("acme", "s" + i, AuditEntry.Action.CREATE, i))).id());
    for (int i = 1; i < ids.size(); i++) assertTrue(ids.get(i) > ids.get(i - 1), "ids increase: " + ids);
    AuditPage first = result(log().list("acme", new AuditQuery(1, 2, null)));
    assertEquals(List.of("s4", "s3"), serverIds(first));
    assertEquals(5, first.totalCount());
    assertEquals(List.of("s2", "s1"), serverIds(result(log().list("acme", new AuditQuery(2, 2, null)))));
    assertEquals(List.of("s0"), serverIds(result(log().list("acme", new AuditQuery(3, 2, null)))));
    AuditPage beyond = result(log().list("acme", new AuditQuery(9, 2, null)));
    assertTrue(beyond.items().isEmpty());
    assertEquals(5, beyond.totalCount());
  }

  @Test
  void theAuditTrailFiltersByServer() {
    result(log().append(audit("acme", "one", AuditEntry.Action.CREATE, 1)));
    result(log().append(audit("acme", "two", AuditEntry.Action.CREATE, 2)));
    result(log().append(audit("acme", "one", AuditEntry.Action.UPDATE, 3)));
    result(log().append(audit("acme", "one-more", AuditEntry.Action.CREATE, 4)));
    result(log().append(audit("acme", "one", AuditEntry.Action.DELETE, 5)));
    AuditPage one = result(log().list("acme", new AuditQuery(1, 2, "one")));
    assertEquals(3, one.totalCount());
    assertEquals(List.of(AuditEntry.Action.DELETE, AuditEntry.Action.UPDATE), one.items().stream().map(AuditEntry::action).toList());
    assertEquals(List.of(AuditEntry.Action.CREATE),
        result(log().list("acme", new AuditQuery(2, 2, "one"))).items().stream().map(AuditEntry::action).toList());
    assertEquals(List.of("two"), serverIds(result(log().list("acme", new AuditQuery(1, 25, "two")))));
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, "On"))).totalCount());
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, "nothing"))).totalCount());
  }

  @Test
  void theAuditTrailFiltersByActorAloneOrWithAServer() {
    AuditEntry a = audit("acme", "one", AuditEntry.Action.CREATE, 1);
    AuditEntry terraform = new AuditEntry(null, "acme", "one", AuditEntry.Action.UPDATE, "terraform", a.at().plusSeconds(1), a.after(), a.after());
    AuditEntry elsewhere = new AuditEntry(null, "acme", "two", AuditEntry.Action.CREATE, "terraform", a.at().plusSeconds(2), null, a.after());
    result(log().append(a));
    AuditEntry updated = result(log().append(terraform));
    AuditEntry created = result(log().append(elsewhere));
    assertEquals(List.of(created, updated), result(log().list("acme", new AuditQuery(1, 25, null, null, null, null, "terraform"))).items());
    assertEquals(List.of(updated), result(log().list("acme", new AuditQuery(1, 25, "one", null, null, null, "terraform"))).items());
    assertEquals(1, result(log().list("acme", new AuditQuery(1, 25, null, null, null, null, "tester"))).totalCount());
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, null, null, null, null, "Terraform"))).totalCount(), "exact");
    assertEquals(3, result(log().list("acme", new AuditQuery(1, 25, null, null, null, null, ""))).totalCount(), "empty: no filter");
  }

  static AuditEntry portalAudit(String account, String portalId, AuditEntry.Action action, int second) {
    JsonObject view = new JsonObject().put("id", portalId).put("name", "Portal " + portalId).put("hostname", portalId + ".example.com")
        .put("servers", new JsonArray().add(new JsonObject().put("server_id", "one").put("default_disabled", false)));
    return AuditEntry.ofPortal(account, portalId, action, "tester", Instant.parse("2026-01-02T03:04:05.678Z").plusSeconds(second),
        action == AuditEntry.Action.CREATE ? null : view.copy().put("description", "before " + second),
        action == AuditEntry.Action.DELETE ? null : view.copy().put("description", "after " + second));
  }

  @Test
  void portalEntriesShareTheTrailAndFilterByPortalApartFromServers() {
    AuditEntry server = result(log().append(audit("acme", "one", AuditEntry.Action.CREATE, 1)));
    AuditEntry portal = result(log().append(portalAudit("acme", "one", AuditEntry.Action.CREATE, 2)));
    AuditEntry other = result(log().append(portalAudit("acme", "two", AuditEntry.Action.UPDATE, 3)));
    AuditEntry deleted = result(log().append(portalAudit("acme", "one", AuditEntry.Action.DELETE, 4)));
    result(log().append(portalAudit("globex", "one", AuditEntry.Action.CREATE, 5)));
    assertNull(portal.serverId());
    assertEquals("one", portal.portalId());
    assertEquals(portalAudit("acme", "one", AuditEntry.Action.CREATE, 2).withId(portal.id()), portal);
    assertEquals(List.of(deleted, other, portal, server), result(log().list("acme", new AuditQuery(1, 25, null))).items());
    // a server and a portal may share an id: each filter finds only its own kind
    assertEquals(List.of(server), result(log().list("acme", new AuditQuery(1, 25, "one"))).items());
    AuditPage one = result(log().list("acme", new AuditQuery(1, 1, null, "one")));
    assertEquals(List.of(deleted), one.items());
    assertEquals(2, one.totalCount());
    assertEquals(List.of(portal), result(log().list("acme", new AuditQuery(2, 1, null, "one"))).items());
    assertEquals(List.of(other), result(log().list("acme", new AuditQuery(1, 25, "", "two"))).items());
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, "one", "two"))).totalCount());
    assertEquals(1, result(log().list("globex", new AuditQuery(1, 25, null, "one"))).totalCount());
    reopen();
    assertEquals(List.of(deleted, portal), result(log().list("acme", new AuditQuery(1, 25, null, "one"))).items());
  }

  static AuditEntry tokenAudit(String account, String tokenId, AuditEntry.Action action, int second) {
    JsonObject view = new JsonObject().put("id", tokenId).put("name", "CI").put("client_secret_version", 1);
    return AuditEntry.ofServiceToken(account, tokenId, action, "tester", Instant.parse("2026-01-02T03:04:05.678Z").plusSeconds(second),
        action == AuditEntry.Action.CREATE ? null : view.copy(),
        action == AuditEntry.Action.DELETE ? null : view.copy().put("client_secret", "[redacted: changed]"));
  }

  @Test
  void serviceTokenEntriesWithTheirOwnActionsShareTheTrailAndFilterApart() {
    String token = "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c01";
    AuditEntry server = result(log().append(audit("acme", "one", AuditEntry.Action.CREATE, 1)));
    AuditEntry created = result(log().append(tokenAudit("acme", token, AuditEntry.Action.CREATE, 2)));
    AuditEntry rotated = result(log().append(tokenAudit("acme", token, AuditEntry.Action.ROTATE, 3)));
    AuditEntry refreshed = result(log().append(tokenAudit("acme", token, AuditEntry.Action.REFRESH, 4)));
    result(log().append(tokenAudit("globex", token, AuditEntry.Action.DELETE, 5)));
    assertEquals(tokenAudit("acme", token, AuditEntry.Action.ROTATE, 3).withId(rotated.id()), rotated);
    assertNull(rotated.serverId());
    assertNull(rotated.portalId());
    assertEquals(List.of(refreshed, rotated, created, server), result(log().list("acme", new AuditQuery(1, 25, null))).items());
    assertEquals(List.of(refreshed, rotated, created), result(log().list("acme", new AuditQuery(1, 25, null, null, token))).items());
    assertEquals(List.of(server), result(log().list("acme", new AuditQuery(1, 25, "one", null, null))).items());
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, "one", null, token))).totalCount());
    reopen();
    assertEquals(List.of(refreshed, rotated, created), result(log().list("acme", new AuditQuery(1, 25, null, null, token))).items());
    assertEquals(1, result(log().list("globex", new AuditQuery(1, 25, null, null, token))).totalCount());
  }

  static AuditEntry policyAudit(String account, String policyId, AuditEntry.Action action, int second) {
    JsonObject view = new JsonObject().put("id", policyId).put("name", "Engineering").put("decision", "allow").put("reusable", true);
    return AuditEntry.ofPolicy(account, policyId, action, "tester", Instant.parse("2026-01-02T03:04:05.678Z").plusSeconds(second),
        action == AuditEntry.Action.CREATE ? null : view.copy(),
        action == AuditEntry.Action.DELETE ? null : view.copy().put("decision", "deny"));
  }

  @Test
  void policyEntriesRoundTripShareTheTrailAndFilterApart() {
    String policy = "5d1c6a2e-7b3f-4c8d-9e0a-1f2b3c4d5e6f";
    String token = "0b6f0d1e-3c1a-4f6e-9a51-5d3f0e2a7c01";
    AuditEntry server = result(log().append(audit("acme", "one", AuditEntry.Action.CREATE, 1)));
    AuditEntry created = result(log().append(policyAudit("acme", policy, AuditEntry.Action.CREATE, 2)));
    AuditEntry tokenEntry = result(log().append(tokenAudit("acme", token, AuditEntry.Action.CREATE, 3)));
    AuditEntry updated = result(log().append(policyAudit("acme", policy, AuditEntry.Action.UPDATE, 4)));
    AuditEntry other = result(log().append(policyAudit("acme", "6e2d7b3f-8c4a-4d9e-8f1b-2a3c4d5e6f70", AuditEntry.Action.CREATE, 5)));
    AuditEntry deleted = result(log().append(policyAudit("acme", policy, AuditEntry.Action.DELETE, 6)));
    result(log().append(policyAudit("globex", policy, AuditEntry.Action.CREATE, 7)));
    assertEquals(policyAudit("acme", policy, AuditEntry.Action.UPDATE, 4).withId(updated.id()), updated);
    assertEquals(policy, updated.policyId());
    assertNull(updated.serverId());
    assertNull(updated.portalId());
    assertNull(updated.serviceTokenId());
    assertEquals(List.of(deleted, other, updated, tokenEntry, created, server), result(log().list("acme", new AuditQuery(1, 25, null))).items());
    assertEquals(List.of(deleted, updated, created), result(log().list("acme", new AuditQuery(1, 25, null, null, null, policy))).items());
    AuditPage page = result(log().list("acme", new AuditQuery(2, 2, null, null, null, policy)));
    assertEquals(List.of(created), page.items());
    assertEquals(3, page.totalCount());
    assertEquals(List.of(tokenEntry), result(log().list("acme", new AuditQuery(1, 25, null, null, token, null))).items());
    assertEquals(List.of(server), result(log().list("acme", new AuditQuery(1, 25, "one", null, null, null))).items());
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, "one", null, null, policy))).totalCount());
    assertEquals(0, result(log().list("acme", new AuditQuery(1, 25, null, null, token, policy))).totalCount());
    reopen();
    assertEquals(List.of(deleted, updated, created), result(log().list("acme", new AuditQuery(1, 25, null, null, null, policy))).items());
    assertEquals(1, result(log().list("globex", new AuditQuery(1, 25, null, null, null, policy))).totalCount());
  }

  @Test
  void eachAccountSeesOnlyItsOwnAuditTrail() {
    result(log().append(audit("acme", "same", AuditEntry.Action.CREATE, 1)));
    result(log().append(audit("globex", "same", AuditEntry.Action.CREATE, 2)));
    result(log().append(audit("globex", "other", AuditEntry.Action.CREATE, 3)));
    AuditPage acme = result(log().list("acme", new AuditQuery(1, 25, null)));
    assertEquals(1, acme.totalCount());
    assertEquals("acme", acme.items().get(0).accountId());
    assertEquals(2, result(log().list("globex", new AuditQuery(1, 25, null))).totalCount());
    assertEquals(1, result(log().list("globex", new AuditQuery(1, 25, "same"))).totalCount());
    assertEquals(0, result(log().list("nobody", new AuditQuery(1, 25, null))).totalCount());
    assertTrue(result(log().list("nobody", new AuditQuery(1, 25, "same"))).items().isEmpty());
  }

  @Test
  void everyAcknowledgedAuditEntrySurvivesReopeningAndLaterOnesFollowIt() {
    List<AuditEntry> appended = new ArrayList<>();
    for (int i = 0; i < 3; i++) appended.add(result(log().append(audit("acme", "p" + i, AuditEntry.Action.UPDATE, i))));
    reopen();
    AuditPage reopened = result(log().list("acme", new AuditQuery(1, 25, null)));
    assertEquals(List.of(appended.get(2), appended.get(1), appended.get(0)), reopened.items());
    AuditEntry later = result(log().append(audit("acme", "p0", AuditEntry.Action.DELETE, 9)));
    assertTrue(later.id() > appended.get(2).id(), "ids keep increasing after a restart");
    assertEquals(later, result(log().list("acme", new AuditQuery(1, 1, null))).items().get(0));
  }

  @Test
  void concurrentAuditAppendsGetDistinctIdsAndAreAllKept() {
    List<Future<AuditEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 60; i++) appends.add(log().append(audit("acme", "c" + (i % 3), AuditEntry.Action.UPDATE, i)));
    result(Future.all(appends));
    assertEquals(60, appends.stream().map(f -> f.result().id()).distinct().count());
    AuditPage all = result(log().list("acme", new AuditQuery(1, 100, null)));
    assertEquals(60, all.totalCount());
    List<Long> ids = all.items().stream().map(AuditEntry::id).toList();
    assertEquals(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList(), ids, "newest (largest id) first");
  }

  @Test
  void onceTheStoresAreClosedTheTrailIsUnavailable() {
    result(log().append(audit("acme", "a", AuditEntry.Action.CREATE, 1)));
    AuditLog closed = log();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.append(audit("acme", "a", AuditEntry.Action.UPDATE, 2))));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.list("acme", new AuditQuery(1, 25, null))));
    stores = result(open());
    assertEquals(1, result(log().list("acme", new AuditQuery(1, 25, null))).totalCount(), "a refused append left nothing");
  }

  private static List<String> serverIds(AuditPage page) {
    return page.items().stream().map(AuditEntry::serverId).toList();
  }
}
