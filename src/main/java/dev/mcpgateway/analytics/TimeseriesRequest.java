package dev.mcpgateway.analytics;

import java.time.ZoneOffset;

/**
 * A timeseries request's query, valid: {@code granularity} daily or monthly, {@code aggregate},
 * {@code tz} as the caller wrote it (echoed back) with the fixed offset it names, and {@code days}
 * (the daily window; a monthly window covers retention instead).
 */
public record TimeseriesRequest(Granularity granularity, boolean aggregate, String tz, ZoneOffset offset, int days) {
  public static final int DEFAULT_DAYS = 7;
  public static final int MAX_DAYS = 179;

  public enum Granularity {
    DAILY, MONTHLY;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
