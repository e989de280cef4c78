package dev.mcpgateway.analytics;

import dev.mcpgateway.model.ToolCallKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts by quarter hour, summed into a window's periods (days or months in the request's offset).
 * Aggregated: one point per period, every period present (zero included), ready to chart. Not
 * aggregated: one point per (period, server, tool) that had calls, in period, server and tool
 * order — the tools of a window are open-ended, so zeros would only be noise.
 */
public record Timeseries(List<Point> series, long total) {

  /** One point: {@code serverId} and {@code tool} are null when aggregated. */
  public record Point(LocalDate day, String serverId, String tool, long count) {}

  private record Slot(LocalDate day, String serverId, String tool) {}

  private static final Comparator<Slot> ORDER = Comparator.comparing(Slot::day)
      .thenComparing(Slot::serverId, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(Slot::tool, Comparator.nullsFirst(Comparator.naturalOrder()));

  public static Timeseries of(TimeseriesRequest request, TimeseriesWindow window, Map<ToolCallKey, Long> counts) {
    Map<Slot, Long> sums = new TreeMap<>(ORDER);
    if (request.aggregate()) window.periods().forEach(day -> sums.put(new Slot(day, null, null), 0L));
    long total = 0;
    for (Map.Entry<ToolCallKey, Long> entry : counts.entrySet()) {
      ToolCallKey key = entry.getKey();
      if (key.bucket().isBefore(window.start()) || !key.bucket().isBefore(window.end())) continue;
      LocalDate day = LocalDate.ofInstant(key.bucket(), request.offset());
      LocalDate period = request.granularity() == TimeseriesRequest.Granularity.MONTHLY ? day.withDayOfMonth(1) : day;
      Slot slot = request.aggregate() ? new Slot(period, null, null) : new Slot(period, key.serverId(), key.tool());
      sums.merge(slot, entry.getValue(), Long::sum);
      total += entry.getValue();
    }
    List<Point> series = new ArrayList<>(sums.size());
    sums.forEach((slot, count) -> series.add(new Point(slot.day(), slot.serverId(), slot.tool(), count)));
    return new Timeseries(List.copyOf(series), total);
  }
}
