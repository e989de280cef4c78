package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuditEntry;
import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.ErrorDetails;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link ServerStore} passes. Subclasses say how to open (and re-open, over
 * the same data) their store.
 */
abstract class ServerStoreContract {
  protected Vertx vertx;
  protected ServerStore store;

  /** Opens the store under test over this test's data (a new instance each call). */
  protected abstract Future<ServerStore> open();

  @BeforeEach
  void openStore() {
    vertx = Vertx.vertx();
    store = result(open());
  }

  @AfterEach
  void closeStore() {
    result(store.close());
    result(vertx.close());
  }

  static McpServer server(String account, String id) {
    Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
    return McpServer.builder()
        .accountId(account).id(id).name("Server " + id).hostname("https://" + id + ".example.com/mcp")
        .authType(AuthType.BEARER).credentials(new SealedSecret("v1.sealed-" + id))
        .updatedTools(List.of(new CapabilityOverride("echo", "say", "Says it", true)))
        .createdAt(at).createdBy("tester").modifiedAt(at).modifiedBy("tester")
        .build();
  }

  @Test
  void createThenGetReturnsEveryField() {
    McpServer full = server("acme", "full").toBuilder()
        .description("all fields")
        .tools(new JsonArray().add(new JsonObject().put("name", "echo").put("inputSchema", new JsonObject().put("type", "object"))
            .put("_meta", new JsonObject().put("x-unknown", List.of(1, 2)))))
        .prompts(new JsonArray().add(new JsonObject().put("name", "greet")))
        .updatedPrompts(List.of(new CapabilityOverride("greet", null, null, false)))
        .sharedOauthCallbackEnabled(true)
        .status(ServerStatus.ERROR).error("boom")
        .errorDetails(new ErrorDetails("connection refused", false, null, true, null))
        .lastSynced(Instant.parse("2026-01-03T00:00:00Z"))
        .lastSuccessfulSync(Instant.parse("2026-01-02T00:00:00.001Z"))
        .build();
    result(store.create(full));
    McpServer read = result(store.get("acme", "full"));
    assertEquals(StoredServerJson.encode(full), StoredServerJson.encode(read));
    assertEquals("v1.sealed-full", read.credentials().ciphertext());
  }

  @Test
  void anOAuthConnectionIsKeptWithItsSealedTokensAndPendingAuthorization() {
    dev.mcpgateway.model.OAuthConnection connection = new dev.mcpgateway.model.OAuthConnection("https://as.example.com",
        "https://as.example.com/authorize", "https://as.example.com/token", "https://as.example.com/revoke",
        "https://oauth.example.com/mcp", "mcp:tools", "dcr", "client-1", "client_secret_basic", "https://gw.example.com/oauth/callback",
        new SealedSecret("v1.sealed-client-secret"), new SealedSecret("v1.sealed-tokens"), Instant.parse("2026-01-02T04:04:05Z"),
        dev.mcpgateway.model.AuthenticationStatus.CONNECTED, null,
        new dev.mcpgateway.model.OAuthConnection.Pending("nonce-1", new SealedSecret("v1.sealed-verifier"), "admin",
            Instant.parse("2026-01-02T03:14:05Z"), true));
    McpServer oauth = server("acme", "oauth").toBuilder().authType(AuthType.OAUTH).credentials(null).oauth(connection).build();
    result(store.create(oauth));
    McpServer read = result(store.get("acme", "oauth"));
    assertEquals(StoredServerJson.encode(oauth), StoredServerJson.encode(read));
    assertEquals("v1.sealed-tokens", read.oauth().tokens().ciphertext());
    assertEquals(dev.mcpgateway.model.AuthenticationStatus.CONNECTED, read.authenticationStatus());
    McpServer consumed = result(store.update("acme", "oauth", s -> s.toBuilder().oauth(s.oauth().withPending(null)).build()));
    assertEquals(null, consumed.oauth().pending());
    assertEquals(null, result(store.get("acme", "oauth")).oauth().pending());
  }

