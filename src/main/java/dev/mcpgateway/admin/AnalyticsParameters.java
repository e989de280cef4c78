package dev.mcpgateway.admin;

import dev.mcpgateway.analytics.TimeseriesRequest;
import dev.mcpgateway.analytics.TimeseriesRequest.Granularity;
import io.vertx.core.MultiMap;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tool-call timeseries' query, as Cloudflare's: {@code granularity} {@code daily} (default) or
 * {@code monthly}; {@code aggregate} {@code true} or {@code false} (default); {@code tz} {@code utc}
 * (default), {@code Z} or a fixed offset {@code ±HH:MM} from {@code -12:00} to {@code +14:00}, in
 * quarter hours (every offset in use is; counts are kept per quarter hour); {@code days} an integer
 * from 1 to 179 (default 7), not read for monthly. An empty value is the default. Every problem is
 * one error of the 400.
 */
final class AnalyticsParameters {
  static final Pattern OFFSET = Pattern.compile("([+-])(\\d{2}):(\\d{2})");
  private static final int MIN_OFFSET_MINUTES = -12 * 60;
  private static final int MAX_OFFSET_MINUTES = 14 * 60;

  private AnalyticsParameters() {}

  static TimeseriesRequest parse(MultiMap params) {
    List<ApiError> errors = new ArrayList<>();
    Granularity granularity = Granularity.DAILY;
    String g = params.get("granularity");
    if (g != null && !g.isEmpty()) {
      if (g.equals("daily")) granularity = Granularity.DAILY;
      else if (g.equals("monthly")) granularity = Granularity.MONTHLY;
      else errors.add(error("granularity must be daily or monthly"));
    }
    boolean aggregate = false;
    String a = params.get("aggregate");
    if (a != null && !a.isEmpty()) {
      if (a.equals("true") || a.equals("false")) aggregate = a.equals("true");
      else errors.add(error("aggregate must be true or false"));
    }
    String tz = params.get("tz");
    if (tz == null || tz.isEmpty()) tz = "utc";
    ZoneOffset offset = offset(tz);
    if (offset == null) {
      errors.add(error("tz must be utc, Z or a fixed offset ±HH:MM from -12:00 to +14:00 in quarter hours (such as +05:30 or -09:30)"));
    }
    int days = TimeseriesRequest.DEFAULT_DAYS;
    String d = params.get("days");
    if (granularity == Granularity.DAILY && d != null && !d.isEmpty()) {
      try {
        days = Integer.parseInt(d);
      } catch (NumberFormatException e) {
        days = 0;
      }
      if (days < 1 || days > TimeseriesRequest.MAX_DAYS) {
        errors.add(error("days must be an integer from 1 to " + TimeseriesRequest.MAX_DAYS));
      }
    }
    if (!errors.isEmpty()) throw new ApiException(errors);
    return new TimeseriesRequest(granularity, aggregate, tz, offset, days);
  }

  /** The offset {@code tz} names, or null when it names none this API takes. */
  static ZoneOffset offset(String tz) {
    if (tz.toLowerCase(Locale.ROOT).equals("utc") || tz.equals("Z")) return ZoneOffset.UTC;
    Matcher m = OFFSET.matcher(tz);
    if (!m.matches()) return null;
    int hours = Integer.parseInt(m.group(2));
    int minutes = Integer.parseInt(m.group(3));
    if (minutes % 15 != 0) return null;
    int total = (m.group(1).equals("-") ? -1 : 1) * (hours * 60 + minutes);
    if (total < MIN_OFFSET_MINUTES || total > MAX_OFFSET_MINUTES) return null;
    return ZoneOffset.ofTotalSeconds(total * 60);
  }

  private static ApiError error(String message) {
    return new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, message, null);
  }
}
