package dev.mcpgateway.tracing;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces leave the gateway over real OTLP/HTTP (the SDK's exporter, decoded here with the
 * protocol's own classes) for calls through it to an official-SDK upstream: one trace from the
 * agent's {@code traceparent} through the gateway's spans to the upstream, which sees the same
 * trace both as an HTTP header and in the message's {@code _meta}; parent and child as they
 * should be; names, codes and outcomes as attributes, never a credential or a query string.
 */
class TracingTest {
  static final String AGENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String AGENT_SPAN = "00f067aa0ba902b7";
  static final List<Span> received = new CopyOnWriteArrayList<>();
  static Vertx receiverVertx;
  static HttpServer receiver;
  static Tracing tracing;
  static Vertx vertx;
  static NodePeer upstream;
  static TestGateway gateway;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    receiverVertx = Vertx.vertx();
    receiver = result(receiverVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      try {
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
        export.getResourceSpansList().forEach(resource -> resource.getScopeSpansList().forEach(scope -> received.addAll(scope.getSpansList())));
        request.response().putHeader("Content-Type", "application/x-protobuf").end(Buffer.buffer(new byte[0]));
      } catch (Exception e) {
        request.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1"));
    tracing = Tracing.configure(Map.of(
        "otel.traces.exporter", "otlp",
        "otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + receiver.actualPort() + "/v1/traces",
        "otel.traces.sampler", "parentbased_always_on"));
    assertTrue(tracing.enabled());
    vertx = tracing.build(new VertxOptions(), builder -> builder);
    upstream = NodePeer.start("traced-server.mjs", Map.of());
    gateway = result(TestGateway.start(vertx, dir, null));
    gateway.addSyncedServer("acme", "traced", upstream.url("/mcp"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) result(gateway.stop());
    if (upstream != null) upstream.close();
    if (vertx != null) result(vertx.close());
    if (tracing != null) tracing.shutdown(Duration.ofSeconds(5));
    if (receiverVertx != null) result(receiverVertx.close());
  }

  static HttpRequest<Buffer> mcp(String session) {
    HttpRequest<Buffer> request = gateway.client.post(TestGateway.mcp("acme", "traced"))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream");
    return session == null ? request : request.putHeader("Mcp-Session-Id", session);
  }

  static String initialize() {
    HttpResponse<Buffer> init = result(mcp(null).sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "tracing-test").put("version", "1")))));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    return init.getHeader("Mcp-Session-Id");
  }

  static JsonObject call(String session, String tool, JsonObject meta, String traceparent) {
    JsonObject params = new JsonObject().put("name", tool).put("arguments", new JsonObject());
    if (meta != null) params.put("_meta", meta);
    HttpRequest<Buffer> request = mcp(session);
    if (traceparent != null) request.putHeader("traceparent", traceparent);
    HttpResponse<Buffer> answer = result(request.sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call")
        .put("params", params)));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject();
  }

  static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  static String attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst()
        .map(kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : String.valueOf(kv.getValue().getIntValue())).orElse(null);
  }

  /** The spans exported so far that match, after asking the SDK to send what it holds. */
  static List<Span> spans(Predicate<Span> which) {
    tracing.flush(Duration.ofSeconds(10));
    return received.stream().filter(which).toList();
  }

  static Span only(Predicate<Span> which, String what) {
    List<Span> found = spans(which);
    assertEquals(1, found.size(), what + ": " + found.stream().map(Span::getName).toList());
    return found.get(0);
  }

  static Optional<Span> parentOf(Span span) {
    String parent = hex(span.getParentSpanId());
    return received.stream().filter(s -> hex(s.getSpanId()).equals(parent)).findFirst();
  }

  @Test
  void aCallIsOneTraceFromTheAgentThroughTheGatewayToTheUpstream() {
    String session = initialize();
    JsonObject answer = call(session, "trace-context", null, "00-" + AGENT_TRACE + "-" + AGENT_SPAN + "-01");
    JsonObject seen = new JsonObject(answer.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));

    Span message = only(s -> s.getName().equals("tools/call trace-context") && hex(s.getTraceId()).equals(AGENT_TRACE), "the message's span");
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, message.getKind());
    assertEquals("tools/call", attribute(message, "mcp.method.name"));
    assertEquals("trace-context", attribute(message, "gen_ai.tool.name"));
    assertEquals("execute_tool", attribute(message, "gen_ai.operation.name"));
    assertEquals("trace-context", attribute(message, "mcp_gateway.upstream.name"));
    assertEquals("traced", attribute(message, "mcp_gateway.server.id"));
    assertEquals("acme", attribute(message, "mcp_gateway.account.id"));
    assertEquals("7", attribute(message, "jsonrpc.request.id"));
    assertEquals("ok", attribute(message, "mcp_gateway.outcome"));
    assertEquals("client_token", attribute(message, "mcp_gateway.agent.kind"));

    // the agent's traceparent header is the parent of the gateway's HTTP span, which is the message span's parent
    Span http = parentOf(message).orElseThrow(() -> new AssertionError("the message span's parent was not exported"));
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, http.getKind());
    assertEquals(AGENT_SPAN, hex(http.getParentSpanId()));

    // the upstream saw the same trace: in _meta, under the message span; as a header, under the gateway's HTTP client span
    String[] meta = seen.getString("meta").split("-");
    assertEquals(AGENT_TRACE, meta[1], "the upstream's _meta.traceparent: " + seen);
    assertEquals(hex(message.getSpanId()), meta[2], "the upstream's _meta parent is the message span");
    String[] header = seen.getString("header").split("-");
    assertEquals(AGENT_TRACE, header[1], "the upstream's traceparent header: " + seen);
    Span client = only(s -> hex(s.getSpanId()).equals(header[2]), "the span whose context went upstream as a header");
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, client.getKind());
    assertEquals(hex(message.getSpanId()), hex(client.getParentSpanId()), "the upstream exchange is the message's child");

    // the wait for a connection, with the breaker's state, is the message's child too
    Span connect = only(s -> s.getName().equals("upstream connect") && hex(s.getParentSpanId()).equals(hex(message.getSpanId())), "the connect span");
    assertEquals("closed", attribute(connect, "mcp_gateway.breaker.state"));
    assertEquals("127.0.0.1", attribute(connect, "server.address"));

    // nothing secret in any attribute of this trace: not the agent's token, not the session id (a bearer credential)
    for (Span span : spans(s -> hex(s.getTraceId()).equals(AGENT_TRACE))) {
      for (KeyValue kv : span.getAttributesList()) {
        String value = kv.getValue().toString();
        assertFalse(value.contains(TestGateway.AGENT), span.getName() + " " + kv.getKey());
        assertFalse(value.contains(session), span.getName() + " " + kv.getKey());
      }
    }
  }

  @Test
  void aTraceContextInTheMessagesMetaWinsOverTheHeader() {
    String session = initialize();
    String metaTrace = "0af7651916cd43dd8448eb211c80319c";
    String metaSpan = "b7ad6b7169203331";
    JsonObject answer = call(session, "trace-context", new JsonObject().put("traceparent", "00-" + metaTrace + "-" + metaSpan + "-01")
        .put("progressToken", "kept"), "00-" + AGENT_TRACE + "-" + AGENT_SPAN + "-01");
    JsonObject seen = new JsonObject(answer.getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
    Span message = only(s -> s.getName().equals("tools/call trace-context") && hex(s.getTraceId()).equals(metaTrace), "the message's span");
    assertEquals(metaSpan, hex(message.getParentSpanId()), "the message's parent is the span the agent named in _meta");
    assertEquals("00-" + metaTrace + "-" + hex(message.getSpanId()) + "-01", seen.getString("meta"), "replaced, not passed on as the agent sent it");
  }

  /** A 2026-07-28 call (stateless agent; the gateway keeps the upstream session): each call's exchange is under its own span. */
  static JsonObject statelessCall(String traceId) {
    JsonObject params = new JsonObject().put("name", "trace-context").put("arguments", new JsonObject())
        .put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
            .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
            .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "tracing-test").put("version", "1")));
    HttpResponse<Buffer> answer = result(mcp(null).putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/call")
        .putHeader("Mcp-Name", "trace-context").putHeader("traceparent", "00-" + traceId + "-" + AGENT_SPAN + "-01")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "tools/call").put("params", params)));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return new JsonObject(answer.bodyAsJsonObject().getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
  }

  @Test
  void statelessCallsOverAKeptUpstreamSessionAreEachTheirOwnTrace() {
    for (String traceId : List.of("a".repeat(32), "b".repeat(32))) {
      JsonObject seen = statelessCall(traceId);
      Span message = only(s -> s.getName().equals("tools/call trace-context") && hex(s.getTraceId()).equals(traceId), "the stateless call's span");
      assertEquals("2026-07-28", attribute(message, "mcp_gateway.era"));
      assertEquals(traceId, seen.getString("meta").split("-")[1], "the upstream's _meta trace: " + seen);
      assertEquals(hex(message.getSpanId()), seen.getString("meta").split("-")[2]);
      String[] header = seen.getString("header").split("-");
      assertEquals(traceId, header[1], "the upstream's header trace: " + seen);
      Span client = only(s -> hex(s.getSpanId()).equals(header[2]), "the call's upstream exchange");
      assertEquals(hex(message.getSpanId()), hex(client.getParentSpanId()), "under this call's span, not an earlier call's");
    }
  }

  @Test
  void aLogLineWrittenUnderASpanCarriesItsIds() {
    io.opentelemetry.api.trace.Span span = tracing.tracer().spanBuilder("logged").startSpan();
    try (io.opentelemetry.context.Scope scope = span.makeCurrent()) {
      String line = new dev.mcpgateway.logging.JsonLogFormatter().format(new java.util.logging.LogRecord(java.util.logging.Level.INFO, "hello"));
      JsonObject json = new JsonObject(line);
      assertEquals(span.getSpanContext().getTraceId(), json.getString("trace_id"));
      assertEquals(span.getSpanContext().getSpanId(), json.getString("span_id"));
    } finally {
      span.end();
    }
    String outside = new dev.mcpgateway.logging.JsonLogFormatter().format(new java.util.logging.LogRecord(java.util.logging.Level.INFO, "hello"));
    assertFalse(new JsonObject(outside).containsKey("trace_id"), outside);
  }

  @Test
  void aFailedCallIsAnErrorSpanWithItsJsonRpcCode() {
    String session = initialize();
    JsonObject answer = call(session, "fails", null, null);
    assertEquals(-32602, answer.getJsonObject("error").getInteger("code"), answer.encode());
    Span message = only(s -> s.getName().equals("tools/call fails"), "the failed call's span");
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, message.getStatus().getCode());
    assertEquals("-32602", attribute(message, "rpc.response.status_code"));
    assertEquals("-32602", attribute(message, "error.type"));
    assertEquals("mcp_error", attribute(message, "mcp_gateway.outcome"));
  }

  @Test
  void aSyncIsASpanUnderTheAdminRequestWithItsUpstreamExchanges() {
    HttpResponse<Buffer> synced = result(gateway.client.post(TestGateway.servers("acme") + "/traced/sync?page=1&code=not-for-traces")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).putHeader("traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01")
        .send());
    assertEquals(200, synced.statusCode(), synced.bodyAsString());
    Span sync = only(s -> s.getName().equals("mcp_gateway sync") && hex(s.getTraceId()).equals("1".repeat(32)), "the sync's span");
    assertEquals("traced", attribute(sync, "mcp_gateway.server.id"));
    Span admin = parentOf(sync).orElseThrow(() -> new AssertionError("the sync's parent was not exported"));
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, admin.getKind());
    assertEquals("POST sync", admin.getName(), "named by the admin operation, not the path");
    assertEquals("acme", attribute(admin, "mcp_gateway.account.id"));
    assertEquals("2".repeat(16), hex(admin.getParentSpanId()));
    assertFalse(spans(s -> hex(s.getParentSpanId()).equals(hex(sync.getSpanId())) && s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).isEmpty(),
        "the sync's upstream exchanges are its children");
    // the admin request's query (which might carry a code or a token) never leaves in a span
    for (KeyValue kv : admin.getAttributesList()) {
      assertFalse(kv.getValue().toString().contains("not-for-traces"), kv.getKey());
      assertFalse(kv.getKey().equals("url.query"), "url.query exported");
    }
  }

  @Test
  void withoutConfigurationThereIsNoTracerAndMessagesPassUntouched() throws Exception {
    assertFalse(Tracing.configured(Map.of()));
    assertFalse(Tracing.configured(Map.of("otel.traces.exporter", "none", "otel.exporter.otlp.endpoint", "http://x")));
    assertFalse(Tracing.configured(Map.of("otel.sdk.disabled", "true", "otel.exporter.otlp.endpoint", "http://x")));
    assertTrue(Tracing.configured(Map.of("otel.exporter.otlp.endpoint", "http://x")));
    assertTrue(Tracing.configured(Map.of("otel.exporter.otlp.traces.endpoint", "http://x")));
    assertTrue(Tracing.configured(Map.of("otel.traces.exporter", "otlp")));

    long exportersBefore = exporterThreads();
    assertTrue(exportersBefore >= 1, "this class's traced gateway has its exporter thread (the name counted here is right)");
    Vertx plain = Tracing.OFF.build(new VertxOptions(), builder -> builder);
    try {
      assertSame(Tracing.OFF, Tracing.of(plain));
      assertNull(((VertxInternal) plain).tracer(), "Vert.x built without a tracer");
      TestGateway untraced = result(TestGateway.start(plain, dir.resolve("untraced"), null));
      try {
        untraced.addSyncedServer("acme", "traced", upstream.url("/mcp"));
        HttpRequest<Buffer> init = untraced.client.post(TestGateway.mcp("acme", "traced")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
            .putHeader("Accept", "application/json, text/event-stream");
        HttpResponse<Buffer> opened = result(init.sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
            .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
                .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
        String agentsOwn = "00-" + AGENT_TRACE + "-" + AGENT_SPAN + "-01";
        HttpResponse<Buffer> answer = result(untraced.client.post(TestGateway.mcp("acme", "traced")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
            .putHeader("Accept", "application/json, text/event-stream").putHeader("Mcp-Session-Id", opened.getHeader("Mcp-Session-Id"))
            .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call").put("params", new JsonObject()
                .put("name", "trace-context").put("_meta", new JsonObject().put("traceparent", agentsOwn)))));
        JsonObject seen = new JsonObject(answer.bodyAsJsonObject().getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals(agentsOwn, seen.getString("meta"), "the agent's own _meta passes through as it sent it");
        assertNull(seen.getValue("header"), "no traceparent header made up: " + seen);
        assertEquals(exportersBefore, exporterThreads(), "no exporter thread started for a gateway with tracing off");
      } finally {
        result(untraced.stop());
      }
    } finally {
      result(plain.close());
    }
  }

  /** The SDK's span-export worker threads alive now (this class's own traced gateway has one). */
  static long exporterThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("BatchSpanProcessor")).count();
  }

  @Test
  void exportedSpansLoseTheirQueries() {
    var data = io.opentelemetry.sdk.testing.trace.TestSpanData.builder()
        .setName("GET").setKind(io.opentelemetry.api.trace.SpanKind.SERVER)
        .setSpanContext(io.opentelemetry.api.trace.SpanContext.create(AGENT_TRACE, AGENT_SPAN, io.opentelemetry.api.trace.TraceFlags.getSampled(),
            io.opentelemetry.api.trace.TraceState.getDefault()))
        .setStartEpochNanos(1).setEndEpochNanos(2).setHasEnded(true).setStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .setAttributes(io.opentelemetry.api.common.Attributes.builder().put("http.url", "http://gw/oauth/callback?code=secret&state=s")
            .put("url.full", "http://up/token?x=1").put("url.query", "code=secret").put("url.path", "/oauth/callback").build())
        .setTotalAttributeCount(4).build();
    var scrubbed = ScrubbedSpans.scrub(data).getAttributes();
    assertEquals("http://gw/oauth/callback", scrubbed.get(io.opentelemetry.api.common.AttributeKey.stringKey("http.url")));
    assertEquals("http://up/token", scrubbed.get(io.opentelemetry.api.common.AttributeKey.stringKey("url.full")));
    assertNull(scrubbed.get(io.opentelemetry.api.common.AttributeKey.stringKey("url.query")));
    assertEquals("/oauth/callback", scrubbed.get(io.opentelemetry.api.common.AttributeKey.stringKey("url.path")));
    assertNotNull(data.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("url.query")), "the original is untouched");
  }
}
