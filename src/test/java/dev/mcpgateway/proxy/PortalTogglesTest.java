package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.NodeAgent;
import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.PrometheusText;
import dev.mcpgateway.support.RawHttp;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in {@code portal_toggle_single_server} and {@code portal_toggle_servers} through the
 * real gateway, with server-everything (a 2025 session upstream) and the SDK v2 test server
 * (stateless) as members: a switch hides a member's tools, prompts and calls from that agent only
 * — its session, or for a stateless agent its client token — and reaches that agent's own GET
 * stream; the switches page renders the members, its forms switch with the ticket, and without a
 * valid one (none, tampered, expired, another portal's, not the page's) nothing changes.
 */
class PortalTogglesTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static NodePeer everything;
  static NodePeer modern;

  @BeforeAll
  static void start() {
    everything = NodePeer.everything("streamableHttp");
    modern = NodePeer.start("modern-server.mjs", Map.of("LEGACY", "reject"));
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    for (NodePeer peer : List.of(everything, modern)) {
      String id = peer == everything ? "everything" : "modern";
      HttpResponse<Buffer> created = result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", peer.url("/mcp")).put("auth_type", "unauthenticated")));
      assertEquals(200, created.statusCode(), created.bodyAsString());
      HttpResponse<Buffer> synced = result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
          .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
      assertEquals("ready", synced.bodyAsJsonObject().getJsonObject("result").getString("status"), synced.bodyAsString());
    }
    Instant now = Instant.now();
    for (String id : List.of("team", "other")) {
      result(gw.gateway.stores().portals().create(new Portal("acme", id, "Portal " + id, id + ".toggles.test", null, CodeMode.OPT_IN, false,
          List.of(new PortalServer("everything", false, true, List.of(), List.of()), new PortalServer("modern", false, true, List.of(), List.of())),
          now, "test", now, "test")));
    }
  }

  @AfterAll
  static void stop() {
    result(gw.stop());
    result(vertx.close());
    everything.close();
    modern.close();
  }

  // ---- the tool ----

  @Test
  void untoggleHidesAMemberFromThatSessionOnlyAndToggleBringsItBack() {
    String mine = session(TestGateway.AGENT);
    String another = session(TestGateway.AGENT);
    JsonObject off = tool(mine, "portal_toggle_single_server", new JsonObject().put("server_id", "everything").put("action", "untoggle"));
    assertNull(off.getValue("isError"), off.encode());
    assertEquals(new JsonObject().put("server_id", "everything").put("enabled", false), off.getJsonObject("structuredContent"));
    assertTrue(text(off).contains("off for this session"), text(off));

    List<String> tools = names(post(mine, request("tools/list", new JsonObject())), "tools");
    assertTrue(tools.stream().noneMatch(t -> t.startsWith("everything_")), tools.toString());
    assertTrue(tools.containsAll(List.of("modern_echo", "portal_list_servers", "portal_toggle_single_server", "portal_toggle_servers")),
        tools.toString());
    assertTrue(names(post(mine, request("prompts/list", new JsonObject())), "prompts").stream().noneMatch(p -> p.startsWith("everything_")));
    JsonObject refused = post(mine, request("tools/call", new JsonObject().put("name", "everything_echo")
        .put("arguments", new JsonObject().put("message", "hi"))));
    assertEquals(-32602, refused.getJsonObject("error").getInteger("code"), refused.encode());
    assertTrue(refused.getJsonObject("error").getString("message").contains("Unknown tool"), refused.encode());
    JsonObject prompt = post(mine, request("prompts/get", new JsonObject().put("name", "everything_simple-prompt")));
    assertEquals(-32602, prompt.getJsonObject("error").getInteger("code"), prompt.encode());
    JsonObject listed = tool(mine, "portal_list_servers", new JsonObject()).getJsonObject("structuredContent");
    assertEquals(Map.of("everything", false, "modern", true), enabled(listed));

    // another session of the same client token, and a stateless agent of that token, still see everything
    assertTrue(names(post(another, request("tools/list", new JsonObject())), "tools").contains("everything_echo"));
    assertTrue(names(stateless(TestGateway.AGENT, "tools/list", null, new JsonObject()), "tools").contains("everything_echo"));
    assertEquals(Map.of("everything", true, "modern", true),
        enabled(tool(another, "portal_list_servers", new JsonObject()).getJsonObject("structuredContent")));

    JsonObject on = tool(mine, "portal_toggle_single_server", new JsonObject().put("server_id", "everything").put("action", "toggle"));
    assertEquals(true, on.getJsonObject("structuredContent").getBoolean("enabled"), on.encode());
    assertNull(on.getJsonObject("structuredContent").getValue("authorization_url"), "an unauthenticated member needs no connection");
    assertTrue(names(post(mine, request("tools/list", new JsonObject())), "tools").contains("everything_echo"));
    assertTrue(post(mine, request("tools/call", new JsonObject().put("name", "everything_echo")
        .put("arguments", new JsonObject().put("message", "back again")))).encode().contains("back again"));
  }

  @Test
  void theOfficialSdkClientSwitchesAMemberOffAndOnInItsSession() {
    JsonObject report = NodeAgent.run("http://127.0.0.1:" + gw.gateway.port() + "/mcp/acme/portals/team", TestGateway.AGENT, new JsonArray()
        .add(new JsonObject().put("op", "callTool").put("name", "portal_toggle_single_server")
            .put("arguments", new JsonObject().put("server_id", "modern").put("action", "untoggle")))
        .add(new JsonObject().put("op", "listTools"))
        .add(new JsonObject().put("op", "callTool").put("name", "modern_echo").put("arguments", new JsonObject().put("text", "x")))
        .add(new JsonObject().put("op", "callTool").put("name", "portal_toggle_single_server")
            .put("arguments", new JsonObject().put("server_id", "modern").put("action", "toggle")))
        .add(new JsonObject().put("op", "callTool").put("name", "modern_echo").put("arguments", new JsonObject().put("text", "heard"))));
    assertTrue(NodeAgent.step(report, 0).getBoolean("ok"), report.encode());
    List<String> tools = NodeAgent.step(report, 1).getJsonObject("result").getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList();
    assertTrue(tools.contains("everything_echo") && tools.stream().noneMatch(t -> t.startsWith("modern_")), tools.toString());
    assertTrue(NodeAgent.step(report, 2).encode().contains("Unknown tool"), NodeAgent.step(report, 2).encode());
    assertTrue(NodeAgent.step(report, 4).getBoolean("ok") && NodeAgent.step(report, 4).encode().contains("heard"), report.encode());
  }

  @Test
  void aStatelessAgentsSwitchesAreItsClientTokensAlone() {
    JsonObject off = statelessTool(TestGateway.ACME_AGENT, "portal_toggle_single_server",
        new JsonObject().put("server_id", "modern").put("action", "untoggle"));
    assertTrue(text(off).contains("off for this client"), off.encode());
    try {
      assertTrue(names(stateless(TestGateway.ACME_AGENT, "tools/list", null, new JsonObject()), "tools").stream()
          .noneMatch(t -> t.startsWith("modern_")));
      assertTrue(names(stateless(TestGateway.AGENT, "tools/list", null, new JsonObject()), "tools").contains("modern_echo"), "another token");
      assertTrue(names(post(TestGateway.ACME_AGENT, session(TestGateway.ACME_AGENT), request("tools/list", new JsonObject())), "tools")
              .contains("modern_echo"),
          "a session keeps switches of its own, not its token's");
      JsonObject call = stateless(TestGateway.ACME_AGENT, "tools/call", "modern_echo",
          new JsonObject().put("name", "modern_echo").put("arguments", new JsonObject().put("text", "x")));
      assertEquals(-32602, call.getJsonObject("error").getInteger("code"), call.encode());
      // the token's switches hold across requests and the portal's other id: stored, not remembered per connection
      assertTrue(names(stateless(TestGateway.ACME_AGENT, "tools/list", null, new JsonObject()), "tools").stream()
          .noneMatch(t -> t.startsWith("modern_")));
      assertEquals(Set.of("modern"), result(gw.gateway.stores().toggles().off("acme", "team", "t:acme-agent", Instant.now())));
    } finally {
      statelessTool(TestGateway.ACME_AGENT, "portal_toggle_single_server", new JsonObject().put("server_id", "modern").put("action", "toggle"));
    }
    assertTrue(names(stateless(TestGateway.ACME_AGENT, "tools/list", null, new JsonObject()), "tools").contains("modern_echo"));
  }

  @Test
  void unknownServersAndBadArgumentsAreToolErrorsNotProtocolErrors() {
    String session = session(TestGateway.AGENT);
    JsonObject unknown = tool(session, "portal_toggle_single_server", new JsonObject().put("server_id", "nobody").put("action", "untoggle"));
    assertEquals(true, unknown.getBoolean("isError"), unknown.encode());
    assertTrue(text(unknown).contains("Unknown server 'nobody'"), text(unknown));
    JsonObject badAction = tool(session, "portal_toggle_single_server", new JsonObject().put("server_id", "everything").put("action", "off"));
    assertEquals(true, badAction.getBoolean("isError"), badAction.encode());
    assertEquals(true, tool(session, "portal_toggle_single_server", new JsonObject()).getBoolean("isError"));
    // a token limited to server "only" may not switch members it cannot use: to it they are not members
    JsonObject limited = statelessTool(TestGateway.ONLY_AGENT, "portal_toggle_single_server",
        new JsonObject().put("server_id", "everything").put("action", "untoggle"));
    assertEquals(true, limited.getBoolean("isError"), limited.encode());
    assertEquals(Set.of(), result(gw.gateway.stores().toggles().off("acme", "team", "t:only-agent", Instant.now())));
    assertTrue(names(post(session, request("tools/list", new JsonObject())), "tools").contains("everything_echo"), "nothing changed");
    PrometheusText metrics = PrometheusText.parse(result(gw.client.get("/metrics").send()).bodyAsString());
    assertTrue(metrics.value("mcp_gateway_portal_toggles_total", Map.of("portal", "team", "via", "tool", "outcome", "refused")) >= 2);
  }

  @Test
  void aSwitchTellsThatAgentsGetStreamAndNoOtherAgents() {
    HttpClient http = vertx.createHttpClient();
    String mine = session(TestGateway.AGENT);
    String another = session(TestGateway.AGENT);
    StringBuilder mineEvents = new StringBuilder();
    StringBuilder anotherEvents = new StringBuilder();
    StringBuilder tokenEvents = new StringBuilder();
    try {
      listen(http, mine, mineEvents);
      listen(http, another, anotherEvents);
      Promise<Void> acknowledged = Promise.promise();
      JsonObject subscribe = statelessRequest("subscriptions/listen",
          new JsonObject().put("notifications", new JsonObject().put("toolsListChanged", true)));
      RawHttp.send(http.request(raw(HttpMethod.POST, TestGateway.AGENT).putHeader("MCP-Protocol-Version", "2026-07-28")
          .putHeader("Mcp-Method", "subscriptions/listen")), subscribe.toBuffer(), response -> response.handler(chunk -> {
            tokenEvents.append(chunk);
            if (tokenEvents.toString().contains("acknowledged")) acknowledged.tryComplete();
          }));
      result(acknowledged.future());
      Await.until(() -> mineEvents.length() > 0 && anotherEvents.length() > 0, "both streams open");
      tool(mine, "portal_toggle_single_server", new JsonObject().put("server_id", "everything").put("action", "untoggle"));
      Await.until(() -> mineEvents.toString().contains("notifications/tools/list_changed"), "my stream: " + mineEvents);
      assertTrue(mineEvents.toString().contains("notifications/prompts/list_changed"), "everything has prompts too: " + mineEvents);
      tool(mine, "portal_toggle_single_server", new JsonObject().put("server_id", "everything").put("action", "toggle"));
      Await.until(() -> mineEvents.toString().split("notifications/tools/list_changed", -1).length == 3, "switched back: " + mineEvents);
      // the other agents' lists never changed: nothing was sent to them (a recheck of them ran twice)
      assertFalse(anotherEvents.toString().contains("list_changed"), anotherEvents.toString());
      assertFalse(tokenEvents.toString().contains("list_changed"), tokenEvents.toString());
      // a stateless agent's own switch reaches its subscription
      statelessTool(TestGateway.AGENT, "portal_toggle_single_server", new JsonObject().put("server_id", "modern").put("action", "untoggle"));
      Await.until(() -> tokenEvents.toString().contains("notifications/tools/list_changed"), "subscription: " + tokenEvents);
      assertFalse(anotherEvents.toString().contains("list_changed"), anotherEvents.toString());
    } finally {
      statelessTool(TestGateway.AGENT, "portal_toggle_single_server", new JsonObject().put("server_id", "modern").put("action", "toggle"));
      result(http.close());
    }
  }

  // ---- the page ----

  @Test
  void thePageShowsTheMembersAndItsFormsSwitchThemForThatSession() {
    String mine = session(TestGateway.AGENT);
    String another = session(TestGateway.AGENT);
    JsonObject answer = tool(mine, "portal_toggle_servers", new JsonObject());
    String url = answer.getJsonObject("structuredContent").getString("url");
    assertTrue(text(answer).contains(url), text(answer));
    URI link = URI.create(url);
    assertEquals("/portals/acme/team/servers", link.getPath(), url);
    String pathAndQuery = link.getRawPath() + "?" + link.getRawQuery();
    String ticket = ticketOf(link);

    HttpResponse<Buffer> page = result(gw.client.get(pathAndQuery).send());
    assertEquals(200, page.statusCode(), page.bodyAsString());
    assertEquals("text/html; charset=utf-8", page.getHeader("Content-Type"));
    strictHeaders(page.headers());
    String html = page.bodyAsString();
    assertTrue(html.contains("data-server=\"everything\" data-state=\"on\"") && html.contains("data-server=\"modern\" data-state=\"on\""), html);
    assertTrue(html.contains("Portal team") && html.contains("this session"), html);
    assertFalse(html.contains("<script") || html.contains(" style=") || html.contains("class=\"connect\""), html);

    HttpResponse<Buffer> switched = result(form(pathAndQuery, "ticket", ticket, "server", "everything", "action", "off"));
    assertEquals(303, switched.statusCode(), switched.bodyAsString());
    assertEquals(pathAndQuery, switched.getHeader("Location"));
    assertTrue(result(gw.client.get(pathAndQuery).send()).bodyAsString().contains("data-server=\"everything\" data-state=\"off\""));
    assertTrue(names(post(mine, request("tools/list", new JsonObject())), "tools").stream().noneMatch(t -> t.startsWith("everything_")));
    assertTrue(names(post(another, request("tools/list", new JsonObject())), "tools").contains("everything_echo"), "another session");
    assertEquals(false, enabled(tool(mine, "portal_list_servers", new JsonObject()).getJsonObject("structuredContent")).get("everything"));

    assertEquals(303, result(form(pathAndQuery, "ticket", ticket, "server", "modern", "action", "off")).statusCode());
    assertEquals(303, result(form(pathAndQuery, "ticket", ticket, "action", "reset")).statusCode());
    assertTrue(names(post(mine, request("tools/list", new JsonObject())), "tools").containsAll(List.of("everything_echo", "modern_echo")));
    // not a member (or not one this client may use) is refused
    HttpResponse<Buffer> nobody = result(form(pathAndQuery, "ticket", ticket, "server", "nobody", "action", "off"));
    assertEquals(400, nobody.statusCode());
    strictHeaders(nobody.headers());
  }

  @Test
  void withoutAValidTicketThePageRefusesAndNothingChanges() {
    String mine = session(TestGateway.AGENT);
    String url = tool(mine, "portal_toggle_servers", new JsonObject()).getJsonObject("structuredContent").getString("url");
    URI link = URI.create(url);
    String path = link.getRawPath();
    String ticket = ticketOf(link);
    String holder = "s:" + TokenHash.sha256Hex(mine);

    HttpResponse<Buffer> noTicket = result(gw.client.get(path).send());
    assertEquals(400, noTicket.statusCode());
    strictHeaders(noTicket.headers());
    assertEquals(400, result(form(path, "server", "everything", "action", "off")).statusCode(), "the POST must carry the ticket");

    String tampered = ticket.substring(0, ticket.length() - 6) + (ticket.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
    assertEquals(403, result(gw.client.get(path).addQueryParam("ticket", tampered).send()).statusCode());
    assertEquals(403, result(form(path, "ticket", tampered, "server", "everything", "action", "off")).statusCode());

    // the documented format, sealed by hand: valid it opens; expired, or for another portal, it does not
    long hourAhead = Instant.now().plusSeconds(3600).getEpochSecond();
    String valid = seal(new JsonObject().put("a", "acme").put("p", "team").put("c", "agent").put("h", holder).put("exp", hourAhead));
    assertEquals(200, result(gw.client.get(path).addQueryParam("ticket", valid).send()).statusCode());
    String expired = seal(new JsonObject().put("a", "acme").put("p", "team").put("c", "agent").put("h", holder)
        .put("exp", Instant.now().minusSeconds(5).getEpochSecond()));
    HttpResponse<Buffer> late = result(gw.client.get(path).addQueryParam("ticket", expired).send());
    assertEquals(403, late.statusCode());
    assertTrue(late.bodyAsString().contains("expired"), late.bodyAsString());
    assertEquals(403, result(form(path, "ticket", expired, "server", "everything", "action", "off")).statusCode());
    String otherPortal = seal(new JsonObject().put("a", "acme").put("p", "other").put("c", "agent").put("h", holder).put("exp", hourAhead));
    assertEquals(403, result(form(path, "ticket", otherPortal, "server", "everything", "action", "off")).statusCode());
    assertEquals(200, result(gw.client.get("/portals/acme/other/servers").addQueryParam("ticket", otherPortal).send()).statusCode());
    String gone = seal(new JsonObject().put("a", "acme").put("p", "team").put("c", "removed-token").put("h", holder).put("exp", hourAhead));
    assertEquals(403, result(form(path, "ticket", gone, "server", "everything", "action", "off")).statusCode(), "an unknown client");

    // a form whose ticket is not the page's, a field twice, another content type
    assertEquals(403, result(form(path + "?ticket=" + enc(valid), "ticket", ticket, "server", "everything", "action", "off")).statusCode());
    assertEquals(400, result(form(path, "ticket", ticket, "server", "everything", "server", "modern", "action", "off")).statusCode());
    HttpResponse<Buffer> json = result(gw.client.post(path).putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("ticket", ticket).put("server", "everything").put("action", "off")));
    assertEquals(415, json.statusCode());
    strictHeaders(json.headers());
    assertEquals(405, result(gw.client.delete(path).send()).statusCode());

    assertEquals(Set.of(), result(gw.gateway.stores().toggles().off("acme", "team", holder, Instant.now())), "nothing changed");
    assertEquals(Set.of(), result(gw.gateway.stores().toggles().off("acme", "other", holder, Instant.now())), "nothing changed");
    assertTrue(names(post(mine, request("tools/list", new JsonObject())), "tools").contains("everything_echo"));
    // and with its own ticket the same form works
    assertEquals(303, result(form(path, "ticket", ticket, "server", "everything", "action", "off")).statusCode());
    assertEquals(Set.of("everything"), result(gw.gateway.stores().toggles().off("acme", "team", holder, Instant.now())));
  }

  // ---- helpers ----

  static void strictHeaders(MultiMap headers) {
    String csp = headers.get("Content-Security-Policy");
    assertNotNull(csp, headers.toString());
    assertTrue(csp.startsWith("default-src 'none'; style-src 'sha256-") && csp.contains("form-action 'self'")
        && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"), csp);
    assertEquals("no-store", headers.get("Cache-Control"));
    assertEquals("no-referrer", headers.get("Referrer-Policy"));
    assertEquals("nosniff", headers.get("X-Content-Type-Options"));
  }

  static String seal(JsonObject ticket) {
    SecretCipher gateway = new SecretCipher(Base64.getDecoder().decode(TestGateway.SECRET_KEY), new SecureRandom());
    return gateway.derive("portal-switches-ticket").seal(ticket.encode(), "portal_switches_ticket").ciphertext();
  }

  static String ticketOf(URI link) {
    String query = link.getRawQuery();
    assertTrue(query.startsWith("ticket="), query);
    return URLDecoder.decode(query.substring("ticket=".length()), StandardCharsets.UTF_8);
  }

  static String enc(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static io.vertx.core.Future<HttpResponse<Buffer>> form(String uri, String... fields) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) body.append(body.length() == 0 ? "" : "&").append(enc(fields[i])).append('=').append(enc(fields[i + 1]));
    return gw.client.post(uri).followRedirects(false).putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer(body.toString()));
  }

  static Map<String, Boolean> enabled(JsonObject listed) {
    return listed.getJsonArray("servers").stream().map(s -> (JsonObject) s)
        .collect(java.util.stream.Collectors.toMap(s -> s.getString("id"), s -> s.getBoolean("enabled")));
  }

  static HttpRequest<Buffer> byPath(String token) {
    return gw.client.post("/mcp/acme/portals/team").putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "application/json, text/event-stream");
  }

  static String session(String token) {
    HttpResponse<Buffer> init = result(byPath(token).sendJsonObject(request("initialize", new JsonObject().put("protocolVersion", "2025-11-25")
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "raw").put("version", "1")))));
    assertEquals(200, init.statusCode(), init.bodyAsString());
    return init.getHeader("Mcp-Session-Id");
  }

  static JsonObject post(String session, JsonObject message) {
    return post(TestGateway.AGENT, session, message);
  }

  static JsonObject post(String token, String session, JsonObject message) {
    return answer(result(byPath(token).putHeader("Mcp-Session-Id", session).sendJsonObject(message)));
  }

  static JsonObject tool(String session, String name, JsonObject arguments) {
    JsonObject answer = post(session, request("tools/call", new JsonObject().put("name", name).put("arguments", arguments)));
    assertNotNull(answer.getJsonObject("result"), answer.encode());
    return answer.getJsonObject("result");
  }

  static JsonObject stateless(String token, String method, String name, JsonObject params) {
    HttpRequest<Buffer> post = byPath(token).putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", method);
    if (name != null) post.putHeader("Mcp-Name", name);
    return answer(result(post.sendJsonObject(statelessRequest(method, params))));
  }

  static JsonObject statelessTool(String token, String name, JsonObject arguments) {
    JsonObject answer = stateless(token, "tools/call", name, new JsonObject().put("name", name).put("arguments", arguments));
    assertNotNull(answer.getJsonObject("result"), answer.encode());
    return answer.getJsonObject("result");
  }

  static JsonObject statelessRequest(String method, JsonObject params) {
    params.put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1")));
    return request(method, params);
  }

  static JsonObject request(String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method).put("params", params);
  }

  /** A JSON answer, or the last event of an SSE one. */
  static JsonObject answer(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String type = response.getHeader("Content-Type");
    if (type == null || !type.startsWith("text/event-stream")) return response.bodyAsJsonObject();
    String last = null;
    for (String line : response.bodyAsString().split("\r?\n")) if (line.startsWith("data:")) last = line.substring(5).trim();
    assertNotNull(last, response.bodyAsString());
    return new JsonObject(last);
  }

  static String text(JsonObject result) {
    return result.getJsonArray("content").getJsonObject(0).getString("text");
  }

  static List<String> names(JsonObject answer, String field) {
    assertNotNull(answer.getJsonObject("result"), answer.encode());
    return answer.getJsonObject("result").getJsonArray(field).stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  static void listen(HttpClient http, String session, StringBuilder events) {
    Promise<Void> open = Promise.promise();
    RawHttp.send(http.request(raw(HttpMethod.GET, TestGateway.AGENT).putHeader("Mcp-Session-Id", session)), null,
        response -> response.handler(chunk -> {
          synchronized (events) {
            events.append(chunk);
          }
          open.tryComplete();
        }));
    result(open.future());
  }

  static RequestOptions raw(HttpMethod method, String token) {
    return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(gw.gateway.port()).setURI("/mcp/acme/portals/team")
        .putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json, text/event-stream")
        .putHeader("Content-Type", "application/json");
  }
}
