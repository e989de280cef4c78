package dev.mcpgateway.sync;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.McpServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a stateless-era upstream (2026-07-28) said about caching one of its lists at the last sync:
 * {@code ttlMs} (how long it stays fresh; 0: stale at once) and {@code cacheScope} ({@code private}:
 * never to be served to another authorization context). Session-era upstreams say nothing, and
 * their lists are kept until the next sync as before.
 */
public record CacheHints(long ttlMs, boolean privateScope, Instant fetchedAt) {

  /** The hints of one page; across pages the shortest ttl and the narrowest scope win. */
  static CacheHints of(JsonObject result, Instant fetchedAt) {
    long ttl = result.getValue("ttlMs") instanceof Number n ? Math.max(0, n.longValue()) : 0;
    return new CacheHints(ttl, !"public".equals(result.getValue("cacheScope")), fetchedAt);
  }

  CacheHints and(CacheHints other) {
    return new CacheHints(Math.min(ttlMs, other.ttlMs), privateScope || other.privateScope, fetchedAt);
  }

  /**
   * Whether the synced list may answer every agent of the server. The sync fetched it with the
   * server's own credentials, which is also what every agent's request upstream carries — one
   * authorization context — except on an on-behalf server, where each user is their own: a
   * private list is then fetched for each agent with its own token instead.
   */
  public boolean servesEveryAgent(McpServer server) {
    return !privateScope || !(server.authType() == AuthType.OAUTH && server.oauthOnBehalf());
  }

  /** Whether a positive ttl has run out (a zero ttl only allows re-fetching; it does not force it). */
  public boolean expired(Instant now) {
    return ttlMs > 0 && now.isAfter(fetchedAt.plusMillis(ttlMs));
  }
}