  @Test
  void userConnectionsAreKeptPerServerAndUserAndUpdatedAtomically() {
    assertNull(result(store.userConnection("acme", "s1", "alice")));
    dev.mcpgateway.model.UserConnection alice = dev.mcpgateway.model.UserConnection.empty("acme", "s1", "alice")
        .withTokens(new SealedSecret("v1.sealed-alice"), Instant.parse("2026-01-02T03:04:05Z"),
            dev.mcpgateway.model.AuthenticationStatus.CONNECTED, null);
    assertEquals(alice, result(store.updateUserConnection("acme", "s1", "alice", current -> {
      assertNull(current);
      return alice;
    })));
    assertEquals(alice, result(store.userConnection("acme", "s1", "alice")));
    assertNull(result(store.userConnection("acme", "s1", "bob")), "one user's connection is not another's");
    assertNull(result(store.userConnection("acme", "s2", "alice")), "nor another server's");
    assertNull(result(store.userConnection("globex", "s1", "alice")), "nor another account's");

    RuntimeException refused = new IllegalStateException("no");
    assertEquals(refused, failure(store.updateUserConnection("acme", "s1", "alice", current -> {
      throw refused;
    })));
    assertEquals(alice, result(store.userConnection("acme", "s1", "alice")), "a throwing update changes nothing");

    // concurrent updates of one connection (and of one that does not exist yet) lose nothing
    List<Future<dev.mcpgateway.model.UserConnection>> appends = IntStream.range(0, 20).mapToObj(i ->
        store.updateUserConnection("acme", "s1", "carol", current -> {
          dev.mcpgateway.model.UserConnection base = current == null ? dev.mcpgateway.model.UserConnection.empty("acme", "s1", "carol") : current;
          return base.withTokens(null, null, dev.mcpgateway.model.AuthenticationStatus.REQUIRED, (base.error() == null ? "" : base.error()) + "x");
        })).toList();
    result(Future.all(appends));
    assertEquals("x".repeat(20), result(store.userConnection("acme", "s1", "carol")).error());

    assertNull(result(store.updateUserConnection("acme", "s1", "carol", current -> null)), "null removes");
    assertNull(result(store.userConnection("acme", "s1", "carol")));
    dev.mcpgateway.model.UserConnection aliceElsewhere = dev.mcpgateway.model.UserConnection.empty("acme", "s2", "alice");
    result(store.updateUserConnection("acme", "s2", "alice", current -> aliceElsewhere));
    List<dev.mcpgateway.model.UserConnection> removed = result(store.deleteUserConnections("acme", "s1"));
    assertEquals(List.of(alice), removed);
    assertNull(result(store.userConnection("acme", "s1", "alice")));
    assertEquals(aliceElsewhere, result(store.userConnection("acme", "s2", "alice")), "another server's connections stay");
  }

  @Test
  void duplicateIdInOneAccountIsRefusedButAnotherAccountMayUseIt() {
    result(store.create(server("acme", "dup")));
    assertInstanceOf(DuplicateServerException.class, failure(store.create(server("acme", "dup"))));
    result(store.create(server("globex", "dup")));
    assertEquals("acme", result(store.get("acme", "dup")).accountId());
    assertEquals("globex", result(store.get("globex", "dup")).accountId());
  }

  @Test
  void unknownIdsAreNotFoundForEveryOperation() {
    result(store.create(server("acme", "known")));
    assertInstanceOf(ServerNotFoundException.class, failure(store.get("acme", "missing")));
    assertInstanceOf(ServerNotFoundException.class, failure(store.get("globex", "known")));
    assertInstanceOf(ServerNotFoundException.class, failure(store.update("acme", "missing", s -> s)));
    assertInstanceOf(ServerNotFoundException.class, failure(store.delete("acme", "missing")));
  }

  @Test
  void updateAppliesTheChangeAtomically() {
    result(store.create(server("acme", "u1")));
    McpServer updated = result(store.update("acme", "u1", s -> s.toBuilder().name("Renamed").description("d").build()));
    assertEquals("Renamed", updated.name());
    McpServer read = result(store.get("acme", "u1"));
    assertEquals("Renamed", read.name());
    assertEquals("d", read.description());
    assertEquals("tester", read.createdBy());
  }

  @Test
  void anUpdateFunctionThatThrowsChangesNothing() {
    McpServer original = result(store.create(server("acme", "keep")));
    IllegalStateException refused = new IllegalStateException("refused by validation");
    Throwable failure = failure(store.update("acme", "keep", s -> {
      throw refused;
    }));
    assertEquals(refused, failure);
    assertEquals(StoredServerJson.encode(original), StoredServerJson.encode(result(store.get("acme", "keep"))));
  }

