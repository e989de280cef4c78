package dev.mcpgateway.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * What one tool-call count is kept under: the account, the quarter hour (UTC) the call ended in,
 * the server that answered it, the portal it came through (null on the server's own endpoint) and
 * the tool's exposed name as the agent called it (the alias on a server's endpoint,
 * {@code {server_id}_{tool}} through a portal, {@code other} for a name the server does not have).
 *
 * <p>Why quarter hours: the analytics API answers days in any fixed offset from {@code -12:00} to
 * {@code +14:00}, and every offset in use is a multiple of 15 minutes ({@code +05:45}, {@code +08:45},
 * {@code -09:30}...), so a day in any of them is a whole number of quarters. Hours would answer the
 * {@code :30} and {@code :45} offsets wrongly; minutes would multiply the rows by 15 for nothing.
 */
public record ToolCallKey(String accountId, Instant bucket, String serverId, String portalId, String tool) {
  public static final long BUCKET_SECONDS = 15 * 60;
  /** A stable order (account, bucket, server, portal, tool): PostgreSQL upserts take their row locks in it, so replicas cannot deadlock. */
  public static final Comparator<ToolCallKey> ORDER = Comparator.comparing(ToolCallKey::accountId)
      .thenComparing(ToolCallKey::bucket).thenComparing(ToolCallKey::serverId)
      .thenComparing(k -> k.portalId() == null ? "" : k.portalId()).thenComparing(ToolCallKey::tool);

  public ToolCallKey {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(tool, "tool");
    if (bucket.getEpochSecond() % BUCKET_SECONDS != 0 || bucket.getNano() != 0) {
      throw new IllegalArgumentException("not the start of a quarter hour: " + bucket);
    }
    if (portalId != null && portalId.isEmpty()) portalId = null;
  }

  /** The start of the quarter hour (UTC) that {@code at} falls in. */
  public static Instant bucketOf(Instant at) {
    long seconds = at.getEpochSecond();
    return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, BUCKET_SECONDS));
  }
}
