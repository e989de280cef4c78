package dev.mcpgateway.proxy.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The 2026-07-28 transport's header rules as a table: headers and body in, the era and the refusal (if any) out. */
class TransportRulesTest {
  private static final String V = "2026-07-28";

  static JsonObject call(String name, boolean capabilities, String version) {
    JsonObject meta = new JsonObject();
    if (version != null) meta.put("io.modelcontextprotocol/protocolVersion", version);
    if (capabilities) meta.put("io.modelcontextprotocol/clientCapabilities", new JsonObject());
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", name).put("_meta", meta));
  }

  static MultiMap headers(String version, String method, String name) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (version != null) headers.add("MCP-Protocol-Version", version);
    if (method != null) headers.add("Mcp-Method", method);
    if (name != null) headers.add("Mcp-Name", name);
    return headers;
  }

  static String b64(String text) {
    return "=?base64?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("all agree", headers(V, "tools/call", "echo"), call("echo", true, V), true, null),
        Arguments.of("base64 name decoded", headers(V, "tools/call", b64("écho")), call("écho", true, V), true, null),
        Arguments.of("no version header", headers(null, "tools/call", "echo"), call("echo", true, V), true, -32020),
        Arguments.of("header and body versions differ", headers("2026-08-01", "tools/call", "echo"), call("echo", true, V), true, -32020),
        Arguments.of("a version the gateway does not speak", headers("2027-01-01", "tools/call", "echo"), call("echo", true, "2027-01-01"), true,
            -32022),
        Arguments.of("method header differs", headers(V, "tools/list", "echo"), call("echo", true, V), true, -32020),
        Arguments.of("name header differs", headers(V, "tools/call", "other"), call("echo", true, V), true, -32020),
        Arguments.of("name header missing", headers(V, "tools/call", null), call("echo", true, V), true, -32020),
        Arguments.of("no client capabilities", headers(V, "tools/call", "echo"), call("echo", false, V), true, -32602),
        Arguments.of("no _meta at all", headers(V, "tools/list", null), new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list"),
            true, -32602),
        Arguments.of("_meta without its protocol version", headers(V, "tools/call", "echo"), call("echo", true, null), true, -32602),
        Arguments.of("a 2025 request is no business of these rules", headers("2025-11-25", null, null), call("echo", false, null), false, -32602));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theHeadersMustMirrorTheBody(String what, MultiMap headers, JsonObject message, boolean stateless, Integer code) {
    assertEquals(stateless, TransportRules.isStateless(headers, message), "era");
    Optional<TransportRules.Refusal> refusal = TransportRules.validate(headers, message);
    assertEquals(code, refusal.map(TransportRules.Refusal::code).orElse(null), "refusal");
    refusal.ifPresent(r -> assertEquals(400, r.status()));
  }
}
