package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.ErrorDetails;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.ServerStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one contract every {@link ServerStore} passes, run against the embedded store and PostgreSQL. */
abstract class ServerStoreContract extends StoresFixture {

  ServerStore store() {
    return stores.servers();
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
    result(store().create(full));
    McpServer read = result(store().get("acme", "full"));
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
    result(store().create(oauth));
    McpServer read = result(store().get("acme", "oauth"));
    assertEquals(StoredServerJson.encode(oauth), StoredServerJson.encode(read));
    assertEquals("v1.sealed-tokens", read.oauth().tokens().ciphertext());
    assertEquals(dev.mcpgateway.model.AuthenticationStatus.CONNECTED, read.authenticationStatus());
    McpServer consumed = result(store().update("acme", "oauth", s -> s.toBuilder().oauth(s.oauth().withPending(null)).build()));
    assertEquals(null, consumed.oauth().pending());
    assertEquals(null, result(store().get("acme", "oauth")).oauth().pending());
  }

  @Test
  void duplicateIdInOneAccountIsRefusedButAnotherAccountMayUseIt() {
    result(store().create(server("acme", "dup")));
    assertInstanceOf(DuplicateServerException.class, failure(store().create(server("acme", "dup"))));
    result(store().create(server("globex", "dup")));
    assertEquals("acme", result(store().get("acme", "dup")).accountId());
    assertEquals("globex", result(store().get("globex", "dup")).accountId());
  }