  @Test
  void anUpdateMayNotMoveAServer() {
    result(store.create(server("acme", "stay")));
    assertInstanceOf(IllegalArgumentException.class, failure(store.update("acme", "stay", s -> s.toBuilder().id("moved").build())));
    assertInstanceOf(ServerNotFoundException.class, failure(store.get("acme", "moved")));
  }

  @Test
  void deleteAnswersTheServerAsItWasAndForgetsIt() {
    result(store.create(server("acme", "gone")));
    McpServer deleted = result(store.delete("acme", "gone"));
    assertEquals("gone", deleted.id());
    assertInstanceOf(ServerNotFoundException.class, failure(store.get("acme", "gone")));
    result(store.create(server("acme", "gone")));
  }

  @Test
  void listPagesInIdOrderWithTotals() {
    for (String id : List.of("c", "a", "e", "b", "d")) result(store.create(server("acme", id)));
    result(store.create(server("globex", "z")));
    ServerPage first = result(store.list("acme", new ServerQuery(1, 2, null)));
    assertEquals(List.of("a", "b"), ids(first));
    assertEquals(5, first.totalCount());
    assertEquals(List.of("c", "d"), ids(result(store.list("acme", new ServerQuery(2, 2, null)))));
    assertEquals(List.of("e"), ids(result(store.list("acme", new ServerQuery(3, 2, null)))));
    ServerPage beyond = result(store.list("acme", new ServerQuery(9, 2, null)));
    assertTrue(beyond.items().isEmpty());
    assertEquals(5, beyond.totalCount());
    assertEquals(0, result(store.list("nobody", new ServerQuery(1, 25, null))).totalCount());
  }

  @Test
  void searchIsACaseInsensitiveSubstringOfIdNameOrHostname() {
    result(store.create(server("acme", "alpha").toBuilder().name("GitHub Tools").build()));
    result(store.create(server("acme", "beta").toBuilder().hostname("https://LINEAR.app/mcp").build()));
    result(store.create(server("acme", "gamma")));
    assertEquals(List.of("alpha"), ids(result(store.list("acme", new ServerQuery(1, 25, "github")))));
    assertEquals(List.of("beta"), ids(result(store.list("acme", new ServerQuery(1, 25, "linear")))));
    assertEquals(List.of("gamma"), ids(result(store.list("acme", new ServerQuery(1, 25, "GAMM")))));
    assertEquals(2, result(store.list("acme", new ServerQuery(1, 25, "example.com/mcp"))).totalCount());
    assertEquals(0, result(store.list("acme", new ServerQuery(1, 25, "%"))).totalCount());
    assertEquals(0, result(store.list("acme", new ServerQuery(1, 25, "_"))).totalCount());
  }

  @Test
  void everyAcknowledgedWriteSurvivesReopening() {
    result(store.create(server("acme", "p1")));
    result(store.create(server("acme", "p2")));
    result(store.update("acme", "p1", s -> s.toBuilder().name("after update").build()));
    result(store.delete("acme", "p2"));
    result(store.close());
    store = result(open());
    assertEquals("after update", result(store.get("acme", "p1")).name());
    assertInstanceOf(ServerNotFoundException.class, failure(store.get("acme", "p2")));
  }

  @Test
  void concurrentCreatesOfOneIdYieldExactlyOneSuccess() {
    List<Future<McpServer>> attempts = new ArrayList<>();
    IntStream.range(0, 60).forEach(i -> attempts.add(store.create(server("acme", "race").toBuilder().name("n" + i).build())));
    result(Future.join(attempts).otherwiseEmpty());
    long successes = attempts.stream().filter(Future::succeeded).count();
    assertEquals(1, successes);
    attempts.stream().filter(Future::failed).forEach(f -> assertInstanceOf(DuplicateServerException.class, f.cause()));
  }

  @Test
  void concurrentUpdatesOfOneServerLoseNoField() {
    result(store.create(server("acme", "many")));
    List<Future<McpServer>> updates = new ArrayList<>();
    int n = 60;
    for (int i = 0; i < n; i++) {
      String tool = "tool-" + i;
      updates.add(store.update("acme", "many", s -> {
        List<CapabilityOverride> overrides = new ArrayList<>(s.updatedTools());
        overrides.add(new CapabilityOverride(tool, null, null, false));
        return s.toBuilder().updatedTools(overrides).build();
      }));
    }
    result(Future.all(updates));
    McpServer read = result(store.get("acme", "many"));
    assertEquals(n + 1, read.updatedTools().size());
  }

