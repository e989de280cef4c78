package dev.mcpgateway.config;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;

/**
 * {@code server}: the one listener (management API, MCP endpoint, health, OpenAPI), its request
 * limits, the admin API's request timeout, how long SIGTERM waits for in-flight requests, and the
 * path the admin console is served at.
 */
public record ServerSettings(String host, int port, long maxBodyBytes, int maxInitialLineBytes, int maxHeaderBytes,
    long requestTimeoutMs, Duration shutdownGrace, String consolePath) {
  /** One or more segments; never a prefix the gateway's own routes use. */
  private static final java.util.regex.Pattern CONSOLE_PATH = java.util.regex.Pattern.compile("(/[A-Za-z0-9._-]+)+");
  private static final java.util.List<String> TAKEN = java.util.List.of("accounts", "mcp", "oauth", "authorize", "token",
      "register", "revoke", "health", "metrics", "openapi.json", "openapi.yaml", ".well-known");

  public static ServerSettings from(ConfigSection server) {
    return new ServerSettings(
        server.string("host"),
        server.integer("port", 0, 65535),
        server.positiveLong("max_body_bytes"),
        server.integer("max_initial_line_bytes", 256, 1 << 20),
        server.integer("max_header_bytes", 1024, 1 << 20),
        server.positiveLong("request_timeout_ms"),
        server.millis("shutdown_grace_ms"),
        consolePath(server));
  }

  private static String consolePath(ConfigSection server) {
    String path = server.string("console_path");
    if (path.endsWith("/") && path.length() > 1) path = path.substring(0, path.length() - 1);
    boolean dotSegment = java.util.Arrays.stream(path.split("/")).anyMatch(segment -> segment.equals(".") || segment.equals(".."));
    if (!CONSOLE_PATH.matcher(path).matches() || dotSegment) {
      throw new IllegalArgumentException(server.describe("console_path")
          + " must be a path of one or more segments of letters, digits, '-', '_' and '.', such as /console, not '" + path + "'");
    }
    String first = path.substring(1).split("/")[0];
    if (TAKEN.contains(first)) {
      throw new IllegalArgumentException(server.describe("console_path") + " must not start with /" + first + ", a path the gateway serves itself");
    }
    return path;
  }

  /** The main listener: address, and the request-line and header limits past which the decoder answers 414 / 431. */
  public HttpServerOptions listenOptions() {
    return new HttpServerOptions().setHost(host).setPort(port)
        .setMaxInitialLineLength(maxInitialLineBytes).setMaxHeaderSize(maxHeaderBytes);
  }
}
