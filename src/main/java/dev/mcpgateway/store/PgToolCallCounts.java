package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.translate;

import dev.mcpgateway.model.ToolCallKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL store's tool-call counts: table {@code mcp_tool_call_counts} (migration V12). A
 * batch is one statement over arrays ({@code unnest}), so it is one round trip and one transaction
 * however many keys it holds; its rows go in {@link ToolCallKey#ORDER}, so two replicas adding to
 * the same keys lock them in the same order and never deadlock.
 */
final class PgToolCallCounts implements ToolCallCounts {
  private static final String ADD = "INSERT INTO mcp_tool_call_counts (account_id, bucket, server_id, portal_id, tool, count) "
      + "SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[]) "
      + "ON CONFLICT (account_id, bucket, server_id, portal_id, tool) "
      + "DO UPDATE SET count = mcp_tool_call_counts.count + EXCLUDED.count";
  private static final String READ = "SELECT bucket, server_id, portal_id, tool, count FROM mcp_tool_call_counts "
      + "WHERE account_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::text IS NULL OR server_id = $4) "
      + "AND ($5::text IS NULL OR portal_id = $5)";

  private final Pool pool;

  PgToolCallCounts(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> add(Map<ToolCallKey, Long> counts) {
    if (counts.isEmpty()) return Future.succeededFuture();
    List<ToolCallKey> keys = counts.keySet().stream().sorted(ToolCallKey.ORDER).toList();
    int n = keys.size();
    String[] accounts = new String[n];
    OffsetDateTime[] buckets = new OffsetDateTime[n];
    String[] servers = new String[n];
    String[] portals = new String[n];
    String[] tools = new String[n];
    Long[] values = new Long[n];
    for (int i = 0; i < n; i++) {
      ToolCallKey key = keys.get(i);
      long count = counts.get(key);
      if (count <= 0) return Future.failedFuture(new IllegalArgumentException("counts must be positive: " + key + " " + count));
      accounts[i] = key.accountId();
      buckets[i] = at(key.bucket());
      servers[i] = key.serverId();
      portals[i] = key.portalId() == null ? "" : key.portalId();
      tools[i] = key.tool();
      values[i] = count;
    }
    Tuple arrays = Tuple.tuple().addValue(accounts).addValue(buckets).addValue(servers).addValue(portals).addValue(tools).addValue(values);
    return translate(pool.preparedQuery(ADD).execute(arrays).mapEmpty());
  }

  @Override
  public Future<Map<ToolCallKey, Long>> read(ToolCallQuery query) {
    Tuple args = Tuple.tuple().addValue(query.accountId()).addValue(at(query.from())).addValue(at(query.to()))
        .addValue(query.serverId()).addValue(query.portalId());
    return translate(pool.preparedQuery(READ).execute(args).map(rows -> {
      Map<ToolCallKey, Long> counts = new HashMap<>();
      for (Row row : rows) {
        counts.put(new ToolCallKey(query.accountId(), row.getOffsetDateTime(0).toInstant(), row.getString(1), row.getString(2), row.getString(3)),
            row.getLong(4));
      }
      return Map.copyOf(counts);
    }));
  }

  @Override
  public Future<Integer> purgeBefore(Instant cutoff) {
    return translate(pool.preparedQuery("DELETE FROM mcp_tool_call_counts WHERE bucket < $1").execute(Tuple.of(at(cutoff)))
        .map(rows -> rows.rowCount()));
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
