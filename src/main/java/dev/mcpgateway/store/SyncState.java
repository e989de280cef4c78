package dev.mcpgateway.store;

import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ServerStatus;
import java.time.Instant;

/** What the sync scheduler needs of every server, without its (possibly large) tool lists. */
public record SyncState(ServerKey key, ServerStatus status, Instant lastSynced, Instant lastSuccessfulSync, Instant createdAt) {}
