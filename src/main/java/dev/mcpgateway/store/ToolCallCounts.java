package dev.mcpgateway.store;

import dev.mcpgateway.model.ToolCallKey;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;

/**
 * Tool calls counted per {@link ToolCallKey} (account, quarter hour, server, portal, tool), kept for
 * the analytics API. Additive: every replica adds what it counted since its last flush, so the
 * stored count is the sum over replicas. Every implementation passes {@code ToolCallCountsContract};
 * every method is non-blocking; unreachable storage fails with {@link StoreUnavailableException}.
 */
public interface ToolCallCounts {

  /**
   * Adds each count (positive) to what is stored under its key. All or nothing when every key falls
   * in one UTC day (the flusher's batches do; the embedded store keeps a file per account and day);
   * on PostgreSQL always. Durable once the future succeeds.
   */
  Future<Void> add(Map<ToolCallKey, Long> counts);

  /** The stored counts {@code query} selects, by key. */
  Future<Map<ToolCallKey, Long>> read(ToolCallQuery query);

  /** Removes every count whose bucket starts before {@code cutoff} (the caller's clock); answers how many keys went. */
  Future<Integer> purgeBefore(Instant cutoff);
}
