package dev.mcpgateway.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The periods a timeseries answers, in the request's offset: their first days ({@code periods}),
 * from {@code start} (inclusive) to {@code end} (exclusive).
 *
 * <ul>
 *   <li>daily: the last {@code days} days, today (in the offset) included, so {@code end} is the
 *       coming midnight;
 *   <li>monthly: every month that overlaps retention — from the month of the oldest day kept
 *       ({@code retention_days - 1} days before today) through the current month, so {@code end}
 *       is the first day of next month. {@code days} does not apply (as in Cloudflare's API).
 * </ul>
 */
public record TimeseriesWindow(Instant start, Instant end, List<LocalDate> periods) {

  public static TimeseriesWindow of(TimeseriesRequest request, Instant now, int retentionDays) {
    ZoneOffset offset = request.offset();
    LocalDate today = LocalDate.ofInstant(now, offset);
    List<LocalDate> periods = new ArrayList<>();
    LocalDate first;
    LocalDate next;
    if (request.granularity() == TimeseriesRequest.Granularity.DAILY) {
      first = today.minusDays(request.days() - 1L);
      next = today.plusDays(1);
      for (LocalDate day = first; day.isBefore(next); day = day.plusDays(1)) periods.add(day);
    } else {
      first = today.minusDays(retentionDays - 1L).withDayOfMonth(1);
      next = today.withDayOfMonth(1).plusMonths(1);
      for (LocalDate month = first; month.isBefore(next); month = month.plusMonths(1)) periods.add(month);
    }
    return new TimeseriesWindow(first.atStartOfDay(offset).toInstant(), next.atStartOfDay(offset).toInstant(), List.copyOf(periods));
  }
}
