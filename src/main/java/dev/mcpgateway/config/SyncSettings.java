package dev.mcpgateway.config;

import dev.mcpgateway.sync.SyncScheduler;

/**
 * {@code sync}: the background schedule, how many list pages one sync follows, and whether a newly
 * created server is synced at once.
 */
public record SyncSettings(SyncScheduler.Settings schedule, int maxPages, boolean onCreate) {

  public static SyncSettings from(ConfigSection sync) {
    return new SyncSettings(
        new SyncScheduler.Settings(
            sync.millis("interval_ms"),
            sync.millis("retry_base_ms"),
            sync.millis("sweep_ms"),
            sync.decimal("jitter", 0, 0.5),
            sync.integer("concurrency", 1, 1000)),
        sync.integer("max_pages", 1, 100_000),
        sync.bool("on_create"));
  }
}
