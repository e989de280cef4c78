package dev.mcpgateway.security;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the HTTP decoder refuses before routing (request line or headers over the configured
 * limits, garbage instead of HTTP) still get the surface's own error format, and the connection
 * is closed. Sent over a raw socket, because HTTP clients refuse to send most of these.
 */
class OversizedRequestTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    JsonObject config = TestGateway.config(dataDir, null);
    config.getJsonObject("server").put("max_initial_line_bytes", 1024).put("max_header_bytes", 4096);
    gw = result(TestGateway.start(vertx, config, dataDir, null));
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
  }

  @Test
  void anOverlongRequestLineIs414WithTheEnvelope() throws IOException {
    Answer answer = send("GET " + TestGateway.servers("acme") + "?search=" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + TestGateway.ADMIN + "\r\n\r\n");
    assertEquals(414, answer.status());
    assertEquals(1005, answer.json().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    assertFalse(answer.json().getBoolean("success"));
    assertTrue(answer.closed(), "the connection is closed after the answer");
  }

  @Test
  void oversizedHeadersAre431WithTheEnvelopeOnTheAdminApi() throws IOException {
    Answer answer = send("GET " + TestGateway.servers("acme") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateway.ADMIN
        + "\r\nX-Padding: " + "p".repeat(6000) + "\r\n\r\n");
    assertEquals(431, answer.status());
    assertEquals(1006, answer.json().getJsonArray("errors").getJsonObject(0).getInteger("code"));
    assertTrue(answer.closed());
  }

  @Test
  void manyHeadersThatAddUpPastTheLimitAre431Too() throws IOException {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 200; i++) headers.append("X-H").append(i).append(": ").append("v".repeat(30)).append("\r\n");
    Answer answer = send("GET /health/live HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
    assertEquals(431, answer.status());
  }

  @Test
  void onTheMcpEndpointTheyAreJsonRpcErrors() throws IOException {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    Answer answer = send("POST " + TestGateway.mcp("acme", "s") + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Accept: application/json, text/event-stream\r\nAuthorization: Bearer " + TestGateway.AGENT + "\r\n"
        + "Mcp-Session-Id: " + "s".repeat(8000) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    assertEquals(431, answer.status());
    assertEquals("2.0", answer.json().getString("jsonrpc"));
    assertEquals(-32600, answer.json().getJsonObject("error").getInteger("code"));
    assertTrue(answer.json().containsKey("id") && answer.json().getValue("id") == null);
  }

  @Test
  void headersJustUnderTheLimitAreServed() throws IOException {
    Answer answer = send("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(3000) + "\r\nConnection: close\r\n\r\n");
    assertEquals(200, answer.status());
  }

  @Test
  void garbageInsteadOfHttpIsAnswered400OrClosedNeverHung() throws IOException {
    Answer answer = send("\u0001\u0002 not http at all\r\n\r\n");
    assertTrue(answer.status() == 400 || answer.status() == -1, "status " + answer.status());
    assertTrue(answer.closed());
  }

  @Test
  void theGatewayKeepsServingAfterwards() throws IOException {
    send("GET /" + "x".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(200, send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
  }

  record Answer(int status, JsonObject json, boolean closed) {}

  /** Sends raw bytes and reads until the server closes (or 10 s pass: then {@code closed} is false). */
  private Answer send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gw.gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      boolean closed = true;
      try {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) received.write(buffer, 0, n);
      } catch (java.net.SocketTimeoutException stillOpen) {
        closed = false;
      } catch (java.net.SocketException reset) {
        // a reset after the answer is a close too
      }
      String text = received.toString(StandardCharsets.UTF_8);
      if (text.isEmpty()) return new Answer(-1, null, closed);
      int status = Integer.parseInt(text.substring(9, 12));
      int bodyStart = text.indexOf("\r\n\r\n");
      String body = bodyStart < 0 ? "" : text.substring(bodyStart + 4);
      return new Answer(status, body.startsWith("{") ? new JsonObject(body) : null, closed);
    }
  }
}
