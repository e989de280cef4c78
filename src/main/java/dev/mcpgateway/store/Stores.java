package dev.mcpgateway.store;

import io.vertx.core.Future;

/**
 * The gateway's stores over one backing storage (a data directory, or one PostgreSQL pool), as
 * {@link StoreSettings#open} makes them. They share that storage, so they are closed together.
 */
public record Stores(ServerStore servers, PortalStore portals, AuditLog audit, UserConnections users, PortalToggles toggles,
    SessionRevocations revocations, ServiceTokenStore serviceTokens, PolicyStore policies, SignInStore signIn, ToolCallCounts toolCalls, Closer closer) {

  /** Releases the shared storage (the embedded store's writer; the pool and the LISTEN connection). */
  @FunctionalInterface
  public interface Closer {
    Future<Void> close();
  }

  /** Closes them all. Every acknowledged write is durable already; after this, writes and pings fail with {@link StoreUnavailableException}. */
  public Future<Void> close() {
    return closer.close();
  }
}
