package dev.mcpgateway.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSetupTest {
  /** Only Vert.x's per-connection gauge re-registration is dropped; any other double registration still logs. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "This Gauge has been already registered (MeterId{name='vertx.http.server.active.connections', tags=[]}), the registration will be ignored.|false",
      "This Gauge has been already registered (MeterId{name='vertx.net.client.active.connections', tags=[]}), the registration will be ignored.|false",
      "This Gauge has been already registered (MeterId{name='mcp_gateway_sessions_active', tags=[]}), the registration will be ignored.|true",
      "This Gauge has been already registered (MeterId{name='cache.size', tags=[tag(cache=capabilities)]}), the registration will be ignored.|true",
      "A MeterFilter is being configured after a Meter has been registered to this registry.|true",
  })
  void micrometerWarningsPassUnlessTheyAreAboutVertxsOwnGauges(String message, boolean logged) {
    assertEquals(logged, LogSetup.notVertxGaugeReRegistration(new LogRecord(Level.WARNING, message)));
  }
}
