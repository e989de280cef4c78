package dev.mcpgateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check: a short-lived process that asks a running gateway for
 * {@code /health/live}, so the runtime image needs no curl. Exit code 0 when live, 1 otherwise.
 */
final class HealthProbe {
  private HealthProbe() {}

  static String defaultUrl() {
    String port = System.getenv().getOrDefault("GATEWAY_PORT", "8080");
    return "http://127.0.0.1:" + port + "/health/live";
  }

  static int run(String url) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      HttpResponse<Void> response = client.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      System.err.println("health check failed: " + e);
      return 1;
    }
  }
}
