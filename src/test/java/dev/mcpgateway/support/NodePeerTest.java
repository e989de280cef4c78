package dev.mcpgateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real npm peers start, speak HTTP as expected and are gone after close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodePeerTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String INITIALIZE = """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"node-peer-test","version":"1.0.0"}}}""";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(BOUND).build();

  @Test
  void pagedServerRequiresTheBearerTokenAndOpensASession() throws Exception {
    NodePeer peer = NodePeer.start("paged-server.mjs", Map.of("EXPECT_BEARER", "s3cret"));
    try (peer) {
      HttpResponse<String> anonymous = http.send(initialize(peer.url("/mcp")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode(), peer.output());
      assertEquals("{\"error\":\"unauthorized\"}", anonymous.body());
      assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));

      HttpResponse<String> wrong = http.send(initialize(peer.url("/mcp")).header("Authorization", "Bearer nope").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, wrong.statusCode());

      HttpResponse<String> ok = http.send(initialize(peer.url("/mcp")).header("Authorization", "Bearer s3cret").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body() + "\n" + peer.output());
      assertTrue(ok.headers().firstValue("Mcp-Session-Id").filter(s -> !s.isBlank()).isPresent(), ok.headers().toString());
      assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), ok.headers().toString());
      assertTrue(ok.body().contains("\"protocolVersion\":\"2025-06-18\""), ok.body());
      assertTrue(ok.body().contains("\"name\":\"paged-server\""), ok.body());
    }
    assertStopped(peer);
  }

  @Test
  void everythingStreamableHttpAcceptsInitializeAtMcp() throws Exception {
    NodePeer peer = NodePeer.everything("streamableHttp");
    try (peer) {
      HttpResponse<InputStream> response = http.sendAsync(initialize(peer.url("/mcp")).build(),
          HttpResponse.BodyHandlers.ofInputStream()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
      // server-everything answers POSTs as an SSE stream (the SDK's default, enableJsonResponse false)
      List<String> lines = firstLines(response.body(), line -> line.startsWith("data: {"));
      assertEquals(200, response.statusCode(), lines + "\n" + peer.output());
      assertTrue(response.headers().firstValue("Mcp-Session-Id").filter(s -> !s.isBlank()).isPresent(),
          response.headers().toString());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
          response.headers().toString());
      String data = lines.get(lines.size() - 1);
      assertTrue(data.contains("\"protocolVersion\":\"2025-06-18\"") && data.contains("\"id\":1"), data);
    }
    assertStopped(peer);
  }

  @Test
  void everythingSseAnnouncesItsEndpointFirst() throws Exception {
    NodePeer peer = NodePeer.everything("sse");
    try (peer) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(peer.url("/sse"))).header("Accept", "text/event-stream").GET().build();
      HttpResponse<InputStream> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
          .get(BOUND.toSeconds(), TimeUnit.SECONDS);
      List<String> lines = firstLines(response.body(), line -> line.startsWith("data:"));
      assertEquals(200, response.statusCode(), peer.output());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
          response.headers().toString());
      assertEquals("event: endpoint", lines.get(0), lines.toString());
      assertTrue(lines.get(1).startsWith("data: /message?sessionId="), lines.toString());
    }
    assertStopped(peer);
  }

  private static HttpRequest.Builder initialize(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(BOUND)
        .header("Accept", "application/json, text/event-stream")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
  }

  /**
   * Reads non-empty lines until one matches {@code last} (inclusive), then closes the stream. Bounded:
   * a silent stream is closed after {@link #BOUND} and fails the test.
   */
  private static List<String> firstLines(InputStream body, Predicate<String> last) throws Exception {
    List<String> lines = new ArrayList<>();
    CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          if (line.isEmpty()) continue;
          synchronized (lines) {
            lines.add(line);
          }
          if (last.test(line)) break;
        }
        return lines;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      return read.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      body.close();
      synchronized (lines) {
        throw new AssertionError("stream gave no matching line within " + BOUND + "; got " + lines);
      }
    }
  }

  private static void assertStopped(NodePeer peer) {
    assertFalse(peer.isAlive(), peer + " still running");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", peer.port()), 500);
      throw new AssertionError("port " + peer.port() + " still accepts connections after close");
    } catch (IOException expected) {
      // nothing listens any more
    }
  }
}
