package dev.mcpgateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.McpServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The upstream's ttlMs / cacheScope as the gateway's list cache applies them. */
class CacheHintsTest {
  static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

  static McpServer server(AuthType auth, boolean onBehalf) {
    return McpServer.builder().accountId("acme").id("s").name("S").hostname("https://s.example.com/mcp").authType(auth)
        .oauthOnBehalf(onBehalf).createdAt(AT).createdBy("t").modifiedAt(AT).modifiedBy("t").build();
  }

  @Test
  void aPrivateListIsNeverSharedAcrossTheUsersOfAnOnBehalfServer() {
    CacheHints privateList = CacheHints.of(new JsonObject().put("ttlMs", 0).put("cacheScope", "private"), AT);
    CacheHints publicList = CacheHints.of(new JsonObject().put("ttlMs", 0).put("cacheScope", "public"), AT);
    assertFalse(privateList.servesEveryAgent(server(AuthType.OAUTH, true)), "each user is their own authorization context");
    assertTrue(publicList.servesEveryAgent(server(AuthType.OAUTH, true)));
    // every agent of these servers reaches the upstream with the credentials the sync used: one context
    assertTrue(privateList.servesEveryAgent(server(AuthType.OAUTH, false)));
    assertTrue(privateList.servesEveryAgent(server(AuthType.BEARER, false)));
    assertTrue(privateList.servesEveryAgent(server(AuthType.UNAUTHENTICATED, false)));
  }

  @Test
  void missingOrUnknownScopesArePrivateAndPagesCombineToTheNarrowest() {
    assertTrue(CacheHints.of(new JsonObject(), AT).privateScope());
    assertTrue(CacheHints.of(new JsonObject().put("cacheScope", "shared?"), AT).privateScope());
    CacheHints combined = CacheHints.of(new JsonObject().put("ttlMs", 60_000).put("cacheScope", "public"), AT)
        .and(CacheHints.of(new JsonObject().put("ttlMs", 5_000).put("cacheScope", "private"), AT));
    assertEquals(5_000, combined.ttlMs());
    assertTrue(combined.privateScope());
    assertEquals(0, CacheHints.of(new JsonObject().put("ttlMs", -5), AT).ttlMs(), "a negative ttl is no ttl");
  }

  @Test
  void onlyAPositiveTtlExpires() {
    CacheHints fresh = CacheHints.of(new JsonObject().put("ttlMs", 1_000).put("cacheScope", "public"), AT);
    assertFalse(fresh.expired(AT.plusMillis(1_000)));
    assertTrue(fresh.expired(AT.plusMillis(1_001)));
    assertFalse(CacheHints.of(new JsonObject().put("ttlMs", 0), AT).expired(AT.plusSeconds(3_600)),
        "ttlMs 0 allows a re-fetch on every list; the gateway keeps its synced copy until the next sync or list change");
  }
}
