package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Go's {@code time.ParseDuration} grammar, as Cloudflare takes a service token's duration, less zero and negatives. */
class ServiceTokenDurationTest {
  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
      "8760h, 31536000000000000",
      "60m, 3600000000000",
      "2h45m, 9900000000000",
      "1h30m15s, 5415000000000",
      "300ms, 300000000",
      "1.5h, 5400000000000",
      ".5s, 500000000",
      "1.s, 1000000000",
      "+1h, 3600000000000",
      "1us, 1000",
      "1\u00b5s, 1000",
      "1\u03bcs, 1000",
      "1ns, 1",
      "1.9ns, 1",
      "1h1h, 7200000000000",
      "2562047h47m16.854775807s, 9223372036854775807",
  })
  void goDurationsParse(String text, long nanos) {
    assertEquals(Optional.of(Duration.ofNanos(nanos)), ServiceTokenDuration.parse(text));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"", "0", "0s", "0.0h", "-1h", "1", "h", ".h", "1.h5", "1y", "1d", "1H", "1h 30m", " 1h", "1h ", "1e3s",
      "2562047h47m16.854775808s", "99999999999999999999h", "Forever", "forever ", "1_000s"})
  void everythingElseIsRefused(String text) {
    assertTrue(ServiceTokenDuration.problem(text).isPresent(), text);
  }

  @Test
  void foreverHasNoExpiryAndTheRestExpireThatLongAfter() {
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    assertEquals(Optional.empty(), ServiceTokenDuration.parse("forever"));
    assertNull(ServiceTokenDuration.expiry("forever", from));
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"), ServiceTokenDuration.expiry(ServiceTokenDuration.DEFAULT, from));
  }
}
