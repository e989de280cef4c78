package dev.mcpgateway.admin;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service token's {@code duration} as Cloudflare takes it: a Go duration ({@code time.ParseDuration}:
 * {@code 300ms}, {@code 2h45m}, {@code 1.5h}; units ns, us, µs, ms, s, m, h; at most Go's int64
 * nanoseconds, about 292 years) or {@code forever}. Unlike Go, zero and negative durations are
 * refused: a token valid for no time is a mistake, not a request.
 */
final class ServiceTokenDuration {
  static final String FOREVER = "forever";
  /** Cloudflare's default: a year, in hours. */
  static final String DEFAULT = "8760h";
  static final int MAX_LENGTH = 64;
  private static final Pattern COMPONENT = Pattern.compile("(\\d*)(?:\\.(\\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L,
      "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private ServiceTokenDuration() {}

  /** What is wrong with {@code text} as a duration, or empty when it is one. */
  static Optional<String> problem(String text) {
    try {
      parse(text);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The duration, or empty for {@code forever}; {@link IllegalArgumentException} saying why when it is none. */
  static Optional<Duration> parse(String text) {
    if (FOREVER.equals(text)) return Optional.empty();
    String rest = text.startsWith("+") ? text.substring(1) : text;
    if (rest.isEmpty() || rest.startsWith("-")) throw invalid();
    Matcher m = COMPONENT.matcher(rest);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < rest.length()) {
      if (!m.region(at, rest.length()).lookingAt() || m.group(1).isEmpty() && (m.group(2) == null || m.group(2).isEmpty())) {
        throw invalid();
      }
      String number = m.group(1).isEmpty() ? "0" : m.group(1);
      if (m.group(2) != null && !m.group(2).isEmpty()) number += "." + m.group(2);
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(NANOS.get(m.group(3)))));
      // compared as it grows: a thousand-digit number must not make a thousand-digit sum
      if (total.compareTo(new BigDecimal(MAX_NANOS)) > 0) {
        throw new IllegalArgumentException("is longer than Go's longest duration (about 292 years)");
      }
      at = m.end();
    }
    long nanos = total.setScale(0, RoundingMode.DOWN).longValueExact();
    if (nanos <= 0) throw new IllegalArgumentException("must be longer than zero");
    return Optional.of(Duration.ofNanos(nanos));
  }

  /** When a token of {@code duration} (already valid) made valid at {@code from} expires; null for {@code forever}. */
  static Instant expiry(String duration, Instant from) {
    return parse(duration).map(from::plus).orElse(null);
  }

  private static IllegalArgumentException invalid() {
    return new IllegalArgumentException("must be a Go duration such as 8760h, 30m or 1h30m (units ns, us, ms, s, m, h), or \"forever\"");
  }
}