  @Test
  void listenersHearOfEveryCreateUpdateAndDelete() throws Exception {
    java.util.concurrent.BlockingQueue<dev.mcpgateway.model.ServerKey> heard = new java.util.concurrent.LinkedBlockingQueue<>();
    store.onChange(heard::add);
    result(store.create(server("acme", "watched")));
    result(store.update("acme", "watched", s -> s.toBuilder().name("changed").build()));
    result(store.delete("acme", "watched"));
    dev.mcpgateway.model.ServerKey key = new dev.mcpgateway.model.ServerKey("acme", "watched");
    for (int i = 0; i < 3; i++) {
      assertEquals(key, heard.poll(5, java.util.concurrent.TimeUnit.SECONDS), "change " + (i + 1) + " not heard");
    }
    Throwable refused = failure(store.update("acme", "missing", s -> s));
    assertInstanceOf(ServerNotFoundException.class, refused);
    assertNull(heard.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS), "a failed write is no change");
  }

  @Test
  void syncStatesCoverEveryServerOfEveryAccount() {
    Instant synced = Instant.parse("2026-03-01T00:00:00Z");
    result(store.create(server("acme", "s1")));
    result(store.create(server("globex", "s2").toBuilder().status(ServerStatus.READY).lastSynced(synced).lastSuccessfulSync(synced).build()));
    List<SyncState> states = result(store.syncStates()).stream()
        .sorted(java.util.Comparator.comparing(s -> s.key().id())).toList();
    assertEquals(2, states.size());
    assertEquals(new SyncState(new dev.mcpgateway.model.ServerKey("acme", "s1"), ServerStatus.WAITING, null, null,
        Instant.parse("2026-01-02T03:04:05.678Z")), states.get(0));
    assertEquals(ServerStatus.READY, states.get(1).status());
    assertEquals(synced, states.get(1).lastSynced());
  }

  @Test
  void pingSucceedsWhileOpen() {
    assertNull(result(store.ping()));
  }

  // ------------------------------------------------------------------------------------ audit trail

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
    AuditEntry stored = result(store.appendAudit(sent));
    assertTrue(stored.id() != null && stored.id() > 0, "an id is assigned: " + stored.id());
    assertEquals(sent.withId(stored.id()), stored);
    AuditPage page = result(store.listAudit("acme", new AuditQuery(1, 25, null)));
    assertEquals(List.of(stored), page.items());
    assertEquals(1, page.totalCount());
    AuditEntry created = result(store.appendAudit(audit("acme", "a1", AuditEntry.Action.CREATE, 2)));
    AuditEntry deleted = result(store.appendAudit(audit("acme", "a1", AuditEntry.Action.DELETE, 3)));
    List<AuditEntry> read = result(store.listAudit("acme", new AuditQuery(1, 25, null))).items();
    assertEquals(List.of(deleted, created, stored), read);
    assertNull(read.get(1).before());
    assertNull(read.get(0).after());
  }

  @Test
  void theAuditTrailListsNewestFirstInPagesWithTotals() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(result(store.appendAudit(audit("acme", "s" + i, AuditEntry.Action.CREATE, i))).id());
    for (int i = 1; i < ids.size(); i++) assertTrue(ids.get(i) > ids.get(i - 1), "ids increase: " + ids);
    AuditPage first = result(store.listAudit("acme", new AuditQuery(1, 2, null)));
    assertEquals(List.of("s4", "s3"), serverIds(first));
    assertEquals(5, first.totalCount());
    assertEquals(List.of("s2", "s1"), serverIds(result(store.listAudit("acme", new AuditQuery(2, 2, null)))));
    assertEquals(List.of("s0"), serverIds(result(store.listAudit("acme", new AuditQuery(3, 2, null)))));
    AuditPage beyond = result(store.listAudit("acme", new AuditQuery(9, 2, null)));
    assertTrue(beyond.items().isEmpty());
    assertEquals(5, beyond.totalCount());
  }

  @Test
  void theAuditTrailFiltersByServer() {
    result(store.appendAudit(audit("acme", "one", AuditEntry.Action.CREATE, 1)));
    result(store.appendAudit(audit("acme", "two", AuditEntry.Action.CREATE, 2)));
    result(store.appendAudit(audit("acme", "one", AuditEntry.Action.UPDATE, 3)));
    result(store.appendAudit(audit("acme", "one-more", AuditEntry.Action.CREATE, 4)));
    result(store.appendAudit(audit("acme", "one", AuditEntry.Action.DELETE, 5)));
    AuditPage one = result(store.listAudit("acme", new AuditQuery(1, 2, "one")));
    assertEquals(3, one.totalCount());
    assertEquals(List.of(AuditEntry.Action.DELETE, AuditEntry.Action.UPDATE), one.items().stream().map(AuditEntry::action).toList());
    assertEquals(List.of(AuditEntry.Action.CREATE),
        result(store.listAudit("acme", new AuditQuery(2, 2, "one"))).items().stream().map(AuditEntry::action).toList());
    assertEquals(List.of("two"), serverIds(result(store.listAudit("acme", new AuditQuery(1, 25, "two")))));
    assertEquals(0, result(store.listAudit("acme", new AuditQuery(1, 25, "On"))).totalCount());
    assertEquals(0, result(store.listAudit("acme", new AuditQuery(1, 25, "nothing"))).totalCount());
  }

  @Test
  void eachAccountSeesOnlyItsOwnAuditTrail() {
    result(store.appendAudit(audit("acme", "same", AuditEntry.Action.CREATE, 1)));
    result(store.appendAudit(audit("globex", "same", AuditEntry.Action.CREATE, 2)));
    result(store.appendAudit(audit("globex", "other", AuditEntry.Action.CREATE, 3)));
    AuditPage acme = result(store.listAudit("acme", new AuditQuery(1, 25, null)));
    assertEquals(1, acme.totalCount());
    assertEquals("acme", acme.items().get(0).accountId());
    assertEquals(2, result(store.listAudit("globex", new AuditQuery(1, 25, null))).totalCount());
    assertEquals(1, result(store.listAudit("globex", new AuditQuery(1, 25, "same"))).totalCount());
    assertEquals(0, result(store.listAudit("nobody", new AuditQuery(1, 25, null))).totalCount());
    assertTrue(result(store.listAudit("nobody", new AuditQuery(1, 25, "same"))).items().isEmpty());
  }

  @Test
  void everyAcknowledgedAuditEntrySurvivesReopeningAndLaterOnesFollowIt() {
    List<AuditEntry> appended = new ArrayList<>();
    for (int i = 0; i < 3; i++) appended.add(result(store.appendAudit(audit("acme", "p" + i, AuditEntry.Action.UPDATE, i))));
    result(store.close());
    store = result(open());
    AuditPage reopened = result(store.listAudit("acme", new AuditQuery(1, 25, null)));
    assertEquals(List.of(appended.get(2), appended.get(1), appended.get(0)), reopened.items());
    AuditEntry later = result(store.appendAudit(audit("acme", "p0", AuditEntry.Action.DELETE, 9)));
    assertTrue(later.id() > appended.get(2).id(), "ids keep increasing after a restart");
    assertEquals(later, result(store.listAudit("acme", new AuditQuery(1, 1, null))).items().get(0));
  }

  @Test
  void concurrentAuditAppendsGetDistinctIdsAndAreAllKept() {
    List<Future<AuditEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 60; i++) appends.add(store.appendAudit(audit("acme", "c" + (i % 3), AuditEntry.Action.UPDATE, i)));
    result(Future.all(appends));
    assertEquals(60, appends.stream().map(f -> f.result().id()).distinct().count());
    AuditPage all = result(store.listAudit("acme", new AuditQuery(1, 100, null)));
    assertEquals(60, all.totalCount());
    List<Long> ids = all.items().stream().map(AuditEntry::id).toList();
    assertEquals(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList(), ids, "newest (largest id) first");
  }

  private static List<String> serverIds(AuditPage page) {
    return page.items().stream().map(AuditEntry::serverId).toList();
  }

  private static List<String> ids(ServerPage page) {
    return page.items().stream().map(McpServer::id).toList();
  }
}
