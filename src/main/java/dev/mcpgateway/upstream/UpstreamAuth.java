package dev.mcpgateway.upstream;

import io.vertx.core.Future;
import java.util.Map;

/**
 * The credentials to put on one request to an upstream MCP server, asked for per request and
 * asynchronously so that token-based kinds (OAuth, later) can refresh before answering. The
 * headers returned are secret: never logged, never echoed.
 */
public sealed interface UpstreamAuth permits UpstreamAuth.None, UpstreamAuth.StaticHeaders, UpstreamAuth.OAuth, UpstreamAuth.Unusable {

  Future<Map<String, String>> headers();

  /** {@code unauthenticated}: nothing is sent. */
  record None() implements UpstreamAuth {
    @Override
    public Future<Map<String, String>> headers() {
      return Future.succeededFuture(Map.of());
    }
  }

  /** {@code bearer}: a fixed set of headers (an Authorization header, or the admin's own). */
  record StaticHeaders(Map<String, String> values) implements UpstreamAuth {
    public StaticHeaders {
      values = Map.copyOf(values);
    }

    @Override
    public Future<Map<String, String>> headers() {
      return Future.succeededFuture(values);
    }

    @Override
    public String toString() {
      return "StaticHeaders" + values.keySet();
    }
  }

  /** {@code oauth}: the current access token of the server's OAuth connection, renewed when due. */
  record OAuth(java.util.function.Supplier<Future<String>> accessToken) implements UpstreamAuth {
    @Override
    public Future<Map<String, String>> headers() {
      return accessToken.get().map(token -> Map.of("Authorization", "Bearer " + token));
    }

    @Override
    public String toString() {
      return "OAuth[redacted]";
    }
  }

  /** Stored credentials that cannot be opened (e.g. sealed under another secret key): every request fails. */
  record Unusable(String reason) implements UpstreamAuth {
    @Override
    public Future<Map<String, String>> headers() {
      return Future.failedFuture(new IllegalStateException(reason));
    }
  }
}
