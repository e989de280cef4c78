package dev.mcpgateway.config;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;

/**
 * {@code server}: the one listener (management API, MCP endpoint, health, OpenAPI), its request
 * limits, the admin API's request timeout, and how long SIGTERM waits for in-flight requests.
 */
public record ServerSettings(String host, int port, long maxBodyBytes, int maxInitialLineBytes, int maxHeaderBytes,
    long requestTimeoutMs, Duration shutdownGrace) {

  public static ServerSettings from(ConfigSection server) {
    return new ServerSettings(
        server.string("host"),
        server.integer("port", 0, 65535),
        server.positiveLong("max_body_bytes"),
        server.integer("max_initial_line_bytes", 256, 1 << 20),
        server.integer("max_header_bytes", 1024, 1 << 20),
        server.positiveLong("request_timeout_ms"),
        server.millis("shutdown_grace_ms"));
  }

  /** The main listener: address, and the request-line and header limits past which the decoder answers 414 / 431. */
  public HttpServerOptions listenOptions() {
    return new HttpServerOptions().setHost(host).setPort(port)
        .setMaxInitialLineLength(maxInitialLineBytes).setMaxHeaderSize(maxHeaderBytes);
  }
}
