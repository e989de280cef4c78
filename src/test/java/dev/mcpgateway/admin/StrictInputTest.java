package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The input rules below the HTTP layer: strict JSON, free-text characters, credential shapes, portal hostnames. */
class StrictInputTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/* c */ {}", "{\"a\":1} // trailing", "{\"id\":\"a\",\"id\":\"b\"}", "{'a':1}", "{a:1}", "[1,]", "{\"a\":1}{}",
      "{\"a\":NaN}", "01", ""})
  void lenientOrMalformedJsonIsRefused(String text) {
    assertEquals(Optional.empty(), StrictJson.parse(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void invalidUtf8IsRefusedAndDeepNestingIsBounded() {
    assertEquals(Optional.empty(), StrictJson.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}));
    assertEquals(Optional.empty(), StrictJson.parse(("[".repeat(100) + "]".repeat(100)).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void strictJsonGivesVertxTypes() {
    Object value = StrictJson.parse("{\"a\":{\"b\":[1,\"x\",null]}}".getBytes(StandardCharsets.UTF_8)).orElseThrow();
    JsonObject object = assertInstanceOf(JsonObject.class, value);
    assertInstanceOf(JsonObject.class, object.getValue("a"));
    assertInstanceOf(JsonArray.class, object.getJsonObject("a").getValue("b"));
    assertEquals(StrictJson.NULL, StrictJson.parse("null".getBytes(StandardCharsets.UTF_8)).orElseThrow());
  }

  static Stream<Arguments> freeTexts() {
    return Stream.of(
        Arguments.of("plain text", false, true),
        Arguments.of("h\u00e9llo \u2603 \uD83D\uDE00", false, true),
        Arguments.of("tab\there", false, false),
        Arguments.of("tab\there", true, true),
        Arguments.of("line\nbreak", true, true),
        Arguments.of("line\r\nbreak", false, false),
        Arguments.of("nul\u0000char", true, false),
        Arguments.of("esc\u001b[31m", true, false),
        Arguments.of("c1\u0085control", true, false),
        Arguments.of("lone \uD800 surrogate", true, false),
        Arguments.of("lone \uDC00 low", true, false));
  }

  @ParameterizedTest(name = "[{index}] multiline={1} → ok={2}")
  @MethodSource("freeTexts")
  void freeText(String text, boolean multiline, boolean ok) {
    assertEquals(ok, TextRules.problem(text, multiline).isEmpty(), () -> String.valueOf(TextRules.problem(text, multiline)));
  }

  @ParameterizedTest(name = "{0} → ok={1}")
  @CsvSource(delimiter = '|', value = {
      "ghp_abcDEF123456|true",
      "eyJhbGciOiJIUzI1NiJ9.e30.abc-_~+/=|true",
      "with space|false",
      "caf\u00e9|false",
      "line\u2028sep|false",
      "{\"headers\": {\"X-Api-Key\": \"k1\", \"X-Tenant\": \"t 1\"}}|true",
      "{\"headers\": {\"X-A\": \"1\", \"x-a\": \"2\"}}|false",
      "{\"headers\": {\"X-A\": \"caf\u00e9\"}}|false",
      "{\"headers\": {\"X-A\": \"1\"}, \"extra\": 1}|false",
      "{\"headers\": {}}|false",
      "{\"headers\": {\"Host\": \"evil\"}}|false",
      "{\"headers\": {\"X-A\": 1}}|false",
      "{\"headers\": {\"X-A\": \"1\", \"X-A\": \"2\"}}|false",
      "{/* c */ \"headers\": {\"X-A\": \"1\"}}|false",
  })
  void credentials(String credentials, boolean ok) {
    assertEquals(ok, CredentialsFormat.problem(credentials).isEmpty(), () -> String.valueOf(CredentialsFormat.problem(credentials)));
  }

  /** A portal's hostname: a bare DNS host; the OpenAPI pattern ({@link PortalHostname#PATTERN}) says the same. */
  @ParameterizedTest(name = "{0} → ok={1}")
  @CsvSource(delimiter = '|', value = {
      "mcp.example.com|true",
      "MCP.Example.COM|true",
      "portal|true",
      "a-b.c-d.example|true",
      "xn--bcher-kva.example|true",
      "1password.example|true",
      "x.123abc|true",
      "https://mcp.example.com|false",
      "mcp.example.com/mcp|false",
      "mcp.example.com:443|false",
      "user@mcp.example.com|false",
      "mcp.example.com?x=1|false",
      "mcp.example.com#top|false",
      "127.0.0.1|false",
      "2130706433|false",
      "0x7f.1|false",
      "host.0x10|false",
      "[::1]|false",
      "::1|false",
      "mcp.example.com.|false",
      ".mcp.example.com|false",
      "mcp..example.com|false",
      "-mcp.example.com|false",
      "mcp-.example.com|false",
      "mcp_portal.example.com|false",
      "b\u00fccher.example|false",
      "mcp example.com|false",
      "mcp.exa\u0000mple.com|false",
  })
  void portalHostnames(String host, boolean ok) {
    assertEquals(ok, PortalHostname.problem(host).isEmpty(), () -> String.valueOf(PortalHostname.problem(host)));
    assertEquals(ok, java.util.regex.Pattern.compile(PortalHostname.PATTERN).matcher(host).matches(), "the OpenAPI pattern");
  }

  @Test
  void portalHostnameLengths() {
    String label = "a".repeat(63);
    String longest = String.join(".", label, label, label, "a".repeat(61)); // 253
    assertEquals(253, longest.length());
    for (String[] c : new String[][] {{longest, "true"}, {longest + "a", "false"}, {"a".repeat(64) + ".example", "false"},
        {label + ".example", "true"}}) {
      boolean ok = Boolean.parseBoolean(c[1]);
      assertEquals(ok, PortalHostname.problem(c[0]).isEmpty(), c[0].length() + ": " + PortalHostname.problem(c[0]));
      assertEquals(ok, java.util.regex.Pattern.compile(PortalHostname.PATTERN).matcher(c[0]).matches(), "the OpenAPI pattern");
    }
  }

  @Test
  void anInvalidHeaderNameIsNotEchoed() {
    String problem = CredentialsFormat.problem("{\"headers\": {\"Authorization: Bearer SECRET\": \"\"}}").orElseThrow();
    assertTrue(!problem.contains("SECRET"), problem);
  }
}
