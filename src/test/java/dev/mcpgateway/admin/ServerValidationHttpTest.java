package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerStatus;
import dev.mcpgateway.support.RawHttp;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validation rule of the management API's create (POST) and update (PUT), over real HTTP
 * against a real gateway on the embedded store. Each case is named after the behaviour it pins.
 *
 * <p>Every response is checked to be the Cloudflare envelope {@code {success, errors, messages,
 * result}}; every rejection is checked for its HTTP status, exactly one error per problem (code and
 * {@code source.pointer}), and that it left the stored data as it was. No response may ever contain
 * a credential: every secret used here contains {@link #SECRET}, and {@link #send} fails the test
 * on any response body that contains it.
 *
 * <p>One gateway serves the whole class (started in {@code @BeforeAll}); the JUnit thread waits for
 * each HTTP exchange, which keeps hundreds of table-driven cases readable.
 */
@DisplayName("Server validation over HTTP (create and update)")
class ServerValidationHttpTest {
  // Stable error codes of the API contract (ErrorCode.java); spelled out so a renumbering fails here.
  static final int INVALID_JSON = 1001;
  static final int BODY_NOT_OBJECT = 1002;
  static final int BODY_TOO_LARGE = 1003;
  static final int UNSUPPORTED_MEDIA_TYPE = 1004;
  static final int MISSING_FIELD = 1101;
  static final int WRONG_TYPE = 1102;
  static final int INVALID_LENGTH = 1103;
  static final int INVALID_FORMAT = 1104;
  static final int INVALID_VALUE = 1105;
  static final int DUPLICATE_OVERRIDE = 1106;
  static final int NAME_CONFLICT = 1107;
  static final int ID_MISMATCH = 1108;
  static final int INVALID_QUERY_PARAMETER = 1201;
  static final int SERVER_NOT_FOUND = 2001;
  static final int DUPLICATE_SERVER = 2002;

  /** Part of every credential used in this class; no response body may ever contain it. */
  static final String SECRET = "SeCrEt";
  static final String ACCOUNT = "acme";
  static final String LIST_ACCOUNT = "list-test";
  static final int MAX_BODY_BYTES = 65536; // TestGateway's server.max_body_bytes
  static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars
  static final String PATH_ID = "$path-id"; // in an update body: replaced by the id of the server updated
  private static final Object ABSENT = new Object();
  private static final AtomicInteger IDS = new AtomicInteger();

  @TempDir static Path dataDir;
  static Vertx vertx;
  static TestGateway gw;
  static HttpClient http;

  @BeforeAll
  static void startGateway() {
    vertx = Vertx.vertx();
    gw = await(TestGateway.start(vertx, dataDir, null));
    http = vertx.createHttpClient();
    for (ListedServer s : LISTED) {
      Resp r = send(HttpMethod.POST, TestGateway.servers(LIST_ACCOUNT), TestGateway.ADMIN, "application/json",
          new JsonObject().put("id", s.id).put("name", s.name).put("hostname", s.hostname)
              .put("auth_type", "unauthenticated").toBuffer());
      assertOk(r);
    }
  }

  /** The display name of the running case, prefixed to failure messages (surefire reports only an index). */
  static String current = "";

  @BeforeEach
  void rememberCase(TestInfo info) {
    current = info.getDisplayName();
  }

  @AfterAll
  static void stopGateway() {
    if (http != null) await(http.close());
    if (gw != null) await(gw.stop());
    if (vertx != null) await(vertx.close());
  }

  // ---------------------------------------------------------------------------------------------
  // Cases
  // ---------------------------------------------------------------------------------------------

  /** A body and the errors it must produce; no errors means it must be accepted. */
  record Case(String behaviour, JsonObject body, List<String> errors) {
    boolean accepted() {
      return errors.isEmpty();
    }

    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Case ok(String behaviour, JsonObject body) {
    return new Case(behaviour, body, List.of());
  }

  static Case rejected(String behaviour, JsonObject body, String... errors) {
    return new Case(behaviour, body, List.of(errors));
  }

  /** One expected error: "code pointer". */
  static String e(int code, String pointer) {
    return code + " " + pointer;
  }

  static String nextId() {
    return "s" + IDS.incrementAndGet();
  }

  /** A valid create body (unauthenticated) with a fresh id, changed by key/value pairs (ABSENT removes). */
  static JsonObject create(Object... keyValues) {
    return with(new JsonObject()
        .put("id", nextId())
        .put("name", "Example server")
        .put("hostname", "https://mcp.example.com/mcp")
        .put("auth_type", "unauthenticated"), keyValues);
  }

  /** A valid bearer create body with a fresh id. */
  static JsonObject bearer(Object... keyValues) {
    return with(create("auth_type", "bearer", "auth_credentials", SECRET + "-base-token"), keyValues);
  }

  static JsonObject with(JsonObject body, Object... keyValues) {
    for (int i = 0; i < keyValues.length; i += 2) {
      String key = (String) keyValues[i];
      if (keyValues[i + 1] == ABSENT) body.remove(key);
      else body.put(key, keyValues[i + 1]);
    }
    return body;
  }

  static JsonObject body(Object... keyValues) {
    return with(new JsonObject(), keyValues);
  }

  static JsonArray array(Object... items) {
    return new JsonArray(Arrays.asList(items));
  }

  static JsonObject override(Object... keyValues) {
    return body(keyValues);
  }

  static JsonObject headers(Object... keyValues) {
    return new JsonObject().put("headers", body(keyValues));
  }

  static String headersJson(Object... keyValues) {
    return headers(keyValues).encode();
  }

  static String repeat(String s, int times) {
    return s.repeat(times);
  }

  // ---------------------------------------------------------------------------------------------
  // Create: table-driven field rules
  // ---------------------------------------------------------------------------------------------

  static Stream<Case> lengthCases() {
    return Stream.of(
        ok("id of 1 character is accepted", create("id", "a")),
        ok("id of 32 characters is accepted", create("id", repeat("i", 32))),
        rejected("id of 33 characters is rejected", create("id", repeat("j", 33)), e(INVALID_LENGTH, "/id")),
        rejected("empty id is rejected with one error", create("id", ""), e(INVALID_LENGTH, "/id")),
        ok("name of 1 character is accepted", create("name", "n")),
        ok("name of 350 characters is accepted", create("name", repeat("n", 350))),
        ok("name of 350 emoji (700 UTF-16 units) is accepted: lengths count code points",
            create("name", repeat(EMOJI, 350))),
        rejected("name of 351 characters is rejected", create("name", repeat("n", 351)), e(INVALID_LENGTH, "/name")),
        rejected("name of 351 emoji is rejected", create("name", repeat(EMOJI, 351)), e(INVALID_LENGTH, "/name")),
        rejected("empty name is rejected", create("name", ""), e(INVALID_LENGTH, "/name")),
        rejected("blank name is rejected", create("name", "   "), e(INVALID_LENGTH, "/name")),
        ok("description of 512 characters is accepted", create("description", repeat("d", 512))),
        ok("description of 512 emoji is accepted", create("description", repeat(EMOJI, 512))),
        ok("empty description is accepted", create("description", "")),
        ok("null description is accepted", create("description", null)),
        rejected("description of 513 characters is rejected", create("description", repeat("d", 513)),
            e(INVALID_LENGTH, "/description")),
        rejected("description of 513 emoji is rejected", create("description", repeat(EMOJI, 513)),
            e(INVALID_LENGTH, "/description")),
        ok("hostname of 2048 characters is accepted",
            create("hostname", "https://mcp.example.com/" + repeat("h", 2048 - 24))),
        rejected("hostname of 2049 characters is rejected with one error",
            create("hostname", "https://mcp.example.com/" + repeat("h", 2049 - 24)), e(INVALID_LENGTH, "/hostname")),
        rejected("empty hostname is rejected with one error", create("hostname", ""), e(INVALID_LENGTH, "/hostname")),
        ok("auth_credentials of 16384 characters are accepted", bearer("auth_credentials", SECRET + repeat("c", 16384 - 6))),
        rejected("auth_credentials of 16385 characters are rejected",
            bearer("auth_credentials", SECRET + repeat("c", 16385 - 6)), e(INVALID_LENGTH, "/auth_credentials")));
  }

  static Stream<Case> idCharacterCases() {
    Stream<Case> accepted = Stream.of(
        ok("id of letters, digits and '-' is accepted", create("id", "Abc-123-xyz")),
        ok("id of digits only is accepted", create("id", "0123456789")),
        ok("id in upper case is accepted", create("id", "UPPER-CASE")));
    Stream<Case> rejectedIds = Stream.of(
            "with_underscore", "with space", "with/slash", "with.dot", "../up", "colon:id", "percent%2F",
            "t\u00fcr", "emoji" + EMOJI, "new\nline", "tab\tid", "quote\"id")
        .map(id -> rejected("id " + printable(id) + " is rejected: only letters, digits and '-'",
            create("id", id), e(INVALID_FORMAT, "/id")));
    return Stream.concat(accepted, rejectedIds);
  }

  static Stream<Case> hostnameCases() {
    Stream<Case> accepted = Stream.of(
            "https://mcp.example.com/mcp", "http://mcp.example.com", "https://mcp.example.com:8443/mcp/v1?x=1",
            "http://127.0.0.1:8080/mcp", "http://localhost:3000/", "https://[::1]:8443/mcp", "http://10.0.0.7/mcp",
            "HTTPS://MCP.Example.com/Path")
        .map(h -> ok("hostname " + h + " is accepted", create("hostname", h)));
    Map<String, String> rejections = new LinkedHashMap<>();
    rejections.put("ftp://mcp.example.com/", "a non-http scheme");
    rejections.put("ws://mcp.example.com/", "a websocket scheme");
    rejections.put("file:///etc/passwd", "a file URI");
    rejections.put("javascript:alert(1)", "an opaque URI");
    rejections.put("mcp.example.com/mcp", "a relative reference");
    rejections.put("/mcp", "an absolute path");
    rejections.put("//mcp.example.com/mcp", "a scheme-relative reference");
    rejections.put("http:///mcp", "no host");
    rejections.put("http://", "no host nor path");
    rejections.put("https://user:pass@mcp.example.com/", "user-info");
    rejections.put("http://u:p@h/", "user-info on a short host");
    rejections.put("https://token@mcp.example.com/", "a user name");
    rejections.put("https://mcp.example.com/mcp#section", "a fragment");
    rejections.put("https://mcp.example.com/#", "an empty fragment");
    rejections.put("http://169.254.169.254/latest/meta-data/", "the link-local metadata address");
    rejections.put("http://169.254.0.1:8080/", "a link-local IPv4 address");
    rejections.put("http://[fe80::1]/", "a link-local IPv6 address");
    rejections.put("http://[FE80::abcd]:80/", "a link-local IPv6 address in upper case");
    rejections.put("http://metadata.google.internal/computeMetadata/v1/", "the GCP metadata host");
    rejections.put("http://METADATA.GOOGLE.INTERNAL/", "the GCP metadata host in upper case");
    rejections.put("http://metadata.goog/", "the short GCP metadata host");
    rejections.put("http://[::ffff:169.254.169.254]/", "an IPv4-mapped link-local address");
    rejections.put("http://[::ffff:a9fe:a9fe]/", "an IPv4-mapped link-local address in hex");
    rejections.put("http://[fd00:ec2::254]/", "the AWS IPv6 metadata address");
    rejections.put(" https://mcp.example.com/", "leading whitespace");
    rejections.put("https://mcp example.com/", "a space in the host");
    rejections.put("https://mcp.example.com/\r\nX-Injected: 1", "CR/LF");
    // Rules a production gateway needs and this one may miss: same host, other spelling.
    rejections.put("http://metadata.google.internal./", "the GCP metadata host with a trailing dot");
    rejections.put("http://2852039166/", "the metadata address as one decimal number (the JDK resolves it to 169.254.169.254)");
    rejections.put("https://mcp.example.com:65536/", "a port above 65535");
    Stream<Case> rejectedHosts = rejections.entrySet().stream()
        .map(r -> rejected("hostname with " + r.getValue() + " (" + printable(r.getKey()) + ") is rejected",
            create("hostname", r.getKey()), e(INVALID_FORMAT, "/hostname")));
    return Stream.concat(accepted, rejectedHosts);
  }

  static Stream<Case> authTypeCases() {
    Stream<Case> accepted = Stream.of(
        ok("auth_type unauthenticated is accepted", create("auth_type", "unauthenticated")),
        ok("auth_type oauth is accepted", create("auth_type", "oauth")),
        ok("auth_type bearer with credentials is accepted", bearer()));
    Stream<Case> rejectedTypes = Stream.of("BEARER", "Bearer", "basic", "none", "api_key", " bearer", "bearer ")
        .map(t -> rejected("auth_type '" + t + "' is not one of the enum values",
            create("auth_type", t), e(INVALID_VALUE, "/auth_type")));
    Stream<Case> empty = Stream.of(
        rejected("empty auth_type is rejected with one error", create("auth_type", ""), e(INVALID_VALUE, "/auth_type")));
    return Stream.of(accepted, rejectedTypes, empty).flatMap(s -> s);
  }

  static Stream<Case> credentialCases() {
    String at = "/auth_credentials";
    JsonObject many = new JsonObject();
    IntStream.rangeClosed(1, 32).forEach(i -> many.put("X-Header-" + i, SECRET + i));
    JsonObject tooMany = many.copy().put("X-Header-33", SECRET + 33);
    return Stream.of(
        ok("a raw bearer token is accepted", bearer("auth_credentials", SECRET + "-abc.DEF_123~+/==")),
        ok("JSON {headers} credentials are accepted", bearer("auth_credentials", headersJson("X-Api-Key", SECRET + "-1"))),
        ok("JSON credentials with several headers are accepted",
            bearer("auth_credentials", headersJson("Authorization", "Token " + SECRET, "X-Tenant", "t-" + SECRET))),
        ok("JSON credentials with leading whitespace are read as JSON",
            bearer("auth_credentials", "  \n" + headersJson("X-Api-Key", SECRET + "-2"))),
        ok("a header value may contain a space and a tab", bearer("auth_credentials", headersJson("X-Key", SECRET + " a\tb"))),
        ok("32 credential headers are accepted", bearer("auth_credentials", new JsonObject().put("headers", many).encode())),
        ok("null auth_credentials are accepted for unauthenticated", create("auth_credentials", null)),
        rejected("bearer without auth_credentials is rejected", bearer("auth_credentials", ABSENT), e(MISSING_FIELD, at)),
        rejected("bearer with null auth_credentials is rejected", bearer("auth_credentials", null), e(MISSING_FIELD, at)),
        rejected("auth_credentials for unauthenticated are rejected",
            create("auth_credentials", SECRET + "-unauth"), e(INVALID_VALUE, at)),
        rejected("a raw token as oauth auth_credentials is rejected (oauth takes a client configuration)",
            create("auth_type", "oauth", "auth_credentials", SECRET + "-oauth"), e(INVALID_FORMAT, at)),
        ok("an oauth pre-registered client is accepted",
            create("auth_type", "oauth", "auth_credentials", "{\"client_id\":\"gw\",\"client_secret\":\"" + SECRET + "-client\"}")),
        ok("an oauth client_credentials configuration is accepted", create("auth_type", "oauth", "auth_credentials",
            "{\"client_id\":\"gw\",\"client_secret\":\"" + SECRET + "-cc\",\"grant_type\":\"client_credentials\",\"scope\":\"mcp\"}")),
        rejected("oauth credentials with an unknown field are rejected",
            create("auth_type", "oauth", "auth_credentials", "{\"client_id\":\"gw\",\"token\":\"" + SECRET + "-x\"}"), e(INVALID_FORMAT, at)),
        rejected("client_credentials without a secret is rejected",
            create("auth_type", "oauth", "auth_credentials", "{\"client_id\":\"gw\",\"grant_type\":\"client_credentials\"}"),
            e(INVALID_FORMAT, at)),
        rejected("an oauth grant_type outside the two is rejected",
            create("auth_type", "oauth", "auth_credentials", "{\"client_id\":\"gw\",\"grant_type\":\"password\"}"), e(INVALID_FORMAT, at)),
        rejected("empty auth_credentials are rejected", bearer("auth_credentials", ""), e(INVALID_FORMAT, at)),
        rejected("a raw token with a space is rejected", bearer("auth_credentials", SECRET + " token"), e(INVALID_FORMAT, at)),
        rejected("a raw token with CR/LF (header injection) is rejected",
            bearer("auth_credentials", SECRET + "\r\nX-Injected: 1"), e(INVALID_FORMAT, at)),
        rejected("a raw token with a trailing LF is rejected", bearer("auth_credentials", SECRET + "\n"), e(INVALID_FORMAT, at)),
        rejected("a raw token with a leading tab is rejected", bearer("auth_credentials", "\t" + SECRET), e(INVALID_FORMAT, at)),
        rejected("a raw token with NUL is rejected", bearer("auth_credentials", SECRET + "\u0000"), e(INVALID_FORMAT, at)),
        rejected("a raw token with DEL is rejected", bearer("auth_credentials", SECRET + "\u007f"), e(INVALID_FORMAT, at)),
        rejected("malformed JSON credentials are rejected",
            bearer("auth_credentials", "{\"headers\": {\"X-Api-Key\": \"" + SECRET), e(INVALID_FORMAT, at)),
        rejected("JSON credentials with trailing text are rejected",
            bearer("auth_credentials", headersJson("X-Api-Key", SECRET) + " trailing"), e(INVALID_FORMAT, at)),
        rejected("JSON credentials without headers are rejected",
            bearer("auth_credentials", new JsonObject().put("token", SECRET).encode()), e(INVALID_FORMAT, at)),
        rejected("JSON credentials with a field besides headers are rejected",
            bearer("auth_credentials", headers("X-Api-Key", SECRET).put("extra", 1).encode()), e(INVALID_FORMAT, at)),
        rejected("JSON credentials whose headers are a string are rejected",
            bearer("auth_credentials", new JsonObject().put("headers", SECRET).encode()), e(INVALID_FORMAT, at)),
        rejected("JSON credentials with no header are rejected", bearer("auth_credentials", headersJson()), e(INVALID_FORMAT, at)),
        rejected("33 credential headers are rejected",
            bearer("auth_credentials", new JsonObject().put("headers", tooMany).encode()), e(INVALID_FORMAT, at)),
        rejected("a header name with a space is rejected",
            bearer("auth_credentials", headersJson("X Api Key", SECRET)), e(INVALID_FORMAT, at)),
        rejected("a header name with a colon is rejected",
            bearer("auth_credentials", headersJson("X-Api:Key", SECRET)), e(INVALID_FORMAT, at)),
        rejected("an empty header name is rejected", bearer("auth_credentials", headersJson("", SECRET)), e(INVALID_FORMAT, at)),
        rejected("a non-ASCII header name is rejected",
            bearer("auth_credentials", headersJson("X-Schl\u00fcssel", SECRET)), e(INVALID_FORMAT, at)),
        rejected("a header name with CR/LF is rejected",
            bearer("auth_credentials", headersJson("X-A\r\nX-B", SECRET)), e(INVALID_FORMAT, at)),
        rejected("the reserved header Host is rejected", bearer("auth_credentials", headersJson("Host", SECRET)), e(INVALID_FORMAT, at)),
        rejected("the reserved header host (lower case) is rejected",
            bearer("auth_credentials", headersJson("host", SECRET)), e(INVALID_FORMAT, at)),
        rejected("the reserved header Content-Length is rejected",
            bearer("auth_credentials", headersJson("Content-Length", "1")), e(INVALID_FORMAT, at)),
        rejected("the reserved header Mcp-Session-Id is rejected",
            bearer("auth_credentials", headersJson("Mcp-Session-Id", SECRET)), e(INVALID_FORMAT, at)),
        rejected("the reserved header Transfer-Encoding is rejected",
            bearer("auth_credentials", headersJson("Transfer-Encoding", "chunked")), e(INVALID_FORMAT, at)),
        rejected("a header value with CR/LF is rejected",
            bearer("auth_credentials", headersJson("X-Api-Key", SECRET + "\r\nX-Injected: 1")), e(INVALID_FORMAT, at)),
        rejected("a header value with NUL is rejected",
            bearer("auth_credentials", headersJson("X-Api-Key", SECRET + "\u0000")), e(INVALID_FORMAT, at)),
        rejected("a header value with DEL is rejected",
            bearer("auth_credentials", headersJson("X-Api-Key", SECRET + "\u007f")), e(INVALID_FORMAT, at)),
        rejected("a non-string header value is rejected", bearer("auth_credentials", headersJson("X-Api-Key", 42)), e(INVALID_FORMAT, at)),
        rejected("a null header value is rejected", bearer("auth_credentials", headersJson("X-Api-Key", null)), e(INVALID_FORMAT, at)),
        rejected("a secret pasted into a header name is not echoed back",
            bearer("auth_credentials", headersJson("Authorization: Bearer " + SECRET + "-pasted", "")), e(INVALID_FORMAT, at)));
  }

  /** Every field given every JSON type it must not have. */
  static Stream<Case> wrongTypeCases() {
    Map<String, Object> nonStrings = nonStrings();
    List<Case> cases = new ArrayList<>();
    for (String field : List.of("id", "name", "hostname", "auth_type")) {
      nonStrings.forEach((type, value) -> cases.add(rejected(field + " as " + type + " is a wrong type",
          create(field, value), e(WRONG_TYPE, "/" + field))));
      cases.add(rejected(field + " as null is a missing required field", create(field, null), e(MISSING_FIELD, "/" + field)));
      cases.add(rejected(field + " absent is a missing required field", create(field, ABSENT), e(MISSING_FIELD, "/" + field)));
    }
    for (String field : List.of("auth_credentials", "description")) {
      nonStrings.forEach((type, value) -> cases.add(rejected(field + " as " + type + " is a wrong type",
          create(field, value), e(WRONG_TYPE, "/" + field))));
    }
    for (String field : List.of("updated_tools", "updated_prompts")) {
      Map<String, Object> nonArrays = new LinkedHashMap<>();
      nonArrays.put("a number", 1);
      nonArrays.put("a boolean", true);
      nonArrays.put("a string", "search");
      nonArrays.put("an object", override("name", "search"));
      nonArrays.forEach((type, value) -> cases.add(rejected(field + " as " + type + " is a wrong type",
          create(field, value), e(WRONG_TYPE, "/" + field))));
      cases.add(ok(field + " as null is accepted (no overrides)", create(field, null)));
      Map<String, Object> nonObjects = new LinkedHashMap<>();
      nonObjects.put("a number", 1);
      nonObjects.put("a string", "search");
      nonObjects.put("a boolean", false);
      nonObjects.put("an array", array("search"));
      nonObjects.put("null", null);
      nonObjects.forEach((type, value) -> cases.add(rejected(field + " item as " + type + " is a wrong type",
          create(field, array(value)), e(WRONG_TYPE, "/" + field + "/0"))));
      for (String key : List.of("name", "alias", "description")) {
        nonStrings.forEach((type, value) -> cases.add(rejected(field + " item " + key + " as " + type + " is a wrong type",
            create(field, array(override("name", "search").put(key, value))), e(WRONG_TYPE, "/" + field + "/0/" + key))));
      }
      cases.add(rejected(field + " item without name is a missing field",
          create(field, array(override("alias", "find"))), e(MISSING_FIELD, "/" + field + "/0/name")));
      cases.add(rejected(field + " item with null name is a missing field",
          create(field, array(override("name", null))), e(MISSING_FIELD, "/" + field + "/0/name")));
      cases.add(ok(field + " item with null alias, description and enabled is accepted",
          create(field, array(override("name", "search", "alias", null, "description", null, "enabled", null)))));
      nonBooleans().forEach((type, value) -> cases.add(rejected(field + " item enabled as " + type + " is a wrong type",
          create(field, array(override("name", "search", "enabled", value))), e(WRONG_TYPE, "/" + field + "/0/enabled"))));
    }
    nonBooleans().forEach((type, value) -> cases.add(rejected("oauth_on_behalf as " + type + " is a wrong type",
        create("auth_type", "oauth", "oauth_on_behalf", value), e(WRONG_TYPE, "/oauth_on_behalf"))));
    cases.add(ok("oauth_on_behalf true on an oauth server is accepted", create("auth_type", "oauth", "oauth_on_behalf", true)));
    cases.add(rejected("oauth_on_behalf true on an unauthenticated server is rejected",
        create("oauth_on_behalf", true), e(INVALID_VALUE, "/oauth_on_behalf")));
    cases.add(ok("oauth_on_behalf false on an unauthenticated server is accepted", create("oauth_on_behalf", false)));
    nonBooleans().forEach((type, value) -> cases.add(rejected("is_shared_oauth_callback_enabled as " + type + " is a wrong type",
        create("is_shared_oauth_callback_enabled", value), e(WRONG_TYPE, "/is_shared_oauth_callback_enabled"))));
    cases.add(ok("is_shared_oauth_callback_enabled true is accepted", create("is_shared_oauth_callback_enabled", true)));
    cases.add(ok("is_shared_oauth_callback_enabled null is accepted (default)", create("is_shared_oauth_callback_enabled", null)));
    cases.add(ok("unknown and read-only fields are ignored", create("status", "ready", "tools", array(body("name", "x")),
        "created_by", "mallory", "created_at", "2000-01-01T00:00:00Z", "unknown", body("a", 1))));
    return cases.stream();
  }

  static Map<String, Object> nonStrings() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("a number", 42);
    values.put("a decimal number", 1.5);
    values.put("a boolean", true);
    values.put("an array", array("text"));
    values.put("an object", body("text", "x"));
    return values;
  }

  static Map<String, Object> nonBooleans() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("a string", "true");
    values.put("a number", 1);
    values.put("zero", 0);
    values.put("an array", array(true));
    values.put("an object", body("value", true));
    return values;
  }

  /** Alias, override name and description rules, and uniqueness within a list, for tools and prompts alike. */
  static Stream<Case> overrideCases() {
    List<Case> cases = new ArrayList<>();
    for (String list : List.of("updated_tools", "updated_prompts")) {
      String p = "/" + list;
      for (String alias : List.of("a-b_c", "find", "A1", "x", "Search2Web", "a_b-c_d", repeat("a", 40))) {
        cases.add(ok(list + " alias '" + printable(alias) + "' is accepted",
            create(list, array(override("name", "search", "alias", alias)))));
      }
      for (String alias : List.of("-a", "a-", "a--b", "a__b", "a_-b", "_a", "a b", "a.b", "a/b", "a:b", "\u00e4", "a" + EMOJI)) {
        cases.add(rejected(list + " alias '" + printable(alias) + "' does not match the alias pattern",
            create(list, array(override("name", "search", "alias", alias))), e(INVALID_FORMAT, p + "/0/alias")));
      }
      cases.add(rejected(list + " alias of 41 characters is rejected",
          create(list, array(override("name", "search", "alias", repeat("a", 41)))), e(INVALID_LENGTH, p + "/0/alias")));
      cases.add(rejected(list + " empty alias is rejected",
          create(list, array(override("name", "search", "alias", ""))), e(INVALID_LENGTH, p + "/0/alias")));
      cases.add(ok(list + " override name of 256 characters is accepted", create(list, array(override("name", repeat("t", 256))))));
      cases.add(ok(list + " override name of 256 emoji is accepted", create(list, array(override("name", repeat(EMOJI, 256))))));
      cases.add(rejected(list + " override name of 257 characters is rejected",
          create(list, array(override("name", repeat("t", 257)))), e(INVALID_LENGTH, p + "/0/name")));
      cases.add(rejected(list + " empty override name is rejected",
          create(list, array(override("name", ""))), e(INVALID_LENGTH, p + "/0/name")));
      cases.add(rejected(list + " blank override name is rejected",
          create(list, array(override("name", "  "))), e(INVALID_LENGTH, p + "/0/name")));
      cases.add(ok(list + " override description of 4096 characters is accepted",
          create(list, array(override("name", "search", "description", repeat("d", 4096))))));
      cases.add(rejected(list + " override description of 4097 characters is rejected",
          create(list, array(override("name", "search", "description", repeat("d", 4097)))), e(INVALID_LENGTH, p + "/0/description")));
      cases.add(ok(list + " empty list is accepted", create(list, array())));
      cases.add(ok(list + " full override is accepted",
          create(list, array(override("name", "search", "alias", "find", "description", "Finds.", "enabled", false)))));
      cases.add(ok(list + " alias equal to its own name is accepted",
          create(list, array(override("name", "search", "alias", "search")))));
      cases.add(ok(list + " of 1000 overrides is accepted", create(list, overrides(1000))));
      cases.add(rejected(list + " of 1001 overrides is rejected", create(list, overrides(1001)), e(INVALID_LENGTH, p)));
      cases.add(rejected(list + " with the same name twice is rejected",
          create(list, array(override("name", "search"), override("name", "search", "enabled", false))),
          e(DUPLICATE_OVERRIDE, p + "/1/name")));
      cases.add(rejected(list + " with the same alias twice is rejected",
          create(list, array(override("name", "search", "alias", "find"), override("name", "lookup", "alias", "find"))),
          e(NAME_CONFLICT, p + "/1/alias")));
      cases.add(rejected(list + " with an alias equal to a later override's name is rejected",
          create(list, array(override("name", "search", "alias", "lookup"), override("name", "lookup"))),
          e(NAME_CONFLICT, p + "/0/alias")));
      cases.add(rejected(list + " with an alias equal to an earlier override's name is rejected",
          create(list, array(override("name", "lookup"), override("name", "search", "alias", "lookup"))),
          e(NAME_CONFLICT, p + "/1/alias")));
      cases.add(rejected(list + " with three bad items gets three errors",
          create(list, array(override("name", ""), override("name", "ok", "alias", "-bad"), override("name", "x", "enabled", "no"))),
          e(INVALID_LENGTH, p + "/0/name"), e(INVALID_FORMAT, p + "/1/alias"), e(WRONG_TYPE, p + "/2/enabled")));
    }
    cases.add(ok("the same names and aliases in updated_tools and updated_prompts are accepted",
        create("updated_tools", array(override("name", "search", "alias", "find")),
            "updated_prompts", array(override("name", "search", "alias", "find")))));
    return cases.stream();
  }

  static JsonArray overrides(int count) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < count; i++) items.add(override("name", "t" + i));
    return items;
  }

  static Stream<Case> multipleProblemCases() {
    return Stream.of(
        rejected("a body with three problems gets three errors",
            body("id", "bad id", "name", "", "hostname", "ftp://mcp.example.com/", "auth_type", "unauthenticated"),
            e(INVALID_FORMAT, "/id"), e(INVALID_LENGTH, "/name"), e(INVALID_FORMAT, "/hostname")),
        rejected("an empty object misses all four required fields", body(),
            e(MISSING_FIELD, "/id"), e(MISSING_FIELD, "/name"), e(MISSING_FIELD, "/hostname"), e(MISSING_FIELD, "/auth_type")),
        rejected("every field of the wrong type gets its own error",
            body("id", 1, "name", true, "hostname", array(), "auth_type", body(), "auth_credentials", 2, "description", false,
                "updated_tools", "x", "updated_prompts", 3, "is_shared_oauth_callback_enabled", "yes"),
            e(WRONG_TYPE, "/id"), e(WRONG_TYPE, "/name"), e(WRONG_TYPE, "/hostname"), e(WRONG_TYPE, "/auth_type"),
            e(WRONG_TYPE, "/auth_credentials"), e(WRONG_TYPE, "/description"), e(WRONG_TYPE, "/updated_tools"),
            e(WRONG_TYPE, "/updated_prompts"), e(WRONG_TYPE, "/is_shared_oauth_callback_enabled")),
        rejected("problems in both override lists are all reported",
            create("updated_tools", array(override("name", "a", "alias", "b-")),
                "updated_prompts", array(override("name", "p"), override("name", "p")),
                "description", repeat("d", 513)),
            e(INVALID_FORMAT, "/updated_tools/0/alias"), e(DUPLICATE_OVERRIDE, "/updated_prompts/1/name"),
            e(INVALID_LENGTH, "/description")),
        rejected("missing bearer credentials are reported along with the other problems",
            body("id", "bad id", "name", "", "hostname", "https://mcp.example.com/", "auth_type", "bearer"),
            e(INVALID_FORMAT, "/id"), e(INVALID_LENGTH, "/name"), e(MISSING_FIELD, "/auth_credentials")),
        rejected("bad credentials and a bad hostname are both reported",
            bearer("hostname", "http://169.254.169.254/", "auth_credentials", SECRET + " x"),
            e(INVALID_FORMAT, "/hostname"), e(INVALID_FORMAT, "/auth_credentials")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"lengthCases", "idCharacterCases", "hostnameCases", "authTypeCases", "credentialCases", "wrongTypeCases",
      "overrideCases", "multipleProblemCases"})
  @DisplayName("create:")
  void create(Case c) {
    long before = countServers(ACCOUNT);
    Resp r = post(c.body());
    if (c.accepted()) {
      assertOk(r);
      JsonObject result = r.json().getJsonObject("result");
      for (String key : List.of("id", "name", "hostname", "auth_type", "description")) {
        if (c.body().getValue(key) instanceof String value) assertEquals(value, result.getString(key), key);
      }
      if (c.body().getValue("description") == null) assertFalse(result.containsKey("description"), "no description");
      assertEquals("waiting", result.getString("status"));
      assertEquals("acme-bot", result.getString("created_by"));
      assertFalse(result.containsKey("auth_credentials"), "credentials are write-only");
      assertEquals(result, read(result.getString("id")), "GET answers what create answered");
      assertOk(delete(result.getString("id")));
    } else {
      assertRejected(r, 400, c.errors());
      assertEquals(before, countServers(ACCOUNT), "a rejected create stores nothing");
      if (c.body().getValue("id") instanceof String id && id.matches("[A-Za-z0-9-]{1,32}")) {
        assertRejected(get(id), 404, List.of(e(SERVER_NOT_FOUND, "-")));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Body-level rules: JSON, object, size, media type (create and update alike)
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> malformedBodies() {
    Map<String, String> malformed = new LinkedHashMap<>();
    malformed.put("an unclosed object", "{");
    malformed.put("a missing value", "{\"id\": }");
    malformed.put("single quotes", "{'id': 'x'}");
    malformed.put("a trailing comma", "{\"id\": \"x\",}");
    malformed.put("two objects", "{} {}");
    malformed.put("trailing garbage", "{\"id\": \"x\"} x");
    malformed.put("a comment", "/* c */ {}");
    malformed.put("an unquoted key", "{id: \"x\"}");
    malformed.put("NaN", "{\"name\": NaN}");
    malformed.put("nesting 5000 deep", "{\"name\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
    return methods().flatMap(m -> malformed.entrySet().stream()
        .map(b -> Arguments.of(m + " of malformed JSON (" + b.getKey() + ") is rejected", m, b.getValue())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void malformedJsonIsRejected(String behaviour, HttpMethod method, String body) {
    assertBodyRejected(method, "application/json", Buffer.buffer(body), 400, List.of(e(INVALID_JSON, "-")));
  }

  static Stream<Arguments> nonObjectBodies() {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("an array", "[]");
    bodies.put("an array of an object", "[{\"id\": \"x\"}]");
    bodies.put("a string", "\"text\"");
    bodies.put("a number", "42");
    bodies.put("a boolean", "true");
    bodies.put("null", "null");
    bodies.put("an empty body", "");
    bodies.put("a blank body", "  \n ");
    return methods().flatMap(m -> bodies.entrySet().stream()
        .map(b -> Arguments.of(m + " of " + b.getKey() + " is rejected: the body must be an object", m, b.getValue())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonObjectBodies")
  void nonObjectBodiesAreRejected(String behaviour, HttpMethod method, String body) {
    assertBodyRejected(method, "application/json", Buffer.buffer(body), 400, List.of(e(BODY_NOT_OBJECT, "-")));
  }

  static Stream<Arguments> unsupportedMediaTypes() {
    return methods().flatMap(m -> Stream.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz", "application/xml", "application/octet-stream", "application/json-patch+json")
        .map(t -> Arguments.of(m + " with Content-Type " + t + " gets 415", m, t)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedMediaTypes")
  void nonJsonContentTypeIs415(String behaviour, HttpMethod method, String contentType) {
    assertBodyRejected(method, contentType, create("name", "changed").toBuffer(), 415,
        List.of(e(UNSUPPORTED_MEDIA_TYPE, "-")));
  }

  static Stream<Arguments> jsonMediaTypes() {
    return Stream.of(Arguments.of("application/json; charset=utf-8"), Arguments.of("Application/JSON"), Arguments.of((Object) null));
  }

  @ParameterizedTest(name = "create with Content-Type {0} is accepted as JSON")
  @MethodSource("jsonMediaTypes")
  void jsonContentTypesAreAccepted(String contentType) {
    JsonObject body = create();
    assertOk(send(HttpMethod.POST, path(ACCOUNT), TestGateway.ACME, contentType, body.toBuffer()));
    assertOk(delete(body.getString("id")));
  }

  static Stream<HttpMethod> methods() {
    return Stream.of(HttpMethod.POST, HttpMethod.PUT);
  }

  @ParameterizedTest(name = "{0} of a body over max_body_bytes gets 413 and changes nothing")
  @MethodSource("methods")
  void bodyOverTheLimitIs413(HttpMethod method) {
    Buffer body = create("description", repeat("d", MAX_BODY_BYTES)).toBuffer();
    assertTrue(body.length() > MAX_BODY_BYTES);
    assertBodyRejected(method, "application/json", body, 413, List.of(e(BODY_TOO_LARGE, "-")));
  }

  @Test
  @DisplayName("a chunked body over max_body_bytes (no Content-Length) gets 413 and stores nothing")
  void chunkedBodyOverTheLimitIs413() {
    long before = countServers(ACCOUNT);
    JsonObject body = create("description", repeat("d", MAX_BODY_BYTES + 10));
    Resp r = await(RawHttp.exchange(http.request(HttpMethod.POST, gw.gateway.port(), "127.0.0.1", path(ACCOUNT))
        .map(req -> req.setChunked(true).putHeader("Authorization", "Bearer " + TestGateway.ACME)
            .putHeader("Content-Type", "application/json")), body.toBuffer())
        .map(answer -> parse(answer.status(), answer.body().toString())));
    assertRejected(r, 413, List.of(e(BODY_TOO_LARGE, "-")));
    assertEquals(before, countServers(ACCOUNT));
  }

  @Test
  @DisplayName("a body of exactly max_body_bytes is read and validated (400, not 413)")
  void bodyOfExactlyTheLimitIsValidated() {
    String prefix = "{\"id\":\"exact-limit\",\"name\":\"n\",\"hostname\":\"https://mcp.example.com/\","
        + "\"auth_type\":\"unauthenticated\",\"description\":\"";
    String suffix = "\"}";
    String json = prefix + repeat("d", MAX_BODY_BYTES - prefix.length() - suffix.length()) + suffix;
    assertEquals(MAX_BODY_BYTES, json.getBytes(StandardCharsets.UTF_8).length);
    assertRejected(send(HttpMethod.POST, path(ACCOUNT), TestGateway.ACME, "application/json", Buffer.buffer(json)), 400,
        List.of(e(INVALID_LENGTH, "/description")));
    assertRejected(get("exact-limit"), 404, List.of(e(SERVER_NOT_FOUND, "-")));
  }

  /** Sends the body as a create, or as an update of a fresh server, and checks the rejection and that nothing changed. */
  void assertBodyRejected(HttpMethod method, String contentType, Buffer body, int status, List<String> errors) {
    if (method == HttpMethod.POST) {
      long before = countServers(ACCOUNT);
      assertRejected(send(HttpMethod.POST, path(ACCOUNT), TestGateway.ACME, contentType, body), status, errors);
      assertEquals(before, countServers(ACCOUNT), "a rejected create stores nothing");
    } else {
      String id = createFixture(false);
      JsonObject before = read(id);
      assertRejected(send(HttpMethod.PUT, path(ACCOUNT) + "/" + id, TestGateway.ACME, contentType, body), status, errors);
      assertEquals(before, read(id), "a rejected update changes nothing");
      assertOk(delete(id));
    }
  }

  @Test
  @DisplayName("creating an existing id is 409 and leaves the existing server as it was")
  void duplicateCreateIs409() {
    JsonObject first = create("name", "First");
    assertOk(post(first));
    JsonObject stored = read(first.getString("id"));
    assertRejected(post(first.copy().put("name", "Second").put("hostname", "https://other.example.com/")), 409,
        List.of(e(DUPLICATE_SERVER, "-")));
    assertEquals(stored, read(first.getString("id")));
    assertOk(delete(first.getString("id")));
  }

  @Test
  @DisplayName("credentials are write-only: never in the create, read or list response")
  void credentialsAreNeverReturned() {
    // send() already fails on any response containing SECRET; this also checks the field is absent.
    JsonObject body = bearer("auth_credentials", headersJson("X-Api-Key", SECRET + "-write-only"));
    Resp created = post(body);
    assertOk(created);
    assertFalse(created.json().getJsonObject("result").containsKey("auth_credentials"));
    assertFalse(read(body.getString("id")).containsKey("auth_credentials"));
    assertOk(send(HttpMethod.GET, path(ACCOUNT) + "?per_page=100", TestGateway.ACME, null, null));
    assertOk(delete(body.getString("id")));
  }

  // ---------------------------------------------------------------------------------------------
  // Update (PUT)
  // ---------------------------------------------------------------------------------------------

  /** An update body for a fresh synced server (bearer or unauthenticated) and the errors it must produce. */
  record UpdateCase(String behaviour, boolean bearer, JsonObject body, List<String> errors) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static UpdateCase rejectedUpdate(String behaviour, JsonObject body, String... errors) {
    return new UpdateCase(behaviour, false, body, List.of(errors));
  }

  static UpdateCase rejectedBearerUpdate(String behaviour, JsonObject body, String... errors) {
    return new UpdateCase(behaviour, true, body, List.of(errors));
  }

  static Stream<UpdateCase> rejectedUpdateCases() {
    List<UpdateCase> cases = new ArrayList<>();
    cases.add(rejectedUpdate("id in the body different from the path's is rejected", body("id", "other-id"), e(ID_MISMATCH, "/id")));
    cases.add(rejectedUpdate("id in the body differing only in case is rejected", body("id", "UPPER"), e(ID_MISMATCH, "/id")));
    cases.add(rejectedUpdate("id in the body with bad characters is a format error", body("id", "a_b"), e(INVALID_FORMAT, "/id")));
    cases.add(rejectedUpdate("empty id in the body is rejected with one error", body("id", ""), e(INVALID_LENGTH, "/id")));
    cases.add(rejectedUpdate("name of 351 characters is rejected", body("name", repeat("n", 351)), e(INVALID_LENGTH, "/name")));
    cases.add(rejectedUpdate("name of 351 emoji is rejected", body("name", repeat(EMOJI, 351)), e(INVALID_LENGTH, "/name")));
    cases.add(rejectedUpdate("empty name is rejected", body("name", ""), e(INVALID_LENGTH, "/name")));
    cases.add(rejectedUpdate("blank name is rejected", body("name", " \t "), e(INVALID_LENGTH, "/name")));
    cases.add(rejectedUpdate("description of 513 characters is rejected", body("description", repeat("d", 513)),
        e(INVALID_LENGTH, "/description")));
    cases.add(rejectedUpdate("hostname with a non-http scheme is rejected", body("hostname", "ftp://mcp.example.com/"),
        e(INVALID_FORMAT, "/hostname")));
    cases.add(rejectedUpdate("hostname at the metadata address is rejected", body("hostname", "http://169.254.169.254/"),
        e(INVALID_FORMAT, "/hostname")));
    cases.add(rejectedUpdate("hostname with user-info is rejected", body("hostname", "http://u:p@h/"), e(INVALID_FORMAT, "/hostname")));
    cases.add(rejectedUpdate("relative hostname is rejected", body("hostname", "mcp/relative"), e(INVALID_FORMAT, "/hostname")));
    cases.add(rejectedUpdate("auth_type outside the enum is rejected", body("auth_type", "basic"), e(INVALID_VALUE, "/auth_type")));
    cases.add(rejectedUpdate("credentials for an unauthenticated server are rejected",
        body("auth_credentials", SECRET + "-put"), e(INVALID_VALUE, "/auth_credentials")));
    cases.add(rejectedUpdate("a raw token with a change to oauth is rejected",
        body("auth_type", "oauth", "auth_credentials", SECRET + "-put"), e(INVALID_FORMAT, "/auth_credentials")));
    cases.add(rejectedUpdate("credentials with a change to unauthenticated are rejected",
        body("auth_type", "unauthenticated", "auth_credentials", SECRET + "-put"), e(INVALID_VALUE, "/auth_credentials")));
    cases.add(rejectedUpdate("switching to bearer without credentials is rejected",
        body("auth_type", "bearer"), e(MISSING_FIELD, "/auth_credentials")));
    cases.add(rejectedBearerUpdate("clearing the credentials of a bearer server is rejected",
        body("auth_credentials", null), e(MISSING_FIELD, "/auth_credentials")));
    cases.add(rejectedBearerUpdate("a raw token with CR/LF is rejected",
        body("auth_credentials", SECRET + "\r\nX: 1"), e(INVALID_FORMAT, "/auth_credentials")));
    cases.add(rejectedBearerUpdate("a reserved credential header is rejected",
        body("auth_credentials", headersJson("Mcp-Session-Id", SECRET)), e(INVALID_FORMAT, "/auth_credentials")));
    cases.add(rejectedBearerUpdate("malformed JSON credentials are rejected",
        body("auth_credentials", "{\"headers\":" + SECRET), e(INVALID_FORMAT, "/auth_credentials")));
    for (String list : List.of("updated_tools", "updated_prompts")) {
      cases.add(rejectedUpdate(list + " with the same name twice is rejected",
          body(list, array(override("name", "a"), override("name", "a"))), e(DUPLICATE_OVERRIDE, "/" + list + "/1/name")));
      cases.add(rejectedUpdate(list + " with the same alias twice is rejected",
          body(list, array(override("name", "a", "alias", "x"), override("name", "b", "alias", "x"))),
          e(NAME_CONFLICT, "/" + list + "/1/alias")));
      cases.add(rejectedUpdate(list + " with an alias equal to another override's name is rejected",
          body(list, array(override("name", "a", "alias", "b"), override("name", "b"))), e(NAME_CONFLICT, "/" + list + "/0/alias")));
      cases.add(rejectedUpdate(list + " alias equal to another synced item's name is rejected",
          body(list, array(override("name", list.equals("updated_tools") ? "search" : "greet",
              "alias", list.equals("updated_tools") ? "fetch" : "farewell"))),
          e(NAME_CONFLICT, "/" + list + "/0/alias")));
      cases.add(rejectedUpdate(list + " alias of 41 characters is rejected",
          body(list, array(override("name", "a", "alias", repeat("a", 41)))), e(INVALID_LENGTH, "/" + list + "/0/alias")));
      cases.add(rejectedUpdate(list + " alias 'a--b' is rejected",
          body(list, array(override("name", "a", "alias", "a--b"))), e(INVALID_FORMAT, "/" + list + "/0/alias")));
    }
    Map<String, Object> nonStrings = nonStrings();
    for (String field : List.of("id", "name", "hostname", "auth_type")) {
      nonStrings.forEach((type, value) -> cases.add(rejectedUpdate(field + " as " + type + " is a wrong type",
          body(field, value), e(WRONG_TYPE, "/" + field))));
      cases.add(rejectedUpdate(field + " as null is a wrong type (it cannot be cleared)", body(field, null), e(WRONG_TYPE, "/" + field)));
    }
    for (String field : List.of("auth_credentials", "description")) {
      nonStrings.forEach((type, value) -> cases.add(rejectedUpdate(field + " as " + type + " is a wrong type",
          body(field, value), e(WRONG_TYPE, "/" + field))));
    }
    for (String field : List.of("updated_tools", "updated_prompts")) {
      cases.add(rejectedUpdate(field + " as an object is a wrong type", body(field, override("name", "a")), e(WRONG_TYPE, "/" + field)));
      cases.add(rejectedUpdate(field + " item as a string is a wrong type", body(field, array("a")), e(WRONG_TYPE, "/" + field + "/0")));
    }
    nonBooleans().forEach((type, value) -> cases.add(rejectedUpdate("is_shared_oauth_callback_enabled as " + type + " is a wrong type",
        body("is_shared_oauth_callback_enabled", value), e(WRONG_TYPE, "/is_shared_oauth_callback_enabled"))));
    cases.add(rejectedUpdate("an update with three problems gets three errors",
        body("id", PATH_ID, "name", "", "hostname", "http://[fe80::1]/", "description", 7),
        e(INVALID_LENGTH, "/name"), e(INVALID_FORMAT, "/hostname"), e(WRONG_TYPE, "/description")));
    return cases.stream();
  }

  @ParameterizedTest(name = "update: {0}")
  @MethodSource("rejectedUpdateCases")
  void rejectedUpdateChangesNothing(UpdateCase c) {
    String id = createFixture(c.bearer());
    McpServer storedBefore = await(gw.gateway.store().get(ACCOUNT, id));
    JsonObject before = read(id);
    JsonObject body = c.body().copy();
    if (PATH_ID.equals(body.getValue("id"))) body.put("id", id);
    assertRejected(put(id, body), 400, c.errors());
    assertEquals(before, read(id), "a rejected update changes nothing");
    assertEquals(storedBefore.credentials(), await(gw.gateway.store().get(ACCOUNT, id)).credentials(), "credentials kept");
    assertOk(delete(id));
  }

  /** An accepted update: what it must change in the server as read before (modified_at/by aside). */
  record PartialUpdate(String behaviour, JsonObject body, Consumer<JsonObject> expectedChange) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<PartialUpdate> partialUpdates() {
    return Stream.of(
        new PartialUpdate("an empty body changes nothing", body(), s -> {}),
        new PartialUpdate("the path's own id in the body is accepted", body("id", PATH_ID), s -> {}),
        new PartialUpdate("only name changes", body("name", "Renamed " + EMOJI), s -> s.put("name", "Renamed " + EMOJI)),
        new PartialUpdate("name of 350 emoji is accepted", body("name", repeat(EMOJI, 350)), s -> s.put("name", repeat(EMOJI, 350))),
        new PartialUpdate("only description changes", body("description", "New text"), s -> s.put("description", "New text")),
        new PartialUpdate("description null clears it", body("description", null), s -> s.remove("description")),
        new PartialUpdate("only updated_tools change; omitting an alias resets it",
            body("updated_tools", array(override("name", "search", "enabled", false))),
            s -> s.put("updated_tools", array(override("name", "search", "enabled", false)))),
        new PartialUpdate("updated_tools null clears them", body("updated_tools", null), s -> s.put("updated_tools", array())),
        new PartialUpdate("only updated_prompts change", body("updated_prompts", array(override("name", "greet", "alias", "hello"))),
            s -> s.put("updated_prompts", array(override("name", "greet", "alias", "hello")))),
        new PartialUpdate("only is_shared_oauth_callback_enabled changes", body("is_shared_oauth_callback_enabled", false),
            s -> s.put("is_shared_oauth_callback_enabled", false)),
        new PartialUpdate("is_shared_oauth_callback_enabled null leaves it unchanged", body("is_shared_oauth_callback_enabled", null),
            s -> {}),
        new PartialUpdate("the same hostname keeps the sync state", body("hostname", "https://mcp.example.com/mcp"), s -> {}),
        new PartialUpdate("the same auth_type keeps the sync state", body("auth_type", "unauthenticated"), s -> {}),
        new PartialUpdate("null credentials on an unauthenticated server are accepted", body("auth_credentials", null), s -> {}),
        new PartialUpdate("read-only and unknown fields are ignored",
            body("status", "error", "tools", array(), "created_at", "2000-01-01T00:00:00Z", "created_by", "mallory",
                "modified_by", "mallory", "last_synced", "2000-01-01T00:00:00Z", "unknown", 1),
            s -> {}));
  }

  @ParameterizedTest(name = "update: {0}")
  @MethodSource("partialUpdates")
  void partialUpdateChangesOnlyTheGivenFields(PartialUpdate u) throws InterruptedException {
    String id = createFixture(false);
    JsonObject before = read(id);
    Thread.sleep(5); // so modified_at (milliseconds) must move
    JsonObject body = u.body().copy();
    if (PATH_ID.equals(body.getValue("id"))) body.put("id", id);
    Resp r = put(id, body);
    assertOk(r);
    JsonObject after = read(id);
    assertEquals(r.json().getJsonObject("result"), after, "PUT answers what GET reads");
    JsonObject expected = before.copy();
    u.expectedChange().accept(expected);
    expected.put("modified_at", after.getValue("modified_at")).put("modified_by", after.getValue("modified_by"));
    if (body.containsKey("updated_tools") || body.containsKey("updated_prompts")) {
      // what the lists cost an agent follows the overrides (its value: ContextCostsTest); any other change keeps it
      expected.put("context_tokens", after.getValue("context_tokens")).put("context_bytes", after.getValue("context_bytes"));
    }
    assertEquals(expected, after);
    assertEquals(before.getString("created_at"), after.getString("created_at"), "created_at kept");
    assertEquals("test-admin", after.getString("created_by"), "created_by kept");
    assertEquals("acme-bot", after.getString("modified_by"), "modified_by is the updating token");
    assertTrue(Instant.parse(after.getString("modified_at")).isAfter(Instant.parse(before.getString("modified_at"))),
        "modified_at moves forward");
    assertOk(delete(id));
  }

  @Test
  @DisplayName("update: the whole server as read can be PUT back unchanged")
  void readServerCanBePutBack() {
    String id = createFixture(true);
    JsonObject before = read(id);
    assertOk(put(id, before.copy()));
    JsonObject after = read(id);
    assertEquals(before.copy().put("modified_at", after.getValue("modified_at")).put("modified_by", "acme-bot"), after);
    assertOk(delete(id));
  }

  static Stream<Arguments> syncResettingUpdates() {
    return Stream.of(
        Arguments.of("a new hostname resets the server to waiting", false, body("hostname", "https://other.example.com/mcp")),
        Arguments.of("a new auth_type resets the server to waiting", false, body("auth_type", "oauth")),
        Arguments.of("a new hostname of a bearer server resets it to waiting", true,
            body("hostname", "http://127.0.0.1:9/mcp", "auth_credentials", SECRET + "-new")));
  }

  @ParameterizedTest(name = "update: {0}")
  @MethodSource("syncResettingUpdates")
  void changingHostnameOrAuthTypeResetsSyncState(String behaviour, boolean bearer, JsonObject body) {
    String id = createFixture(bearer);
    JsonObject before = read(id);
    assertEquals("ready", before.getString("status"));
    assertOk(put(id, body));
    JsonObject after = read(id);
    assertEquals("waiting", after.getString("status"));
    assertEquals(new JsonArray(), after.getJsonArray("tools"));
    assertEquals(new JsonArray(), after.getJsonArray("prompts"));
    for (String gone : List.of("last_synced", "last_successful_sync", "error", "error_details")) {
      assertFalse(after.containsKey(gone), gone + " is forgotten");
    }
    for (String field : body.fieldNames()) {
      if (!field.equals("auth_credentials")) assertEquals(body.getValue(field), after.getValue(field), field);
    }
    assertEquals(before.getString("name"), after.getString("name"));
    assertEquals(before.getJsonArray("updated_tools"), after.getJsonArray("updated_tools"), "overrides are kept");
    assertEquals(before.getString("created_at"), after.getString("created_at"));
    assertOk(delete(id));
  }

  @Test
  @DisplayName("update: changing a bearer server to unauthenticated drops its stored credentials")
  void leavingBearerDropsCredentials() {
    String id = createFixture(true);
    assertNotNull(await(gw.gateway.store().get(ACCOUNT, id)).credentials());
    assertOk(put(id, body("auth_type", "unauthenticated")));
    assertEquals("unauthenticated", read(id).getString("auth_type"));
    assertNull(await(gw.gateway.store().get(ACCOUNT, id)).credentials());
    assertOk(delete(id));
  }

  @Test
  @DisplayName("update: new credentials replace the stored ones and are not echoed")
  void newCredentialsReplaceTheOldOnes() {
    String id = createFixture(true);
    McpServer before = await(gw.gateway.store().get(ACCOUNT, id));
    assertOk(put(id, body("auth_credentials", headersJson("X-Api-Key", SECRET + "-rotated"))));
    McpServer after = await(gw.gateway.store().get(ACCOUNT, id));
    assertNotNull(after.credentials());
    assertNotEquals(before.credentials(), after.credentials());
    assertEquals("ready", read(id).getString("status"), "new credentials alone keep the sync state");
    assertOk(delete(id));
  }

  @Test
  @DisplayName("update: a valid body for an unknown server is 404 and creates nothing")
  void updateOfUnknownServerIs404() {
    assertRejected(put("no-such-server", body("name", "x")), 404, List.of(e(SERVER_NOT_FOUND, "-")));
    assertRejected(get("no-such-server"), 404, List.of(e(SERVER_NOT_FOUND, "-")));
  }

  // ---------------------------------------------------------------------------------------------
  // List parameters
  // ---------------------------------------------------------------------------------------------

  record ListedServer(String id, String name, String hostname) {}

  /** The servers of LIST_ACCOUNT, created once; ids are lower case so natural and collated order agree. */
  static final List<ListedServer> LISTED = List.of(
      new ListedServer("alpha-one", "Alpha One", "https://alpha.example.com/mcp"),
      new ListedServer("bravo", "Weather Widget", "https://api.weather.test/mcp"),
      new ListedServer("charlie", "Charlie", "https://mcp.Example.ORG/charlie"),
      new ListedServer("delta", "Delta", "http://127.0.0.1:9000/delta"),
      new ListedServer("echo-5", "ECHO server", "https://echo.test/"),
      new ListedServer("foxtrot", "Fox", "https://fox.test/Alpha"),
      new ListedServer("golf", "Golf links", "https://golf.test/"));

  static List<String> listedIds(String search) {
    String s = search.toLowerCase(Locale.ROOT);
    return LISTED.stream()
        .filter(l -> l.id.toLowerCase(Locale.ROOT).contains(s) || l.name.toLowerCase(Locale.ROOT).contains(s)
            || l.hostname.toLowerCase(Locale.ROOT).contains(s))
        .map(ListedServer::id).sorted().toList();
  }

  @ParameterizedTest(name = "list: {0} is rejected with 1201")
  @ValueSource(strings = {"page=0", "page=-1", "page=x", "page=1.5", "page=99999999999", "page=%201",
      "per_page=0", "per_page=-5", "per_page=101", "per_page=abc", "per_page=2e1"})
  void invalidListParametersAre400(String query) {
    assertRejected(list(query), 400, List.of(e(INVALID_QUERY_PARAMETER, "-")));
  }

  @Test
  @DisplayName("list: a search over 350 characters is rejected with 1201")
  void overlongSearchIsRejected() {
    assertRejected(list("search=" + repeat("s", 351)), 400, List.of(e(INVALID_QUERY_PARAMETER, "-")));
    assertOk(list("search=" + repeat("s", 350)));
  }

  @Test
  @DisplayName("list: two bad parameters get two errors")
  void twoBadParametersGetTwoErrors() {
    assertRejected(list("page=0&per_page=101"), 400, List.of(e(INVALID_QUERY_PARAMETER, "-"), e(INVALID_QUERY_PARAMETER, "-")));
  }

  @Test
  @DisplayName("list: defaults are page 1 and per_page 25")
  void listDefaults() {
    Resp r = list("");
    assertOk(r);
    assertResultInfo(r, 1, 25, LISTED.size(), LISTED.size(), 1);
    assertEquals(LISTED.stream().map(ListedServer::id).toList(), ids(r));
  }

  @ParameterizedTest(name = "list: per_page={0} is accepted")
  @ValueSource(ints = {1, 7, 100})
  void perPageWithinRangeIsAccepted(int perPage) {
    Resp r = list("per_page=" + perPage);
    assertOk(r);
    int count = Math.min(perPage, LISTED.size());
    assertResultInfo(r, 1, perPage, count, LISTED.size(), (LISTED.size() + perPage - 1) / perPage);
  }

  @Test
  @DisplayName("list: result_info counts are right on every page, and the pages are disjoint and complete")
  void resultInfoAcrossPages() {
    List<String> seen = new ArrayList<>();
    int[] counts = {3, 3, 1, 0};
    for (int page = 1; page <= 4; page++) {
      Resp r = list("page=" + page + "&per_page=3");
      assertOk(r);
      assertResultInfo(r, page, 3, counts[page - 1], LISTED.size(), 3);
      seen.addAll(ids(r));
    }
    assertEquals(LISTED.stream().map(ListedServer::id).sorted().toList(), seen);
  }

  @ParameterizedTest(name = "list: search ''{0}'' matches id, name or hostname, case-insensitively")
  @ValueSource(strings = {"ALPHA", "alpha", "widget", "WEATHER", "example.org", "EXAMPLE", ":9000", "echo", "Links", "zzz", "-"})
  void searchIsCaseInsensitiveOverIdNameAndHostname(String search) {
    Resp r = list("per_page=100&search=" + URLEncoder.encode(search, StandardCharsets.UTF_8));
    assertOk(r);
    List<String> expected = listedIds(search);
    assertEquals(expected, ids(r));
    assertResultInfo(r, 1, 100, expected.size(), expected.size(), expected.isEmpty() ? 0 : 1);
  }

  @Test
  @DisplayName("list: search results are paginated with counts of the matches")
  void searchIsPaginated() {
    List<String> expected = listedIds("e"); // most servers
    assertTrue(expected.size() > 2);
    List<String> seen = new ArrayList<>();
    int pages = (expected.size() + 1) / 2;
    for (int page = 1; page <= pages; page++) {
      Resp r = list("search=E&per_page=2&page=" + page);
      assertOk(r);
      assertResultInfo(r, page, 2, Math.min(2, expected.size() - (page - 1) * 2), expected.size(), pages);
      seen.addAll(ids(r));
    }
    assertEquals(expected, seen);
  }

  static void assertResultInfo(Resp r, int page, int perPage, int count, int totalCount, int totalPages) {
    JsonObject info = r.json().getJsonObject("result_info");
    assertNotNull(info, "result_info");
    assertEquals(new JsonObject().put("page", page).put("per_page", perPage).put("count", count)
        .put("total_count", totalCount).put("total_pages", totalPages), info);
    assertEquals(count, r.json().getJsonArray("result").size());
  }

  static List<String> ids(Resp r) {
    return r.json().getJsonArray("result").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  static Resp list(String query) {
    return send(HttpMethod.GET, path(LIST_ACCOUNT) + (query.isEmpty() ? "" : "?" + query), TestGateway.ADMIN, null, null);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP and assertions
  // ---------------------------------------------------------------------------------------------

  record Resp(int status, String body, JsonObject json) {}

  static String path(String account) {
    return TestGateway.servers(account);
  }

  static Resp post(JsonObject body) {
    return send(HttpMethod.POST, path(ACCOUNT), TestGateway.ACME, "application/json", body.toBuffer());
  }

  static Resp put(String id, JsonObject body) {
    return send(HttpMethod.PUT, path(ACCOUNT) + "/" + id, TestGateway.ACME, "application/json", body.toBuffer());
  }

  static Resp get(String id) {
    return send(HttpMethod.GET, path(ACCOUNT) + "/" + id, TestGateway.ACME, null, null);
  }

  static Resp delete(String id) {
    return send(HttpMethod.DELETE, path(ACCOUNT) + "/" + id, TestGateway.ACME, null, null);
  }

  /** The stored server as GET answers it. */
  static JsonObject read(String id) {
    Resp r = get(id);
    assertOk(r);
    return r.json().getJsonObject("result");
  }

  static long countServers(String account) {
    Resp r = send(HttpMethod.GET, path(account) + "?per_page=1", TestGateway.ACME, null, null);
    assertOk(r);
    return r.json().getJsonObject("result_info").getLong("total_count");
  }

  /**
   * A fresh server of ACCOUNT created by the admin token, with a description and overrides, then
   * marked as synced in the store (ready, with tools "search"/"fetch" and prompts
   * "greet"/"farewell") so that a reset of its sync state is visible.
   */
  static String createFixture(boolean bearer) {
    JsonObject body = (bearer ? bearer() : create()).put("description", "original description")
        .put("updated_tools", array(override("name", "search", "alias", "find", "description", "Finds.", "enabled", true)))
        .put("updated_prompts", array(override("name", "greet", "enabled", false)))
        .put("is_shared_oauth_callback_enabled", true);
    assertOk(send(HttpMethod.POST, path(ACCOUNT), TestGateway.ADMIN, "application/json", body.toBuffer()));
    String id = body.getString("id");
    Instant now = Instant.now();
    await(gw.gateway.store().update(ACCOUNT, id, s -> s.toBuilder()
        .status(ServerStatus.READY)
        .tools(array(body("name", "search"), body("name", "fetch")))
        .prompts(array(body("name", "greet"), body("name", "farewell")))
        .lastSynced(now)
        .lastSuccessfulSync(now)
        .build()));
    return id;
  }

  static Resp send(HttpMethod method, String uri, String token, String contentType, Buffer body) {
    HttpRequest<Buffer> request = gw.client.request(method, uri);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (contentType != null) request.putHeader("Content-Type", contentType);
    HttpResponse<Buffer> response = await(body == null ? request.send() : request.sendBuffer(body));
    String text = response.bodyAsString() == null ? "" : response.bodyAsString();
    return parse(response.statusCode(), text);
  }

  static Resp parse(int status, String text) {
    assertFalse(text.contains(SECRET), () -> "a response echoes a credential: " + shorten(text));
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      json = null;
    }
    return new Resp(status, text, json);
  }

  /** The Cloudflare envelope: exactly success, errors, messages, result (and result_info on lists). */
  static void assertEnvelope(Resp r) {
    assertNotNull(r.json(), () -> "HTTP " + r.status() + " is not a JSON object: " + shorten(r.body()));
    JsonObject json = r.json();
    Set<String> keys = json.fieldNames();
    assertTrue(keys.equals(Set.of("success", "errors", "messages", "result"))
        || keys.equals(Set.of("success", "errors", "messages", "result", "result_info")), () -> "envelope keys " + keys);
    assertInstanceOf(Boolean.class, json.getValue("success"));
    assertInstanceOf(JsonArray.class, json.getValue("errors"));
    assertInstanceOf(JsonArray.class, json.getValue("messages"));
    for (Object error : json.getJsonArray("errors")) {
      JsonObject err = assertInstanceOf(JsonObject.class, error);
      assertInstanceOf(Integer.class, err.getValue("code"), () -> "error code of " + err);
      assertTrue(err.getValue("message") instanceof String m && !m.isBlank(), () -> "error message of " + err);
      assertTrue(Set.of("code", "message", "source").containsAll(err.fieldNames()), () -> "error keys of " + err);
      if (err.containsKey("source")) {
        JsonObject source = assertInstanceOf(JsonObject.class, err.getValue("source"));
        assertEquals(Set.of("pointer"), source.fieldNames());
        assertTrue(source.getValue("pointer") instanceof String p && p.startsWith("/"), () -> "pointer of " + err);
      }
    }
  }

  static void assertOk(Resp r) {
    assertEnvelope(r);
    assertEquals(200, r.status(), () -> "expected 200, got " + r.status() + ": " + shorten(r.body()));
    assertEquals(true, r.json().getBoolean("success"));
    assertEquals(new JsonArray(), r.json().getJsonArray("errors"));
    assertNotNull(r.json().getValue("result"));
  }

  /** Status, success false, result null, and exactly the expected errors ("code pointer", "-" for none), in any order. */
  static void assertRejected(Resp r, int status, List<String> expected) {
    assertEnvelope(r);
    List<String> actual = r.json().getJsonArray("errors").stream().map(o -> {
      JsonObject err = (JsonObject) o;
      JsonObject source = err.getJsonObject("source");
      return err.getInteger("code") + " " + (source == null ? "-" : source.getString("pointer"));
    }).sorted().toList();
    assertEquals(expected.stream().sorted().toList(), actual, () -> "errors of HTTP " + r.status() + ": " + shorten(r.body()));
    assertEquals(status, r.status(), () -> "status; body " + shorten(r.body()));
    assertEquals(false, r.json().getBoolean("success"));
    assertTrue(r.json().containsKey("result") && r.json().getValue("result") == null, "result is null");
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return fail("request failed: " + e, e);
    }
  }

  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
    String text = out.toString();
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }

  /** Shortened, and prefixed with the running case, for failure messages. */
  static String shorten(String s) {
    return "[" + current + "] " + (s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s);
  }
}