  @Test
  void unknownIdsAreNotFoundForEveryOperation() {
    result(store().create(server("acme", "known")));
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "missing")));
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("globex", "known")));
    assertInstanceOf(ServerNotFoundException.class, failure(store().update("acme", "missing", s -> s)));
    assertInstanceOf(ServerNotFoundException.class, failure(store().delete("acme", "missing")));
  }

  @Test
  void updateAppliesTheChangeAtomically() {
    result(store().create(server("acme", "u1")));
    McpServer updated = result(store().update("acme", "u1", s -> s.toBuilder().name("Renamed").description("d").build()));
    assertEquals("Renamed", updated.name());
    McpServer read = result(store().get("acme", "u1"));
    assertEquals("Renamed", read.name());
    assertEquals("d", read.description());
    assertEquals("tester", read.createdBy());
  }

  @Test
  void anUpdateFunctionThatThrowsChangesNothing() {
    McpServer original = result(store().create(server("acme", "keep")));
    IllegalStateException refused = new IllegalStateException("refused by validation");
    Throwable failure = failure(store().update("acme", "keep", s -> {
      throw refused;
    }));
    assertEquals(refused, failure);
    assertEquals(StoredServerJson.encode(original), StoredServerJson.encode(result(store().get("acme", "keep"))));
  }

  @Test
  void anUpdateMayNotMoveAServer() {
    result(store().create(server("acme", "stay")));
    assertInstanceOf(IllegalArgumentException.class, failure(store().update("acme", "stay", s -> s.toBuilder().id("moved").build())));
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "moved")));
  }

  @Test
  void deleteAnswersTheServerAsItWasAndForgetsIt() {
    result(store().create(server("acme", "gone")));
    McpServer deleted = result(store().delete("acme", "gone"));
    assertEquals("gone", deleted.id());
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "gone")));
    result(store().create(server("acme", "gone")));
  }

  @Test
  void aServerThatPortalsUseCannotBeDeletedUntilTheyLetItGo() {
    result(store().create(server("acme", "used")));
    result(store().create(server("acme", "other")));
    result(store().create(server("globex", "used")));
    for (String portal : List.of("zeta", "alpha")) {
      result(stores.portals().create(PortalStoreContract.portal("acme", portal, portal + ".example", "other", "used")));
    }
    ServerInUseException inUse = assertInstanceOf(ServerInUseException.class, failure(store().delete("acme", "used")));
    assertEquals(List.of("alpha", "zeta"), inUse.portalIds());
    assertEquals("used", result(store().get("acme", "used")).id(), "a refused delete removed nothing");
    result(store().delete("globex", "used"));

    result(stores.portals().update("acme", "alpha", p -> p.withServers(p.servers().subList(0, 1))));
    assertEquals(List.of("zeta"), assertInstanceOf(ServerInUseException.class, failure(store().delete("acme", "used"))).portalIds());
    result(stores.portals().delete("acme", "zeta"));
    assertEquals("used", result(store().delete("acme", "used")).id());
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "used")));
  }

  @Test
  void listPagesInIdOrderWithTotals() {
    for (String id : List.of("c", "a", "e", "b", "d")) result(store().create(server("acme", id)));
    result(store().create(server("globex", "z")));
    ServerPage first = result(store().list("acme", new ServerQuery(1, 2, null)));
    assertEquals(List.of("a", "b"), ids(first));
    assertEquals(5, first.totalCount());
    assertEquals(List.of("c", "d"), ids(result(store().list("acme", new ServerQuery(2, 2, null)))));
    assertEquals(List.of("e"), ids(result(store().list("acme", new ServerQuery(3, 2, null)))));
    ServerPage beyond = result(store().list("acme", new ServerQuery(9, 2, null)));
    assertTrue(beyond.items().isEmpty());
    assertEquals(5, beyond.totalCount());
    assertEquals(0, result(store().list("nobody", new ServerQuery(1, 25, null))).totalCount());
  }

  @Test
  void searchIsACaseInsensitiveSubstringOfIdNameOrHostname() {
    result(store().create(server("acme", "alpha").toBuilder().name("GitHub Tools").build()));
    result(store().create(server("acme", "beta").toBuilder().hostname("https://LINEAR.app/mcp").build()));
    result(store().create(server("acme", "gamma")));
    assertEquals(List.of("alpha"), ids(result(store().list("acme", new ServerQuery(1, 25, "github")))));
    assertEquals(List.of("beta"), ids(result(store().list("acme", new ServerQuery(1, 25, "linear")))));
    assertEquals(List.of("gamma"), ids(result(store().list("acme", new ServerQuery(1, 25, "GAMM")))));
    assertEquals(2, result(store().list("acme", new ServerQuery(1, 25, "example.com/mcp"))).totalCount());
    assertEquals(0, result(store().list("acme", new ServerQuery(1, 25, "%"))).totalCount());
    assertEquals(0, result(store().list("acme", new ServerQuery(1, 25, "_"))).totalCount());
  }

  @Test
  void everyAcknowledgedWriteSurvivesReopening() {
    result(store().create(server("acme", "p1")));
    result(store().create(server("acme", "p2")));
    result(store().update("acme", "p1", s -> s.toBuilder().name("after update").build()));
    result(store().delete("acme", "p2"));
    reopen();
    assertEquals("after update", result(store().get("acme", "p1")).name());
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "p2")));
  }

  @Test
  void concurrentCreatesOfOneIdYieldExactlyOneSuccess() {
    List<Future<McpServer>> attempts = new ArrayList<>();
    IntStream.range(0, 60).forEach(i -> attempts.add(store().create(server("acme", "race").toBuilder().name("n" + i).build())));
    result(Future.join(attempts).otherwiseEmpty());
    long successes = attempts.stream().filter(Future::succeeded).count();
    assertEquals(1, successes);
    attempts.stream().filter(Future::failed).forEach(f -> assertInstanceOf(DuplicateServerException.class, f.cause()));
  }

  @Test
  void concurrentUpdatesOfOneServerLoseNoField() {
    result(store().create(server("acme", "many")));
    List<Future<McpServer>> updates = new ArrayList<>();
    int n = 60;
    for (int i = 0; i < n; i++) {
      String tool = "tool-" + i;
      updates.add(store().update("acme", "many", s -> {
        List<CapabilityOverride> overrides = new ArrayList<>(s.updatedTools());
        overrides.add(new CapabilityOverride(tool, null, null, false));
        return s.toBuilder().updatedTools(overrides).build();
      }));
    }
    result(Future.all(updates));
    McpServer read = result(store().get("acme", "many"));
    assertEquals(n + 1, read.updatedTools().size());
  }

  @Test
  void listenersHearOfEveryCreateUpdateAndDelete() throws Exception {
    java.util.concurrent.BlockingQueue<dev.mcpgateway.model.ServerKey> heard = new java.util.concurrent.LinkedBlockingQueue<>();
    store().onChange(heard::add);
    result(store().create(server("acme", "watched")));
    result(store().update("acme", "watched", s -> s.toBuilder().name("changed").build()));
    result(store().delete("acme", "watched"));
    dev.mcpgateway.model.ServerKey key = new dev.mcpgateway.model.ServerKey("acme", "watched");
    for (int i = 0; i < 3; i++) {
      assertEquals(key, heard.poll(5, java.util.concurrent.TimeUnit.SECONDS), "change " + (i + 1) + " not heard");
    }
    Throwable refused = failure(store().update("acme", "missing", s -> s));
    assertInstanceOf(ServerNotFoundException.class, refused);
    assertNull(heard.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS), "a failed write is no change");
  }

  @Test
  void syncStatesCoverEveryServerOfEveryAccount() {
    Instant synced = Instant.parse("2026-03-01T00:00:00Z");
    result(store().create(server("acme", "s1")));
    result(store().create(server("globex", "s2").toBuilder().status(ServerStatus.READY).lastSynced(synced).lastSuccessfulSync(synced).build()));
    List<SyncState> states = result(store().syncStates()).stream()
        .sorted(java.util.Comparator.comparing(s -> s.key().id())).toList();
    assertEquals(2, states.size());
    assertEquals(new SyncState(new dev.mcpgateway.model.ServerKey("acme", "s1"), ServerStatus.WAITING, null, null,
        Instant.parse("2026-01-02T03:04:05.678Z")), states.get(0));
    assertEquals(ServerStatus.READY, states.get(1).status());
    assertEquals(synced, states.get(1).lastSynced());
  }

  @Test
  void pingSucceedsWhileOpen() {
    assertNull(result(store().ping()));
  }

  @Test
  void onceTheStoresAreClosedPingAndWritesFailAsUnavailable() {
    ServerStore closed = store();
    result(stores.close());
    assertInstanceOf(StoreUnavailableException.class, failure(closed.ping()));
    assertInstanceOf(StoreUnavailableException.class, failure(closed.create(server("acme", "late"))));
    stores = result(open());
    assertInstanceOf(ServerNotFoundException.class, failure(store().get("acme", "late")), "a refused write left nothing");
  }

  private static List<String> ids(ServerPage page) {
    return page.items().stream().map(McpServer::id).toList();
  }
}
