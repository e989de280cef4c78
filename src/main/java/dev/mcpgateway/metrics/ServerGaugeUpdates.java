package dev.mcpgateway.metrics;

import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.store.ServerStore;

/**
 * Keeps the per-server gauges (tools, prompts, seconds since the last successful sync) in step with
 * the store: every change re-reads the server (a sync is a change), a deleted server's gauges are
 * removed. With PostgreSQL this also follows changes made by other replicas.
 */
public final class ServerGaugeUpdates {
  private ServerGaugeUpdates() {}

  public static void follow(ServerStore store, GatewayMetrics metrics) {
    store.onChange(key -> {
      if (key.equals(ServerKey.EVERYTHING)) return;
      store.get(key.accountId(), key.id())
          .onSuccess(server -> metrics.serverState(key, server.tools().size(), server.prompts().size(), server.lastSuccessfulSync(),
              dev.mcpgateway.sync.HeldBack.of(server).count()))
          .onFailure(e -> {
            if (e instanceof ServerNotFoundException) metrics.serverGone(key);
          });
    });
  }
}
