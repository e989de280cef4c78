package dev.mcpgateway.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.analytics.TimeseriesRequest.Granularity;
import dev.mcpgateway.model.ToolCallKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Windows and periods in every kind of offset, as a table; counts summed into them. */
class TimeseriesTest {
  static final Instant NOW = Instant.parse("2026-03-04T23:50:00Z");

  static TimeseriesRequest request(Granularity granularity, boolean aggregate, String tz, int days) {
    return new TimeseriesRequest(granularity, aggregate, tz, tz.equals("utc") ? ZoneOffset.UTC : ZoneOffset.of(tz), days);
  }

  @ParameterizedTest(name = "{0} days={1} tz={2}: {3} .. {4}")
  @CsvSource({
      "DAILY, 7, utc, 2026-02-26T00:00:00Z, 2026-03-05T00:00:00Z, 2026-02-26, 7",
      "DAILY, 1, +05:30, 2026-03-04T18:30:00Z, 2026-03-05T18:30:00Z, 2026-03-05, 1",
      "DAILY, 2, -09:30, 2026-03-03T09:30:00Z, 2026-03-05T09:30:00Z, 2026-03-03, 2",
      "DAILY, 1, +14:00, 2026-03-04T10:00:00Z, 2026-03-05T10:00:00Z, 2026-03-05, 1",
      "DAILY, 1, -12:00, 2026-03-04T12:00:00Z, 2026-03-05T12:00:00Z, 2026-03-04, 1",
      "DAILY, 179, utc, 2025-09-07T00:00:00Z, 2026-03-05T00:00:00Z, 2025-09-07, 179",
      "MONTHLY, 7, utc, 2025-09-01T00:00:00Z, 2026-04-01T00:00:00Z, 2025-09-01, 7",
      "MONTHLY, 7, +05:45, 2025-08-31T18:15:00Z, 2026-03-31T18:15:00Z, 2025-09-01, 7",
  })
  void windows(Granularity granularity, int days, String tz, Instant start, Instant end, LocalDate first, int periods) {
    TimeseriesWindow window = TimeseriesWindow.of(request(granularity, true, tz, days), NOW, 180);
    assertEquals(start, window.start());
    assertEquals(end, window.end());
    assertEquals(first, window.periods().getFirst());
    assertEquals(periods, window.periods().size());
  }

  @Test
  void countsFallOnTheirDayInTheOffsetAndAggregatedSeriesHaveEveryPeriod() {
    Map<ToolCallKey, Long> counts = Map.of(
        new ToolCallKey("acme", Instant.parse("2026-03-04T18:15:00Z"), "s", null, "a"), 1L, // 23:45 in +05:30: the 4th
        new ToolCallKey("acme", Instant.parse("2026-03-04T18:30:00Z"), "s", null, "a"), 2L, // 00:00 in +05:30: the 5th
        new ToolCallKey("acme", Instant.parse("2026-03-04T18:30:00Z"), "s", "p", "s_b"), 4L,
        new ToolCallKey("acme", Instant.parse("2026-01-01T00:00:00Z"), "s", null, "a"), 8L); // outside the window
    TimeseriesRequest india = request(Granularity.DAILY, true, "+05:30", 3);
    Timeseries aggregated = Timeseries.of(india, TimeseriesWindow.of(india, NOW, 180), counts);
    assertEquals(List.of(new Timeseries.Point(LocalDate.parse("2026-03-03"), null, null, 0),
        new Timeseries.Point(LocalDate.parse("2026-03-04"), null, null, 1),
        new Timeseries.Point(LocalDate.parse("2026-03-05"), null, null, 6)), aggregated.series());
    assertEquals(7, aggregated.total());

    TimeseriesRequest perTool = request(Granularity.DAILY, false, "+05:30", 3);
    assertEquals(List.of(new Timeseries.Point(LocalDate.parse("2026-03-04"), "s", "a", 1),
        new Timeseries.Point(LocalDate.parse("2026-03-05"), "s", "a", 2),
        new Timeseries.Point(LocalDate.parse("2026-03-05"), "s", "s_b", 4)),
        Timeseries.of(perTool, TimeseriesWindow.of(perTool, NOW, 180), counts).series(), "only what had calls, by day, server, tool");

    TimeseriesRequest monthly = request(Granularity.MONTHLY, true, "utc", 7);
    Timeseries months = Timeseries.of(monthly, TimeseriesWindow.of(monthly, NOW, 180), counts);
    assertEquals(15, months.total());
    assertEquals(new Timeseries.Point(LocalDate.parse("2026-01-01"), null, null, 8), months.series().get(4));
    assertEquals(new Timeseries.Point(LocalDate.parse("2026-03-01"), null, null, 7), months.series().get(6));
  }
}
