package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents of MCP 2026-07-28 (stateless: no session, every request self-describing with mirrored
 * headers) on the same endpoint as session-era agents, in front of a session-era upstream
 * (server-everything): the official TypeScript SDK v2 client negotiates the modern era with the
 * gateway (server/discover), lists tools with aliases applied and calls a tool by its alias; the
 * header rules answer -32020 / -32022 / -32602 / -32601 as the specification says.
 */
class ModernAgentTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer everything;

  @BeforeAll
  static void start() {
    everything = NodePeer.everything("streamableHttp");
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "everything").put("name", "Everything").put("hostname", everything.url("/mcp"))
            .put("auth_type", "unauthenticated").put("updated_tools", new JsonArray()
                .add(new JsonObject().put("name", "echo").put("alias", "say"))
                .add(new JsonObject().put("name", "get-sum").put("enabled", false)))));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals("ready", result(gw.client.post(TestGateway.servers("acme") + "/everything/sync")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()).bodyAsJsonObject().getJsonObject("result").getString("status"));
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    everything.close();
  }

  @Test
  void theSdkV2ClientSpeaksTheModernEraThroughTheGatewayToASessionEraUpstream() {
    JsonObject report = modernAgent("auto", new JsonArray()
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "say").put("arguments", new JsonObject().put("message", "modern hello")))
        .add(new JsonObject().put("op", "callTool").put("name", "get-sum").put("arguments", new JsonObject().put("a", 1).put("b", 2))));
    assertEquals("modern", report.getString("era"), report.encode());
    assertEquals("2026-07-28", report.getString("version"));
    JsonArray steps = report.getJsonArray("steps");
    List<String> names = steps.getJsonObject(0).getJsonObject("result").getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList();
    assertTrue(names.contains("say") && !names.contains("echo") && !names.contains("get-sum"), names.toString());
    assertTrue(steps.getJsonObject(1).encode().contains("modern hello"), steps.getJsonObject(1).encode());
    assertTrue(steps.getJsonObject(2).encode().contains("Unknown tool"), "a disabled tool is refused: " + steps.getJsonObject(2).encode());
  }

  @Test
  void sessionEraAgentsKeepWorkingOnTheSameEndpoint() {
    JsonObject report = modernAgent("legacy", new JsonArray()
        .add(new JsonObject().put("op", "callTool").put("name", "say").put("arguments", new JsonObject().put("message", "legacy hello"))));
    assertEquals("legacy", report.getString("era"), report.encode());
    assertTrue(report.getJsonArray("steps").getJsonObject(0).encode().contains("legacy hello"), report.encode());
  }

  @Test
  void serverDiscoverIsAnsweredFromTheCache() {
    HttpResponse<Buffer> answer = result(modern("server/discover", null, new JsonObject()).send());
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject result = answer.bodyAsJsonObject().getJsonObject("result");
    assertEquals(new JsonArray().add("2026-07-28"), result.getJsonArray("supportedVersions"));
    assertEquals("complete", result.getString("resultType"));
    assertEquals("private", result.getString("cacheScope"));
    assertNotNull(result.getJsonObject("capabilities").getJsonObject("tools"));
    assertEquals("Everything", result.getJsonObject("_meta").getJsonObject("io.modelcontextprotocol/serverInfo").getString("name"));
  }

  @Test
  void mirroredHeadersMustMatchTheBody() {
    HttpResponse<Buffer> method = result(modern("tools/list", null, new JsonObject()).putHeader("Mcp-Method", "prompts/list").send());
    assertError(method, 400, -32020);
    HttpResponse<Buffer> name = result(modern("tools/call", "echo", new JsonObject().put("name", "say")
        .put("arguments", new JsonObject().put("message", "x"))).send());
    assertError(name, 400, -32020);
    HttpResponse<Buffer> version = result(modern("tools/list", null, new JsonObject()).putHeader("MCP-Protocol-Version", "2025-11-25").send());
    assertError(version, 400, -32020);
    // a name that is not plain ASCII travels base64-encoded in the header
    String encoded = "=?base64?" + Base64.getEncoder().encodeToString("say".getBytes(StandardCharsets.UTF_8)) + "?=";
    HttpResponse<Buffer> ok = result(modern("tools/call", encoded, new JsonObject().put("name", "say")
        .put("arguments", new JsonObject().put("message", "b64"))).send());
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("complete", answerOf(ok).getJsonObject("result").getString("resultType"));
  }

  @Test
  void unsupportedVersionsMissingCapabilitiesAndUnknownMethods() {
    JsonObject future = request("tools/list", new JsonObject(), "2099-01-01");
    HttpResponse<Buffer> version = result(agent().putHeader("MCP-Protocol-Version", "2099-01-01").putHeader("Mcp-Method", "tools/list")
        .sendJsonObject(future));
    JsonObject error = assertError(version, 400, -32022);
    assertTrue(error.getJsonObject("data").getJsonArray("supported").contains("2026-07-28"), error.encode());
    assertEquals("2099-01-01", error.getJsonObject("data").getString("requested"));

    JsonObject noCapabilities = request("tools/list", new JsonObject(), "2026-07-28");
    noCapabilities.getJsonObject("params").getJsonObject("_meta").remove("io.modelcontextprotocol/clientCapabilities");
    assertError(result(agent().putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/list")
        .sendJsonObject(noCapabilities)), 400, -32602);

    // a required _meta field missing is a malformed request (-32602), not a header mismatch (-32020)
    JsonObject noVersion = request("tools/list", new JsonObject(), "2026-07-28");
    noVersion.getJsonObject("params").getJsonObject("_meta").remove("io.modelcontextprotocol/protocolVersion");
    assertError(result(agent().putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/list")
        .sendJsonObject(noVersion)), 400, -32602);
    assertError(result(agent().putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/list")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "tools/list"))), 400, -32602);
    // the versions an unsupported one is answered with, newest first and both eras, as the specification's example lists them
    assertEquals(new io.vertx.core.json.JsonArray().add("2026-07-28").add("2025-11-25").add("2025-06-18").add("2025-03-26").add("2024-11-05"),
        error.getJsonObject("data").getJsonArray("supported"));

    assertError(result(modern("foo/bar", null, new JsonObject()).send()), 404, -32601);
  }

  /** The JSON-RPC answer of a response, JSON or the last event of an event stream (either is the transport's). */
  static JsonObject answerOf(HttpResponse<Buffer> response) {
    if (!String.valueOf(response.getHeader("Content-Type")).startsWith("text/event-stream")) return response.bodyAsJsonObject();
    String[] lines = response.bodyAsString().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("data: ")) return new JsonObject(lines[i].substring(6));
    }
    throw new AssertionError("no event in " + response.bodyAsString());
  }

  static JsonObject assertError(HttpResponse<Buffer> response, int status, int code) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(error, response.bodyAsString());
    assertEquals(code, error.getInteger("code"), response.bodyAsString());
    return error;
  }

  /** A well-formed 2026-07-28 request with its mirrored headers ({@code name}: the Mcp-Name header, null for none). */
  Prepared modern(String method, String name, JsonObject params) {
    HttpRequest<Buffer> request = agent().putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", method);
    if (name != null) request.putHeader("Mcp-Name", name);
    return new Prepared(request, request(method, params, "2026-07-28"));
  }

  /** A request and its body, sent together; headers may still be changed before {@link #send()}. */
  record Prepared(HttpRequest<Buffer> request, JsonObject body) {
    Prepared putHeader(String name, String value) {
      request.putHeader(name, value);
      return this;
    }

    io.vertx.core.Future<HttpResponse<Buffer>> send() {
      return request.sendJsonObject(body);
    }
  }

  static JsonObject request(String method, JsonObject params, String version) {
    params.put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", version)
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1")));
    return new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", method).put("params", params);
  }

  HttpRequest<Buffer> agent() {
    return gw.client.post(TestGateway.mcp("acme", "everything")).putHeader("Authorization", "Bearer " + TestGateway.AGENT)
        .putHeader("Accept", "application/json, text/event-stream");
  }

  JsonObject modernAgent(String mode, JsonArray steps) {
    return dev.mcpgateway.support.NodeAgent.runModern(gw.mcpUrl("acme", "everything"), TestGateway.AGENT, mode, steps);
  }
}
