package dev.mcpgateway.analytics;

import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.ToolCallSink;
import dev.mcpgateway.model.ToolCallKey;
import dev.mcpgateway.store.ToolCallQuery;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This replica's tool calls not yet in the store, by {@link ToolCallKey}: counted on the hot path
 * (any event loop), drained by the {@link ToolCallFlusher}, put back when a flush fails. Counting
 * never fails and never waits on I/O: one {@code ConcurrentHashMap.merge}.
 *
 * <p>Why {@code merge} on boxed longs rather than a map of {@code LongAdder}s: draining adders means
 * removing them, and an increment racing the removal lands in an adder nobody reads any more; a
 * {@code merge} and a {@code remove} of one key are atomic with each other, so nothing is lost or
 * counted twice. Its cost (one bin lock) is nothing beside the proxied call it counts.
 *
 * <p>Bounded: at most {@code maxPending} keys. A store outage keeps counts here (a key per quarter
 * hour, server, portal and tool called), so a long one could otherwise grow memory without end;
 * beyond the bound, calls under new keys are dropped and counted in {@link #dropped()} — calls under
 * keys already held are still counted.
 */
public final class ToolCallCounter implements ToolCallSink {
  private final Clock clock;
  private final int maxPending;
  private final ConcurrentHashMap<ToolCallKey, Long> pending = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();

  public ToolCallCounter(Clock clock, int maxPending) {
    this.clock = clock;
    this.maxPending = maxPending;
  }

  /**
   * One tool call, with the labels of {@code mcp_gateway_tool_calls_total}. A call the gateway could
   * attribute to no account (refused before any server was known: account and server both
   * {@code unknown}) has no account to report it to and is left out.
   */
  @Override
  public void toolCall(String account, String server, String portal, String tool) {
    if (GatewayMetrics.UNKNOWN.equals(account) && GatewayMetrics.UNKNOWN.equals(server)) return;
    if (account == null || server == null || tool == null) return;
    add(new ToolCallKey(account, ToolCallKey.bucketOf(clock.instant()), server, portal, tool), 1);
  }

  /** Takes every pending count out (for a flush); each key's count is either in the answer or still here, never both. */
  Map<ToolCallKey, Long> drain() {
    Map<ToolCallKey, Long> drained = new HashMap<>();
    for (ToolCallKey key : pending.keySet()) {
      Long count = pending.remove(key);
      if (count != null) drained.put(key, count);
    }
    return drained;
  }

  /** Puts back counts a flush could not store, to be retried with the next one (within the bound). */
  void putBack(Map<ToolCallKey, Long> counts) {
    counts.forEach(this::add);
  }

  /** The pending counts {@code query} selects: a read adds them to the stored ones, so this replica's calls show at once. */
  public Map<ToolCallKey, Long> pending(ToolCallQuery query) {
    Map<ToolCallKey, Long> selected = new HashMap<>();
    pending.forEach((key, count) -> {
      if (!key.accountId().equals(query.accountId())) return;
      if (key.bucket().isBefore(query.from()) || !key.bucket().isBefore(query.to())) return;
      if (query.serverId() != null && !query.serverId().equals(key.serverId())) return;
      if (query.portalId() != null && !query.portalId().equals(key.portalId())) return;
      selected.put(key, count);
    });
    return selected;
  }

  /** Distinct keys held unflushed. */
  public int size() {
    return pending.size();
  }

  /** Calls dropped because {@code max_pending} keys were held already. */
  public long dropped() {
    return dropped.sum();
  }

  private void add(ToolCallKey key, long count) {
    // the bound is checked before the merge, so concurrent callers may overshoot it by a few keys: harmless
    if (pending.size() >= maxPending && !pending.containsKey(key)) {
      dropped.add(count);
      return;
    }
    pending.merge(key, count, Long::sum);
  }
}
