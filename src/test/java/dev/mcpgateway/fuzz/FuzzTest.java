package dev.mcpgateway.fuzz;

import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing (jqwik) of every management endpoint (servers, portals, audit) and of the
 * agent-facing MCP endpoint, against one real gateway (embedded store in a temp directory) and a
 * well-behaved upstream.
 *
 * <p>Inputs are generated (wrong JSON types for every field, boundary lengths, unicode from astral
 * planes, RTL and combining marks, nulls, nesting up to 200 levels, huge arrays below and bodies
 * above the 64 KiB limit, duplicate keys, invalid UTF-8, non-JSON bytes, JSON-RPC without id or
 * method, wrong {@code jsonrpc} versions, batches, random session and protocol-version headers, CRLF
 * injection in headers and credentials) or mutated from valid bodies (bytes flipped, deleted and
 * inserted; fields deleted, duplicated, retyped, renamed, nested).
 *
 * <p>Invariants, for every input: no 5xx; every request completes within {@link #DEADLINE_MS};
 * admin answers are the documented envelope with documented error codes (and the HTTP status each
 * code is documented with); MCP errors are JSON-RPC error objects, 202s are empty; a rejected (or
 * read-only) admin request leaves the account's servers, portals and audit trail exactly as they were; no
 * response ever contains the planted credentials, nor the credentials a request sent; the gateway
 * logs no error and the event loop is never blocked. Where the README fixes the outcome (status and
 * code for a kind of input), that oracle is checked too.
 *
 * <p>{@code -Dfuzz.collect=true} records every distinct violation instead of stopping at the first,
 * and prints them all at the end (for triage; the properties then pass).
 */
class FuzzTest {
  /**
   * The default run is reproducible (CI must not turn red on a new random draw); change the seed,
   * or remove it locally, to explore new inputs — a failure found that way becomes a fixed case.
   */
  static final String FIXED_SEED = "20261124";

  static final String ACCOUNT = "fuzz";
  static final String PLANTED = "planted";
  static final String PLAIN = "plain";
  static final String MCPSRV = "mcpsrv";
  static final List<String> FIXED = List.of(PLANTED, PLAIN, MCPSRV);
  /** The fixed portal (members mcpsrv and planted), at its fixed hostname. */
  static final String PORTAL = "fixportal";
  static final String PORTAL_HOST = "fixportal.fuzz.example";
  /** The fixed servers and the fixed portal: what a write to any of them may have touched. */
  static final List<String> ALL_FIXED = List.of(PLANTED, PLAIN, MCPSRV, PORTAL);
  static final int MAX_BODY = 65536;
  static final long DEADLINE_MS = 5_000;
  static final String SECRET_A = "plantedSecretA" + HexFormat.of().formatHex(new SecureRandom().generateSeed(10));
  static final String SECRET_B = "plantedSecretB" + HexFormat.of().formatHex(new SecureRandom().generateSeed(10));
  static final List<String> SECRETS = List.of(SECRET_A, SECRET_B);
  static final boolean COLLECT = Boolean.getBoolean("fuzz.collect");
  static final List<String> SUPPORTED_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

  /** The README's error-code table: code → HTTP status. */
  static final Map<Integer, Integer> DOCUMENTED = Map.ofEntries(
      Map.entry(1001, 400), Map.entry(1002, 400), Map.entry(1003, 413), Map.entry(1004, 415), Map.entry(1005, 414), Map.entry(1006, 431),
      Map.entry(1101, 400), Map.entry(1102, 400), Map.entry(1103, 400), Map.entry(1104, 400), Map.entry(1105, 400),
      Map.entry(1106, 400), Map.entry(1107, 400), Map.entry(1108, 400), Map.entry(1109, 400), Map.entry(1110, 400), Map.entry(1201, 400),
      Map.entry(1202, 400), Map.entry(1301, 400), Map.entry(1302, 400), Map.entry(5001, 502),
      Map.entry(2001, 404), Map.entry(2002, 409), Map.entry(2003, 409), Map.entry(2101, 404), Map.entry(2102, 409), Map.entry(2103, 409),
      Map.entry(7000, 404), Map.entry(7001, 405), Map.entry(9001, 500),
      Map.entry(9002, 503), Map.entry(9003, 503), Map.entry(9004, 429), Map.entry(10000, 401), Map.entry(10001, 403));

  static Vertx vertx;
  static Path dataDir;
  static TestGateway gw;
  static FakeUpstream upstream;
  static HttpClient http;
  static NetClient net;
  static int port;
  /** A valid agent session on {@code /mcp/fuzz/mcpsrv}, for the session-bound cases. */
  static String session;
  /** The fuzzed account's servers and audit size as last seen: what a rejected request must leave. */
  static JsonObject snapshot;
  /** The fixed servers as the API showed them after setup: their writable fields are restored to these. */
  static final Map<String, JsonObject> fixedViews = new LinkedHashMap<>();
  /** The fixed portal as the API showed it after setup. */
  static JsonObject fixedPortalView;
  static Level accessLevel;

  static final List<String> loggedErrors = new CopyOnWriteArrayList<>();
  static final AtomicInteger loggedSeen = new AtomicInteger();
  static final java.util.logging.Handler WATCH = new java.util.logging.Handler() {
    @Override
    public void publish(LogRecord record) {
      boolean blocked = record.getLoggerName() != null && record.getLoggerName().contains("BlockedThreadChecker")
          && record.getLevel().intValue() >= Level.WARNING.intValue();
      if (blocked || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        Throwable t = record.getThrown();
        loggedErrors.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
            + (t == null ? "" : " / " + t));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  /** collect mode: property + category → count and first example. */
  static final Map<String, String> collected = new ConcurrentSkipListMap<>();
  static final Map<String, Integer> collectedCounts = new ConcurrentSkipListMap<>();

  // ====================================================================== lifecycle

  @BeforeContainer
  static void startGateway() throws IOException {
    Logger.getLogger("").addHandler(WATCH);
    Logger access = Logger.getLogger("mcp_gateway.access");
    accessLevel = access.getLevel();
    access.setLevel(Level.WARNING); // 10,000+ access lines would only slow the run down
    vertx = Vertx.vertx();
    dataDir = Files.createTempDirectory("mcp-gateway-fuzz");
    JsonObject config = TestGateway.config(dataDir, null);
    config.put("proxy", new JsonObject().put("max_body_bytes", MAX_BODY));
    // the gateway's own upstream bound stays well inside this test's deadline
    config.getJsonObject("upstream").put("request_timeout_ms", 3000);
    gw = Await.result(TestGateway.start(vertx, config, dataDir, null));
    port = gw.gateway.port();
    upstream = Await.result(FakeUpstream.start(vertx, FuzzTest::upstream));
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(4));
    net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
    for (String id : FIXED) {
      Resp created = send(HttpMethod.POST, servers(ACCOUNT), auth(TestGateway.ADMIN, "application/json"), canonical(id).toBuffer().getBytes());
      if (created.status != 200) throw new AssertionError("setup: create " + id + ": " + created);
    }
    Resp synced = send(HttpMethod.POST, server(MCPSRV) + "/sync", auth(TestGateway.ADMIN, null), null);
    if (synced.status != 200 || !"ready".equals(synced.json().getJsonObject("result").getString("status"))) {
      throw new AssertionError("setup: sync: " + synced);
    }
    for (Object o : listServers()) fixedViews.put(((JsonObject) o).getString("id"), (JsonObject) o);
    Resp portal = send(HttpMethod.POST, portals(ACCOUNT), auth(TestGateway.ADMIN, "application/json"), canonicalPortal().toBuffer().getBytes());
    if (portal.status != 201) throw new AssertionError("setup: create the portal: " + portal);
    fixedPortalView = portal.json().getJsonObject("result");
    session = openSession();
    snapshot = takeSnapshot();
    loggedSeen.set(loggedErrors.size());
  }

  @AfterContainer
  static void stopGateway() throws IOException {
    try {
      if (COLLECT) {
        StringBuilder report = new StringBuilder("\n===== fuzz.collect: " + collected.size() + " distinct violations =====\n");
        collected.forEach((k, v) -> report.append("\n### ").append(k).append("  (×").append(collectedCounts.get(k)).append(")\n")
            .append(v).append('\n'));
        System.out.println(report);
      }
      if (upstream != null) Await.result(upstream.stop());
      if (gw != null) Await.result(gw.stop());
      if (vertx != null) Await.result(vertx.close());
    } finally {
      Logger.getLogger("").removeHandler(WATCH);
      Logger.getLogger("mcp_gateway.access").setLevel(accessLevel);
      if (dataDir != null) {
        try (Stream<Path> files = Files.walk(dataDir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    List<String> blocked = loggedErrors.stream().filter(l -> l.contains("BlockedThreadChecker")).toList();
    if (!blocked.isEmpty()) throw new AssertionError("Vert.x blocked-thread checker warned during the fuzz run: " + blocked);
  }

  /** Canonical bodies of the fixed servers: what setup creates and every restore PUTs back. */
  static JsonObject canonical(String id) {
    JsonObject body = new JsonObject().put("id", id).put("is_shared_oauth_callback_enabled", false).put("updated_prompts", new JsonArray());
    switch (id) {
      case PLANTED -> body.put("name", "Planted").put("hostname", upstream.url()).put("auth_type", "bearer")
          .put("auth_credentials", new JsonObject().put("headers", new JsonObject().put("X-Api-Key", SECRET_A)).encode())
          .put("description", "holds a planted secret")
          .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "say")));
      case PLAIN -> body.put("name", "Plain").put("hostname", "http://127.0.0.1:1/mcp").put("auth_type", "unauthenticated")
          .put("description", "no credentials").put("updated_tools", new JsonArray());
      case MCPSRV -> body.put("name", "MCP target").put("hostname", upstream.url()).put("auth_type", "bearer")
          .put("auth_credentials", SECRET_B).put("description", "the agents' server")
          .put("updated_tools", new JsonArray()
              .add(new JsonObject().put("name", "echo").put("alias", "say").put("description", "Repeats you"))
              .add(new JsonObject().put("name", "danger").put("enabled", false)));
      default -> throw new IllegalArgumentException(id);
    }
    return body;
  }

  /** The fixed portal's canonical body: what setup creates and every restore PUTs back. */
  static JsonObject canonicalPortal() {
    return new JsonObject().put("id", PORTAL).put("name", "Fixed portal").put("hostname", PORTAL_HOST).put("description", "the fuzzed portal")
        .put("code_mode", "default_on").put("secure_web_gateway", false)
        .put("servers", new JsonArray()
            .add(new JsonObject().put("server_id", MCPSRV).put("default_disabled", false).put("on_behalf", true)
                .put("updated_tools", new JsonArray().add(new JsonObject().put("name", "echo").put("alias", "shout")))
                .put("updated_prompts", new JsonArray()))
            .add(new JsonObject().put("server_id", PLANTED).put("default_disabled", true).put("on_behalf", false)
                .put("updated_tools", new JsonArray()).put("updated_prompts", new JsonArray())));
  }

  /**
   * The upstream: a well-behaved MCP server like {@link FakeUpstream#wellBehaved}, but one that
   * also acknowledges the agent's JSON-RPC responses (wellBehaved's {@code switch} on a null method
   * throws on them, so they would never be answered and every forwarded response would look like a
   * gateway hang).
   */
  static void upstream(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      if (request.method() == HttpMethod.DELETE) {
        request.response().setStatusCode(200).end();
        return;
      }
      if (request.method() != HttpMethod.POST) {
        request.response().setStatusCode(405).putHeader("Allow", "POST, DELETE").end();
        return;
      }
      Object decoded;
      try {
        decoded = Json.decodeValue(body);
      } catch (RuntimeException e) {
        request.response().setStatusCode(400).end();
        return;
      }
      if (!(decoded instanceof JsonObject message)) {
        request.response().setStatusCode(400).end();
        return;
      }
      Object id = message.getValue("id");
      String method = message.getValue("method") instanceof String m ? m : null;
      if (id == null || method == null) {
        request.response().setStatusCode(202).end();
        return;
      }
      JsonObject result = switch (method) {
        case "initialize" -> new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject().put("tools", new JsonObject()).put("prompts", new JsonObject()))
            .put("serverInfo", new JsonObject().put("name", "fuzz-upstream").put("version", "1"));
        case "tools/list" -> new JsonObject().put("tools", new JsonArray()
            .add(new JsonObject().put("name", "echo").put("inputSchema", new JsonObject().put("type", "object")))
            .add(new JsonObject().put("name", "danger").put("inputSchema", new JsonObject().put("type", "object")))
            .add(new JsonObject().put("name", "plain").put("inputSchema", new JsonObject().put("type", "object"))));
        case "prompts/list" -> new JsonObject().put("prompts", new JsonArray());
        case "tools/call" -> new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "ok")));
        default -> new JsonObject();
      };
      request.response().putHeader("Content-Type", "application/json").putHeader("Mcp-Session-Id", "fake-session")
          .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
    });
  }

  static String openSession() {
    JsonObject init = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "fuzz").put("version", "1")));
    Resp opened = send(HttpMethod.POST, TestGateway.mcp(ACCOUNT, MCPSRV), mcpHeaders(TestGateway.AGENT, null), init.toBuffer().getBytes());
    String id = opened.headers == null ? null : opened.headers.get("Mcp-Session-Id");
    if (opened.status != 200 || id == null) throw new AssertionError("setup: initialize: " + opened);
    Resp initialized = send(HttpMethod.POST, TestGateway.mcp(ACCOUNT, MCPSRV), mcpHeaders(TestGateway.AGENT, id),
        new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized").toBuffer().getBytes());
    if (initialized.status != 202) throw new AssertionError("setup: notifications/initialized: " + initialized);
    return id;
  }

  // ====================================================================== properties: management API

  @Property(tries = 1800, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void createBodies(@ForAll("generatedCreates") Body body) {
    Statistics.label("kind").collect(coarse(body.kind));
    adminWrite("createBodies", HttpMethod.POST, servers(ACCOUNT), body, null);
  }

  @Property(tries = 1800, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void createMutations(@ForAll("mutatedCreates") Body body) {
    Statistics.label("kind").collect(coarse(body.kind));
    adminWrite("createMutations", HttpMethod.POST, servers(ACCOUNT), body, null);
  }

  @Property(tries = 1600, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void updateBodies(@ForAll("updates") Update update) {
    Statistics.label("kind").collect(coarse(update.body.kind));
    Statistics.label("target").collect(update.target);
    adminWrite("updateBodies", HttpMethod.PUT, servers(ACCOUNT) + "/" + update.target, update.body, update.target);
  }

  @Property(tries = 700, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void portalCreateBodies(@ForAll("portalCreates") Body body) {
    Statistics.label("kind").collect(coarse(body.kind));
    adminWrite("portalCreateBodies", HttpMethod.POST, portals(ACCOUNT), body, null);
  }

  @Property(tries = 700, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void portalUpdateBodies(@ForAll("portalUpdates") Update update) {
    Statistics.label("kind").collect(coarse(update.body.kind));
    Statistics.label("target").collect(update.target);
    adminWrite("portalUpdateBodies", HttpMethod.PUT, portals(ACCOUNT) + "/" + update.target, update.body, update.target);
  }

  @Property(tries = 1600, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void adminRoutes(@ForAll("adminRequests") AdminRequest request) {
    Statistics.label("route").collect(request.kind);
    Check c = new Check("adminRoutes", request.toString());
    Resp resp = send(request.method, request.uri, request.headers, request.body);
    Statistics.label("status").collect(resp.status);
    JsonObject envelope = checkAdmin(c, request.method, resp, request.noEcho);
    checkExpect(c, request.expect, resp, envelope);
    boolean writes = request.method == HttpMethod.POST || request.method == HttpMethod.PUT || request.method == HttpMethod.DELETE;
    if (resp.status / 100 == 2 && writes) {
      normalize(c, ALL_FIXED);
    } else {
      compareSnapshot(c, resp.status == 200 ? "a read" : "a rejected request");
    }
    checkLogs(c);
    c.done();
  }

  // ====================================================================== properties: MCP endpoint

  @Property(tries = 1800, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void mcpMessages(@ForAll("generatedMcp") McpRequest request) {
    Statistics.label("kind").collect(coarse(request.kind));
    mcpExchange("mcpMessages", request);
  }

  @Property(tries = 1800, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void mcpMutations(@ForAll("mutatedMcp") McpRequest request) {
    Statistics.label("kind").collect(coarse(request.kind));
    mcpExchange("mcpMutations", request);
  }

  // ====================================================================== property: raw header bytes

  @Property(tries = 800, shrinking = ShrinkingMode.OFF, seed = FIXED_SEED)
  void rawHeaderInjection(@ForAll("rawRequests") RawRequest request) {
    Statistics.label("target").collect(request.target);
    Check c = new Check("rawHeaderInjection", request.toString());
    RawResponse resp = raw(request.bytes);
    Statistics.label("status").collect(resp.statuses.isEmpty() ? -1 : resp.statuses.get(0));
    if (resp.failure != null) {
      c.fail("hung or dropped connection", resp.failure + "; received: " + preview(resp.bytes, 300));
    } else {
      for (int status : resp.statuses) {
        if (status >= 500) c.fail("5xx", "status " + status + ": " + preview(resp.bytes, 600));
      }
      String head = resp.head().toLowerCase(Locale.ROOT);
      for (String line : head.split("\r\n")) {
        if (line.startsWith("x-injected") || line.startsWith("set-cookie") || line.startsWith("location")
            || line.startsWith("mcp-session-id") && line.contains("forged")) {
          c.fail("injected header reflected in the response", line);
        }
      }
      for (String secret : SECRETS) {
        if (resp.text().contains(secret)) c.fail("planted secret in a response", secret);
      }
      int first = resp.statuses.isEmpty() ? 0 : resp.statuses.get(0);
      String body = resp.body();
      if (first >= 400 && head.contains("content-type: application/json") && !body.isEmpty()) {
        // a request line too long to parse has no path the gateway could know, so 414 is always the envelope
        if (request.target.startsWith("mcp") && first != 414 && !(first == 404 && body.contains("\"code\":7000"))) jsonRpcError(c, first, body);
        else envelope(c, first, body);
      }
    }
    if (request.target.startsWith("admin")) compareSnapshot(c, "a raw request that cannot succeed");
    checkLogs(c);
    c.done();
  }

  /** A kind for jqwik's statistics: the generator's description without its numbers and details. */
  static String coarse(String kind) {
    String k = kind.replaceAll("[\\d\\[(:|\"].*$", "").trim();
    return k.length() > 40 ? k.substring(0, 40) : k;
  }

  // ====================================================================== one admin write, checked

  static void adminWrite(String property, HttpMethod method, String uri, Body body, String target) {
    Check c = new Check(property, method + " " + uri + "\n" + body.describe());
    Resp resp = send(method, uri, adminHeaders(TestGateway.ADMIN, body.contentType), body.bytes);
    Statistics.label("status").collect(resp.status);
    JsonObject envelope = checkAdmin(c, method, resp, body.noEcho);
    checkExpect(c, body.expect, resp, envelope);
    if (resp.status == 200 || resp.status == 201) {
      if (envelope != null && envelope.getValue("result") instanceof JsonObject result) roundTrip(c, body.bytes, result);
      normalize(c, target != null && ALL_FIXED.contains(target) ? List.of(target) : List.of());
    } else {
      compareSnapshot(c, "a rejected request");
    }
    checkLogs(c);
    c.done();
  }

  /** Accepted strings are stored and shown exactly as sent (no normalisation, truncation or re-encoding). */
  static void roundTrip(Check c, byte[] sentBytes, JsonObject result) {
    Object sent;
    try {
      sent = Json.decodeValue(Buffer.buffer(sentBytes));
    } catch (RuntimeException e) {
      return;
    }
    if (!(sent instanceof JsonObject body)) return;
    boolean portal = result.containsKey("code_mode");
    for (String key : List.of("id", "name", "hostname", "description", "auth_type")) {
      // a portal's hostname is a DNS name, stored lower-cased
      Object shown = portal && key.equals("hostname") && body.getValue(key) instanceof String ? result.getValue(key) : null;
      if (shown != null && body.getValue(key) instanceof String value && value.toLowerCase(Locale.ROOT).equals(shown)) continue;
      if (body.getValue(key) instanceof String value && !value.equals(result.getValue(key))) {
        c.fail("an accepted value is not shown as sent", key + ": sent " + escape(value) + ", shown " + escape(String.valueOf(result.getValue(key))));
      }
    }
    if (result.containsKey("auth_credentials")) c.fail("credentials shown in a response", "result has auth_credentials");
  }

  // ====================================================================== one MCP exchange, checked

  static final AtomicInteger mcpTries = new AtomicInteger();

  static void mcpExchange(String property, McpRequest request) {
    Check c = new Check(property, request.toString());
    Resp resp = send(request.method, request.path, request.headers, request.body);
    Statistics.label("status").collect(resp.status);
    checkMcp(c, request, resp);
    // a DELETE that ended the valid session ended it for good (404 from then on): later cases get a new one
    if (request.method == HttpMethod.DELETE && resp.status == 200) session = openSession();
    if (request.expect != null && resp.failure == null) {
      int want = request.expect.status;
      if (resp.status != want) {
        c.fail("oracle[" + request.expect.why + "]: expected " + want + ", got " + resp.status, resp.toString());
      } else if (request.expect.rpcCode != null && resp.status != 202) {
        JsonObject answer = resp.jsonOrNull();
        Object code = answer == null || !(answer.getValue("error") instanceof JsonObject e) ? null : e.getValue("code");
        if (!request.expect.rpcCode.equals(code)) {
          c.fail("oracle[" + request.expect.why + "]: expected JSON-RPC error " + request.expect.rpcCode + ", got " + code, resp.toString());
        }
      }
    }
    // MCP traffic never changes the management state: checked every 100 exchanges (a snapshot costs two requests)
    if (mcpTries.incrementAndGet() % 100 == 0) compareSnapshot(c, "MCP traffic");
    checkLogs(c);
    c.done();
  }

  static void checkMcp(Check c, McpRequest request, Resp resp) {
    if (resp.failure != null) {
      c.fail("hung or dropped connection", resp.failure);
      return;
    }
    if (resp.status >= 500) c.fail("5xx", resp.toString());
    secrets(c, resp, request.noEcho);
    if (request.method == HttpMethod.HEAD) return;
    String type = resp.headers.get("Content-Type");
    if (resp.status == 202 && resp.body.length() > 0) c.fail("202 with a body", resp.toString());
    if (resp.status == 401 && resp.headers.get("WWW-Authenticate") == null) c.fail("401 without WWW-Authenticate", resp.toString());
    if (resp.status == 405 && request.method != HttpMethod.GET && request.method != HttpMethod.POST && request.method != HttpMethod.DELETE
        && resp.headers.get("Allow") == null) {
      c.fail("405 without Allow", resp.toString());
    }
    if (resp.status >= 400) {
      // a path that the router normalised into something else (/mcp/a/%2e%2e → /mcp/) is not the MCP endpoint: 7000 is right there
      if (resp.status == 404 && resp.text().contains("\"code\":7000")) return;
      jsonRpcError(c, resp.status, resp.text());
      return;
    }
    if (resp.status == 200 && request.method == HttpMethod.POST) {
      if (type != null && type.startsWith("text/event-stream")) {
        for (String line : resp.text().split("\n")) {
          if (line.startsWith("data:") && line.length() > 5) {
            try {
              if (!(Json.decodeValue(line.substring(5).trim()) instanceof JsonObject)) c.fail("SSE data is not a JSON-RPC message", line);
            } catch (RuntimeException e) {
              c.fail("SSE data is not JSON", line);
            }
          }
        }
        return;
      }
      JsonObject answer = resp.jsonOrNull();
      if (answer == null) {
        c.fail("200 that is not a JSON object", resp.toString());
        return;
      }
      if (!"2.0".equals(answer.getValue("jsonrpc")) || answer.containsKey("result") == answer.containsKey("error")) {
        c.fail("200 that is not a JSON-RPC response", resp.toString());
      }
      if (answer.getValue("error") instanceof JsonObject) jsonRpcError(c, 200, resp.text());
      Object sentId = request.comparableId();
      if (sentId != null && !sameId(sentId, answer.getValue("id"))) {
        c.fail("response id differs from the request id", "sent " + escape(String.valueOf(sentId)) + ", got " + escape(String.valueOf(answer.getValue("id"))));
      }
      if (request.isInitialize() && answer.containsKey("result")) {
        String id = resp.headers.get("Mcp-Session-Id");
        if (id == null || id.isEmpty() || !id.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) c.fail("initialize without a visible-ASCII Mcp-Session-Id", String.valueOf(id));
      }
    }
  }

  static void jsonRpcError(Check c, int status, String text) {
    Object decoded;
    try {
      decoded = Json.decodeValue(text);
    } catch (RuntimeException e) {
      c.fail("MCP error " + status + " is not JSON", preview(text.getBytes(StandardCharsets.UTF_8), 400));
      return;
    }
    if (!(decoded instanceof JsonObject o) || !"2.0".equals(o.getValue("jsonrpc")) || !o.containsKey("id")
        || !(o.getValue("error") instanceof JsonObject error) || !(error.getValue("code") instanceof Integer)
        || !(error.getValue("message") instanceof String) || o.containsKey("result")) {
      c.fail("MCP error " + status + " is not a JSON-RPC error object", preview(text.getBytes(StandardCharsets.UTF_8), 400));
    }
  }

  static boolean sameId(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    return a.equals(b);
  }

  // ====================================================================== admin invariants

  /** Envelope, documented codes and statuses, no secrets; answers the envelope (or null). */
  static JsonObject checkAdmin(Check c, HttpMethod method, Resp resp, Set<String> noEcho) {
    if (resp.failure != null) {
      c.fail("hung or dropped connection", resp.failure);
      return null;
    }
    if (resp.status >= 500) c.fail("5xx", resp.toString());
    secrets(c, resp, noEcho);
    if (method == HttpMethod.HEAD) return null;
    if (resp.status == 401 && resp.headers.get("WWW-Authenticate") == null) c.fail("401 without WWW-Authenticate", resp.toString());
    if ((resp.status == 414 || resp.status == 431) && resp.headers.get("Content-Type") == null) {
      return null; // Vert.x's HTTP codec refused the request line or headers before any handler ran (documented in the report)
    }
    if (resp.body.length() == 0) {
      c.fail("admin answer " + resp.status + " without a body", resp.toString());
      return null;
    }
    return envelope(c, resp.status, resp.text());
  }

  static JsonObject envelope(Check c, int status, String text) {
    JsonObject env;
    try {
      env = new JsonObject(text);
    } catch (RuntimeException e) {
      c.fail("admin answer " + status + " is not a JSON object", "HTTP " + status + ": " + preview(text.getBytes(StandardCharsets.UTF_8), 400));
      return null;
    }
    if (!(env.getValue("success") instanceof Boolean success) || !(env.getValue("errors") instanceof JsonArray errors)
        || !(env.getValue("messages") instanceof JsonArray) || !env.containsKey("result")) {
      c.fail("admin answer " + status + " is not the envelope", preview(text.getBytes(StandardCharsets.UTF_8), 400));
      return null;
    }
    if (success) {
      if (status != 200 && status != 201 || !errors.isEmpty()) c.fail("success envelope with status " + status + " or errors", preview(text.getBytes(StandardCharsets.UTF_8), 400));
      return env;
    }
    if (errors.isEmpty()) c.fail("failure envelope without errors", String.valueOf(status));
    if (env.getValue("result") != null) c.fail("failure envelope with a result", preview(text.getBytes(StandardCharsets.UTF_8), 300));
    for (Object o : errors) {
      if (!(o instanceof JsonObject error) || !(error.getValue("code") instanceof Integer code) || !(error.getValue("message") instanceof String)) {
        c.fail("malformed error entry", String.valueOf(o));
        continue;
      }
      Integer documented = DOCUMENTED.get(code);
      if (documented == null) c.fail("undocumented error code " + code, error.encode());
      else if (documented != status) c.fail("error code " + code + " answered with HTTP " + status + " (documented: " + documented + ")", error.encode());
      if (error.containsKey("source") && !(error.getValue("source") instanceof JsonObject source && source.getValue("pointer") instanceof String p && p.startsWith("/"))) {
        c.fail("malformed source.pointer", error.encode());
      }
    }
    return env;
  }

  static void checkExpect(Check c, Expect expect, Resp resp, JsonObject envelope) {
    if (expect == null || resp.failure != null) return;
    boolean statusOk = expect.status == Expect.ANY_4XX ? resp.status >= 400 && resp.status < 500 : resp.status == expect.status;
    if (!statusOk) {
      c.fail("oracle[" + expect.why + "]: expected " + (expect.status == Expect.ANY_4XX ? "a 4xx" : String.valueOf(expect.status))
          + ", got " + resp.status, resp.toString());
      return;
    }
    if (!expect.codes.isEmpty() && envelope != null && envelope.getValue("errors") instanceof JsonArray errors) {
      boolean found = errors.stream().anyMatch(e -> e instanceof JsonObject o && expect.codes.contains(o.getValue("code")));
      if (!found) c.fail("oracle[" + expect.why + "]: expected error code " + expect.codes + ", got " + errors.encode(), resp.toString());
    }
  }

  static void secrets(Check c, Resp resp, Set<String> noEcho) {
    String all = resp.text() + " " + resp.headers;
    for (String secret : SECRETS) if (all.contains(secret)) c.fail("planted secret in a response", secret);
    // a credential of a few characters can appear by chance in other echoed fields (an id, a name)
    for (String secret : noEcho) {
      if (secret.length() >= 8 && all.contains(secret)) c.fail("credentials sent in the request echoed in the response", secret);
    }
  }

  // ====================================================================== state: snapshot, restore

  static JsonObject takeSnapshot() {
    Resp list = send(HttpMethod.GET, servers(ACCOUNT) + "?per_page=100", auth(TestGateway.ADMIN, null), null);
    Resp portals = send(HttpMethod.GET, portals(ACCOUNT) + "?per_page=100", auth(TestGateway.ADMIN, null), null);
    Resp audit = send(HttpMethod.GET, "/accounts/" + ACCOUNT + "/access/ai-controls/mcp/audit?per_page=1", auth(TestGateway.ADMIN, null), null);
    JsonObject snap = new JsonObject();
    if (list.status != 200) return snap.put("list_failed", list.toString());
    if (portals.status != 200) return snap.put("portal_list_failed", portals.toString());
    if (audit.status != 200) return snap.put("audit_failed", audit.toString());
    JsonObject l = list.json();
    return snap.put("servers", l.getJsonArray("result")).put("total", l.getJsonObject("result_info").getValue("total_count"))
        .put("portals", portals.json().getJsonArray("result"))
        .put("audit_entries", audit.json().getJsonObject("result_info").getValue("total_count"));
  }

  static void compareSnapshot(Check c, String what) {
    JsonObject now = takeSnapshot();
    if (!now.equals(snapshot)) {
      c.fail("state changed by " + what, diff(snapshot, now));
      normalize(c, ALL_FIXED); // so that one violation does not cascade (collect mode)
    }
  }

  static String diff(JsonObject before, JsonObject after) {
    if (!after.containsKey("servers")) return "now: " + after.encode();
    StringBuilder b = new StringBuilder();
    if (!after.getValue("total").equals(before.getValue("total"))) b.append("server count ").append(before.getValue("total")).append(" → ").append(after.getValue("total")).append("; ");
    if (!after.getValue("audit_entries").equals(before.getValue("audit_entries"))) {
      b.append("audit entries ").append(before.getValue("audit_entries")).append(" → ").append(after.getValue("audit_entries")).append("; ");
    }
    Map<String, JsonObject> old = new LinkedHashMap<>();
    before.getJsonArray("servers").forEach(o -> old.put(((JsonObject) o).getString("id"), (JsonObject) o));
    for (Object o : after.getJsonArray("servers")) {
      JsonObject s = (JsonObject) o;
      JsonObject was = old.remove(s.getString("id"));
      if (was == null) b.append("new server ").append(s.getString("id")).append("; ");
      else if (!was.equals(s)) {
        for (String k : s.fieldNames()) {
          if (!s.getValue(k).equals(was.getValue(k))) b.append(s.getString("id")).append('.').append(k).append(": ").append(was.getValue(k)).append(" → ").append(s.getValue(k)).append("; ");
        }
      }
    }
    old.keySet().forEach(id -> b.append("server gone: ").append(id).append("; "));
    if (!after.getValue("portals").equals(before.getValue("portals"))) {
      b.append("portals: ").append(before.getValue("portals")).append(" → ").append(after.getValue("portals")).append("; ");
    }
    return b.toString();
  }

  static JsonArray listServers() {
    Resp list = send(HttpMethod.GET, servers(ACCOUNT) + "?per_page=100", auth(TestGateway.ADMIN, null), null);
    if (list.status != 200) return null;
    return list.json().getJsonArray("result");
  }

  /**
   * After an accepted write: deletes every server that is not fixed, restores the fixed ones that
   * were touched or drifted (credentials included, which cannot be read back), re-syncs the agents'
   * server if needed, and takes a new snapshot.
   */
  static void normalize(Check c, List<String> touched) {
    normalizePortals(c, touched);
    JsonArray servers = listServers();
    if (servers == null) {
      c.fail("cannot list the account's servers any more", String.valueOf(send(HttpMethod.GET, servers(ACCOUNT) + "?per_page=100",
          auth(TestGateway.ADMIN, null), null)));
      snapshot = takeSnapshot();
      return;
    }
    Set<String> present = new HashSet<>();
    for (Object o : servers) {
      JsonObject s = (JsonObject) o;
      String id = s.getString("id");
      present.add(id);
      if (!FIXED.contains(id)) {
        restoreCall(c, HttpMethod.DELETE, server(id), null);
      } else if (touched.contains(id) || drifted(s)) {
        restoreCall(c, HttpMethod.PUT, server(id), canonical(id));
      }
    }
    for (String id : FIXED) if (!present.contains(id)) restoreCall(c, HttpMethod.POST, servers(ACCOUNT), canonical(id));
    Resp mcp = send(HttpMethod.GET, server(MCPSRV), auth(TestGateway.ADMIN, null), null);
    if (mcp.status == 200 && !"ready".equals(mcp.json().getJsonObject("result").getString("status"))) {
      restoreCall(c, HttpMethod.POST, server(MCPSRV) + "/sync", null);
    }
    snapshot = takeSnapshot();
  }

  /**
   * Portals first: other portals are deleted (they may hold servers that must go), the fixed servers
   * a restored portal needs are created if missing, and the fixed portal is restored when touched,
   * drifted or gone.
   */
  static void normalizePortals(Check c, List<String> touched) {
    Resp list = send(HttpMethod.GET, portals(ACCOUNT) + "?per_page=100", auth(TestGateway.ADMIN, null), null);
    if (list.status != 200) {
      c.fail("cannot list the account's portals any more", list.toString());
      return;
    }
    boolean present = false;
    for (Object o : list.json().getJsonArray("result")) {
      JsonObject p = (JsonObject) o;
      if (!p.getString("id").equals(PORTAL)) {
        restoreCall(c, HttpMethod.DELETE, portals(ACCOUNT) + "/" + p.getString("id"), null);
        continue;
      }
      present = true;
      if (touched.contains(PORTAL) || portalDrifted(p)) restoreCall(c, HttpMethod.PUT, portals(ACCOUNT) + "/" + PORTAL, canonicalPortal());
    }
    if (!present) {
      JsonArray servers = listServers();
      for (String id : List.of(MCPSRV, PLANTED)) {
        boolean exists = servers != null && servers.stream().anyMatch(s -> id.equals(((JsonObject) s).getString("id")));
        if (!exists) restoreCall(c, HttpMethod.POST, servers(ACCOUNT), canonical(id));
      }
      restoreCall(c, HttpMethod.POST, portals(ACCOUNT), canonicalPortal());
    }
  }

  static boolean portalDrifted(JsonObject p) {
    for (String k : List.of("name", "hostname", "description", "code_mode", "secure_web_gateway")) {
      if (!String.valueOf(fixedPortalView.getValue(k)).equals(String.valueOf(p.getValue(k)))) return true;
    }
    return !mappings(fixedPortalView).equals(mappings(p));
  }

  /** What the portal holds of each member (the rest of a member's view is the server's). */
  static List<String> mappings(JsonObject portal) {
    return portal.getJsonArray("servers").stream().map(o -> (JsonObject) o)
        .map(m -> m.getString("server_id") + " " + m.getValue("default_disabled") + " " + m.getValue("on_behalf") + " "
            + m.getValue("updated_tools") + " " + m.getValue("updated_prompts")).toList();
  }

  static boolean drifted(JsonObject s) {
    JsonObject fixed = fixedViews.get(s.getString("id"));
    for (String k : List.of("name", "hostname", "auth_type", "description", "updated_tools", "updated_prompts", "is_shared_oauth_callback_enabled")) {
      if (!String.valueOf(fixed.getValue(k)).equals(String.valueOf(s.getValue(k)))) return true;
    }
    return false;
  }

  static void restoreCall(Check c, HttpMethod method, String uri, JsonObject body) {
    Resp resp = send(method, uri, auth(TestGateway.ADMIN, body == null ? null : "application/json"), body == null ? null : body.toBuffer().getBytes());
    secrets(c, resp, Set.of());
    if (resp.status / 100 != 2) c.fail("restoring the fixed servers and portal failed", method + " " + uri + " → " + resp);
  }

  static void checkLogs(Check c) {
    int n = loggedErrors.size();
    int seen = loggedSeen.getAndSet(n);
    if (n > seen) c.fail("the gateway logged an error (or the event loop was blocked)", String.join("\n", loggedErrors.subList(seen, n)));
  }

  // ====================================================================== HTTP

  record Resp(int status, MultiMap headers, Buffer body, String failure) {
    String text() {
      return body == null ? "" : body.toString(StandardCharsets.UTF_8);
    }

    JsonObject json() {
      return new JsonObject(text());
    }

    JsonObject jsonOrNull() {
      try {
        return Json.decodeValue(text()) instanceof JsonObject o ? o : null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      if (failure != null) return "no response: " + failure;
      StringBuilder h = new StringBuilder();
      headers.forEach(e -> h.append(e.getKey()).append(": ").append(e.getValue()).append("; "));
      return "HTTP " + status + " [" + h + "] " + preview(body.getBytes(), 700);
    }
  }

  static List<String[]> auth(String token, String contentType) {
    List<String[]> headers = new ArrayList<>();
    if (token != null) headers.add(new String[] {"Authorization", "Bearer " + token});
    if (contentType != null) headers.add(new String[] {"Content-Type", contentType});
    return headers;
  }

  static List<String[]> adminHeaders(String token, String contentType) {
    return auth(token, contentType);
  }

  static List<String[]> mcpHeaders(String token, String sessionId) {
    List<String[]> headers = auth(token, "application/json");
    headers.add(new String[] {"Accept", "application/json, text/event-stream"});
    if (sessionId != null) headers.add(new String[] {"Mcp-Session-Id", sessionId});
    return headers;
  }

  static String servers(String account) {
    return TestGateway.servers(account);
  }

  static String server(String id) {
    return servers(ACCOUNT) + "/" + id;
  }

  static String portals(String account) {
    return TestGateway.portals(account);
  }

  /** One request, bounded: a response that has not fully arrived after {@link #DEADLINE_MS} is a hung connection. */
  static Resp send(HttpMethod method, String uri, List<String[]> headers, byte[] body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    for (String[] h : headers) options.addHeader(h[0], h[1]);
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    Future<Resp> future = http.request(options).compose(request -> {
      sent.set(request);
      return (body == null ? request.send() : request.send(Buffer.buffer(body)))
          .compose(r -> r.body().map(b -> new Resp(r.statusCode(), r.headers(), b, null)));
    });
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      HttpClientRequest request = sent.get();
      if (request != null) request.reset();
      return new Resp(-1, null, null, "no complete response within " + DEADLINE_MS + " ms");
    } catch (ExecutionException e) {
      return new Resp(-1, null, null, "the connection failed before a complete response: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  record RawResponse(byte[] bytes, List<Integer> statuses, String failure) {
    String text() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    String head() {
      String t = text();
      int end = t.indexOf("\r\n\r\n");
      return end < 0 ? t : t.substring(0, end);
    }

    String body() {
      String t = text();
      int end = t.indexOf("\r\n\r\n");
      return end < 0 ? "" : new String(Arrays.copyOfRange(bytes, end + 4, bytes.length), StandardCharsets.UTF_8);
    }
  }

  static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");

  /** Sends raw bytes and reads until the first response is complete (by Content-Length or chunked end) or the socket closes. */
  static RawResponse raw(byte[] request) {
    Promise<Buffer> done = Promise.promise();
    Buffer received = Buffer.buffer();
    AtomicReference<NetSocket> socket = new AtomicReference<>();
    net.connect(port, "127.0.0.1").onFailure(done::tryFail).onSuccess(s -> {
      socket.set(s);
      s.handler(chunk -> {
        synchronized (received) {
          received.appendBuffer(chunk);
          if (complete(received)) done.tryComplete(received.copy());
        }
      });
      s.closeHandler(v -> {
        synchronized (received) {
          done.tryComplete(received.copy());
        }
      });
      s.exceptionHandler(e -> { });
      s.write(Buffer.buffer(request));
    });
    try {
      Buffer got = done.future().toCompletionStage().toCompletableFuture().get(DEADLINE_MS, TimeUnit.MILLISECONDS);
      byte[] bytes = got.getBytes();
      List<Integer> statuses = new ArrayList<>();
      Matcher m = STATUS_LINE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
      while (m.find()) statuses.add(Integer.parseInt(m.group(1)));
      return new RawResponse(bytes, statuses, statuses.isEmpty() ? "the connection closed without a response" : null);
    } catch (TimeoutException e) {
      byte[] partial;
      synchronized (received) {
        partial = received.getBytes();
      }
      return new RawResponse(partial, List.of(), "no complete response within " + DEADLINE_MS + " ms");
    } catch (ExecutionException e) {
      return new RawResponse(new byte[0], List.of(), "connect failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      NetSocket s = socket.get();
      if (s != null) s.close();
    }
  }

  static boolean complete(Buffer received) {
    String text = received.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return false;
    String head = text.substring(0, end).toLowerCase(Locale.ROOT);
    Matcher length = Pattern.compile("(?m)^content-length:\\s*(\\d+)").matcher(head);
    if (length.find()) return text.length() - end - 4 >= Integer.parseInt(length.group(1));
    if (head.contains("transfer-encoding: chunked")) return text.endsWith("0\r\n\r\n");
    return false; // until the connection closes
  }

  // ====================================================================== violations

  static final class Check {
    final String property;
    final String input;
    final List<String[]> violations = new ArrayList<>();

    Check(String property, String input) {
      this.property = property;
      this.input = input;
    }

    void fail(String category, String detail) {
      violations.add(new String[] {category, detail});
    }

    void done() {
      if (violations.isEmpty()) return;
      StringBuilder message = new StringBuilder();
      for (String[] v : violations) message.append("\n  - ").append(v[0]).append(": ").append(v[1]);
      message.append("\n  input: ").append(input);
      if (COLLECT) {
        for (String[] v : violations) {
          String key = property + " | " + v[0].replaceAll("\\d{3,}", "N");
          collectedCounts.merge(key, 1, Integer::sum);
          collected.putIfAbsent(key, "  " + v[1] + "\n  input: " + input);
        }
        return;
      }
      throw new AssertionError(property + ":" + message);
    }
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(300).forEach(cp -> {
      if (cp >= 0x20 && cp < 0x7f) b.append((char) cp);
      else b.append(String.format("\\u{%x}", cp));
    });
    return b.toString();
  }

  /** Printable ASCII as is, every other byte as \xNN; long inputs shown as head … tail. */
  static String preview(byte[] bytes, int max) {
    StringBuilder b = new StringBuilder();
    int head = bytes.length <= max ? bytes.length : max * 3 / 4;
    appendBytes(b, bytes, 0, head);
    if (bytes.length > max) {
      b.append(" …(").append(bytes.length - head - max / 4).append(" bytes)… ");
      appendBytes(b, bytes, bytes.length - max / 4, bytes.length);
    }
    return b.toString();
  }

  static void appendBytes(StringBuilder b, byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      int v = bytes[i] & 0xff;
      if (v >= 0x20 && v < 0x7f && v != '\\') b.append((char) v);
      else b.append(String.format("\\x%02x", v));
    }
  }

  // ====================================================================== inputs

  /** What the README says the answer must be, where it does. */
  record Expect(String why, int status, Set<Integer> codes, Integer rpcCode) {
    static final int ANY_4XX = -4;

    static Expect ok(String why) {
      return new Expect(why, 200, Set.of(), null);
    }

    static Expect created(String why) {
      return new Expect(why, 201, Set.of(), null);
    }

    static Expect reject(String why, int status, Integer... codes) {
      return new Expect(why, status, Set.of(codes), null);
    }

    static Expect rpc(String why, int status, Integer rpcCode) {
      return new Expect(why, status, Set.of(), rpcCode);
    }
  }

  record Body(String kind, byte[] bytes, String contentType, Expect expect, Set<String> noEcho) {
    String describe() {
      return kind + (contentType == null ? " (no Content-Type)" : " (Content-Type: " + contentType + ")") + " [" + bytes.length + " bytes] "
          + preview(bytes, 1200) + (expect == null ? "" : "  expect: " + expect.why + " → " + expect.status + " " + expect.codes);
    }

    @Override
    public String toString() {
      return kind + " [" + bytes.length + " bytes] " + preview(bytes, 300);
    }
  }

  record Update(String target, Body body) {
    @Override
    public String toString() {
      return "PUT " + target + ": " + body;
    }
  }

  record AdminRequest(String kind, HttpMethod method, String uri, List<String[]> headers, byte[] body, Expect expect, Set<String> noEcho) {
    @Override
    public String toString() {
      StringBuilder h = new StringBuilder();
      headers.forEach(x -> h.append(x[0]).append(": ").append(x[1]).append("; "));
      return kind + ": " + method + " " + uri + " [" + h + "] " + (body == null ? "(no body)" : preview(body, 600))
          + (expect == null ? "" : "  expect: " + expect.why + " → " + expect.status + " " + expect.codes);
    }
  }

  record McpRequest(String kind, HttpMethod method, String path, List<String[]> headers, byte[] body, Expect expect, Set<String> noEcho) {
    /** The request's id when the gateway must echo it exactly (strings of valid Unicode, integers); else null. */
    Object comparableId() {
      JsonObject m = message();
      if (m == null || !(m.getValue("method") instanceof String) || !"2.0".equals(m.getValue("jsonrpc"))) return null;
      if (m.containsKey("params") && !(m.getValue("params") instanceof JsonObject)) return null;
      Object id = m.getValue("id");
      if (id instanceof String s && s.chars().noneMatch(ch -> Character.isSurrogate((char) ch))) return s;
      if (id instanceof Integer || id instanceof Long || id instanceof java.math.BigInteger) return id;
      return null;
    }

    boolean isInitialize() {
      JsonObject m = message();
      return m != null && "initialize".equals(m.getValue("method")) && m.getValue("id") != null;
    }

    JsonObject message() {
      if (body == null) return null;
      try {
        return Json.decodeValue(Buffer.buffer(body)) instanceof JsonObject o ? o : null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      StringBuilder h = new StringBuilder();
      headers.forEach(x -> h.append(x[0]).append(": ").append(x[1].length() > 80 ? x[1].substring(0, 80) + "…(" + x[1].length() + ")" : x[1]).append("; "));
      return kind + ": " + method + " " + path + " [" + h + "] " + (body == null ? "(no body)" : "[" + body.length + " bytes] " + preview(body, 900))
          + (expect == null ? "" : "  expect: " + expect.why + " → " + expect.status + (expect.rpcCode == null ? "" : " " + expect.rpcCode));
    }
  }

  record RawRequest(String target, String injection, byte[] bytes) {
    @Override
    public String toString() {
      return target + " with " + injection + ": " + preview(bytes, 900);
    }
  }

  @Provide
  Arbitrary<Body> generatedCreates() {
    return Arbitraries.randomValue(r -> new G(r).serverBody(null));
  }

  @Provide
  Arbitrary<Body> mutatedCreates() {
    return Arbitraries.randomValue(r -> new G(r).mutatedServerBody(null));
  }

  @Provide
  Arbitrary<Update> updates() {
    return Arbitraries.randomValue(r -> {
      G g = new G(r);
      String target = g.pick(PLANTED, PLANTED, PLANTED, PLAIN, PLAIN, "ghost");
      return new Update(target, g.chance(0.5) ? g.serverBody(target) : g.mutatedServerBody(target));
    });
  }

  @Provide
  Arbitrary<Body> portalCreates() {
    return Arbitraries.randomValue(r -> {
      G g = new G(r);
      return g.chance(0.75) ? g.portalBody(null) : g.mutatedPortalBody(null);
    });
  }

  @Provide
  Arbitrary<Update> portalUpdates() {
    return Arbitraries.randomValue(r -> {
      G g = new G(r);
      String target = g.pick(PORTAL, PORTAL, PORTAL, "ghostportal");
      return new Update(target, g.chance(0.75) ? g.portalBody(target) : g.mutatedPortalBody(target));
    });
  }

  @Provide
  Arbitrary<AdminRequest> adminRequests() {
    return Arbitraries.randomValue(r -> new G(r).adminRequest());
  }

  @Provide
  Arbitrary<McpRequest> generatedMcp() {
    return Arbitraries.randomValue(r -> new G(r).mcpRequest(false));
  }

  @Provide
  Arbitrary<McpRequest> mutatedMcp() {
    return Arbitraries.randomValue(r -> new G(r).mcpRequest(true));
  }

  @Provide
  Arbitrary<RawRequest> rawRequests() {
    return Arbitraries.randomValue(r -> new G(r).rawRequest());
  }

  // ====================================================================== generators

  /** A JSON value written verbatim (possibly malformed, with duplicate keys, escaped lone surrogates...). */
  record Raw(String text) {}

  /** A JSON object as ordered entries, so that duplicates survive. */
  static final class Obj {
    final List<Object[]> entries = new ArrayList<>();

    Obj put(String key, Object value) {
      for (Object[] e : entries) {
        if (e[0].equals(key)) {
          e[1] = value;
          return this;
        }
      }
      entries.add(new Object[] {key, value});
      return this;
    }

    Object get(String key) {
      for (Object[] e : entries) if (e[0].equals(key)) return e[1];
      return null;
    }

    boolean has(String key) {
      return entries.stream().anyMatch(e -> e[0].equals(key));
    }
  }

  static Object tree(Object v) {
    if (v instanceof JsonObject o) {
      Obj obj = new Obj();
      o.forEach(e -> obj.entries.add(new Object[] {e.getKey(), tree(e.getValue())}));
      return obj;
    }
    if (v instanceof JsonArray a) {
      List<Object> list = new ArrayList<>();
      a.forEach(x -> list.add(tree(x)));
      return list;
    }
    return v;
  }

  /** Deterministic JSON string literal: lone surrogates and controls escaped. */
  static String jq(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') b.append("\\\"");
      else if (c == '\\') b.append("\\\\");
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) b.append(c).append(s.charAt(++i));
      else if (Character.isSurrogate(c)) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final byte[][] BAD_UTF8 = {
      {(byte) 0x80}, {(byte) 0xbf}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xc1, (byte) 0xbf}, {(byte) 0xc3}, {(byte) 0xc3, 0x28},
      {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xbf, (byte) 0xbf}, {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xfe}, {(byte) 0xff},
      {(byte) 0xf0, (byte) 0x9f, (byte) 0x98}, {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0xbd, (byte) 0xed, (byte) 0xb8, (byte) 0x80}};

  static final class G {
    final Random r;
    /** Credential values placed in the body: never to be echoed. */
    final Set<String> noEcho = new HashSet<>();

    G(Random r) {
      this.r = r;
    }

    int between(int lo, int hi) {
      return lo + r.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
      return r.nextDouble() < p;
    }

    @SafeVarargs
    final <T> T pick(T... items) {
      return items[r.nextInt(items.length)];
    }

    <T> T pick(List<T> items) {
      return items.get(r.nextInt(items.size()));
    }

    int size(int max) {
      return chance(0.7) ? between(0, Math.min(8, max)) : between(0, max);
    }

    // ------------------------------------------------------------------ text

    static final int[][] SAFE = {{0x21, 0x7e}, {0x20, 0x7e}, {0xa1, 0xff}, {0x0590, 0x05ff}, {0x0600, 0x06ff}, {0x0300, 0x036f},
        {0x1f300, 0x1faff}, {0x1d400, 0x1d7ff}, {0x20000, 0x2a6df}, {0x4e00, 0x9fff}, {0x10000, 0x1007f}, {0xac00, 0xd7a3}};
    static final int[] SAFE_SPECIALS = {0x200f, 0x200e, 0x202e, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069, 0x200b, 0x200d, 0xfeff,
        0x2028, 0x2029, 0x00ad, 0x0301, 0x20e3, 0xfe0f, 0x1f1fa, 0x1f3fb, 0x0627, 0x05d0, 0x1f468};
    static final int[][] NASTY = {{0x00, 0x1f}, {0x7f, 0x9f}, {0xd800, 0xdbff}, {0xdc00, 0xdfff}, {0xfffe, 0xffff},
        {0x10fffe, 0x10ffff}, {0xe000, 0xf8ff}};

    int safeCodePoint() {
      if (chance(0.1)) return SAFE_SPECIALS[r.nextInt(SAFE_SPECIALS.length)];
      int[] p = SAFE[r.nextInt(SAFE.length)];
      return between(p[0], p[1]);
    }

    int anyCodePoint() {
      if (chance(0.25)) {
        int[] p = NASTY[r.nextInt(NASTY.length)];
        return between(p[0], p[1]);
      }
      return safeCodePoint();
    }

    /**
     * Exactly {@code n} code points. Safe text passes the gateway's free-text rules (no control
     * characters, no lone surrogates) and is never blank; nasty text may contain anything.
     */
    String text(int n, boolean nasty) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int cp = nasty ? anyCodePoint() : safeCodePoint();
        if (cp >= 0xd800 && cp <= 0xdfff) b.append((char) cp);
        else b.appendCodePoint(cp);
      }
      String s = b.toString();
      if (!nasty && n > 0 && s.isBlank()) s = "x" + s.substring(s.offsetByCodePoints(0, 1));
      return s;
    }

    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final String ID_CHARS = ALNUM + "-";

    String ascii(int n, String alphabet) {
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      return b.toString();
    }

    /** Visible ASCII, not starting with '{' (which would make it the JSON credentials form). */
    String visibleAscii(int n) {
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) b.append((char) between(0x21, 0x7e));
      if (n > 0 && b.charAt(0) == '{') b.setCharAt(0, 'k');
      return b.toString();
    }

    String marker() {
      String m = "credmark" + ascii(16, ALNUM);
      noEcho.add(m);
      return m;
    }

    /** A JSON string literal with randomly chosen (valid) escaping. */
    String quote(String s) {
      boolean escapeAll = chance(0.15);
      StringBuilder b = new StringBuilder(s.length() + 2).append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"') b.append("\\\"");
        else if (c == '\\') b.append("\\\\");
        else if (c == '\n' && chance(0.5)) b.append("\\n");
        else if (c == '\r' && chance(0.5)) b.append("\\r");
        else if (c == '\t' && chance(0.5)) b.append("\\t");
        else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
        else if (c == '/' && chance(0.2)) b.append("\\/");
        else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (escapeAll) b.append(String.format("\\u%04X\\u%04X", (int) c, (int) s.charAt(i + 1)));
          else b.append(c).append(s.charAt(i + 1));
          i++;
        } else if (Character.isSurrogate(c) || escapeAll && c > 0x7e) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      return b.append('"').toString();
    }

    // ------------------------------------------------------------------ JSON values

    static final String[] NUMBERS = {"0", "-0", "1", "-1", "42", "1.5", "-0.0", "1e3", "1E+2", "2.5e-3", "2147483647", "2147483648",
        "-2147483649", "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "1e400", "-1e400", "1e-400", "0.1", "3.141592653589793238462643383279"};

    String value(int depth) {
      switch (r.nextInt(depth > 0 ? 9 : 6)) {
        case 0: return "null";
        case 1: return pick("true", "false");
        case 2: return pick(NUMBERS);
        case 3:
        case 4: return quote(text(size(30), chance(0.3)));
        case 5: return pick("[]", "{}", "\"\"");
        case 6:
        case 7: {
          StringBuilder b = new StringBuilder("[");
          int n = size(6);
          for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(value(depth - 1));
          return b.append(']').toString();
        }
        default: { // keys unique: duplicates are a kind of their own
          StringBuilder b = new StringBuilder("{");
          int n = size(6);
          Set<String> keys = new HashSet<>();
          for (int i = 0; i < n; i++) {
            String key = text(size(10), chance(0.2));
            if (!keys.add(key)) continue;
            b.append(keys.size() == 1 ? "" : ",").append(quote(key)).append(':').append(value(depth - 1));
          }
          return b.append('}').toString();
        }
      }
    }

    static String typeOf(String json) {
      char c = json.charAt(0);
      if (c == '"') return "string";
      if (c == '[') return "array";
      if (c == '{') return "object";
      if (json.equals("null")) return "null";
      if (json.equals("true") || json.equals("false")) return "boolean";
      return "number";
    }

    /** A non-null JSON value of another type than {@code type}. */
    String wrongType(String type) {
      while (true) {
        String v = value(2);
        String t = typeOf(v);
        if (!t.equals(type) && !t.equals("null")) return v;
      }
    }

    String nest(int depth, String leaf) {
      StringBuilder open = new StringBuilder();
      StringBuilder close = new StringBuilder();
      boolean arrays = chance(0.5);
      boolean mixed = chance(0.3);
      List<Character> closers = new ArrayList<>();
      for (int i = 0; i < depth; i++) {
        boolean array = mixed ? chance(0.5) : arrays;
        open.append(array ? "[" : "{\"n\":");
        closers.add(array ? ']' : '}');
      }
      for (int i = closers.size() - 1; i >= 0; i--) close.append(closers.get(i));
      return open + leaf + close;
    }

    String ser(Object v) {
      if (v == null) return "null";
      if (v instanceof Raw raw) return raw.text();
      if (v instanceof String s) return quote(s);
      if (v instanceof Obj o) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < o.entries.size(); i++) {
          Object[] e = o.entries.get(i);
          b.append(i == 0 ? "" : ",").append(jq((String) e[0])).append(':').append(ser(e[1]));
        }
        return b.append('}').toString();
      }
      if (v instanceof List<?> list) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) b.append(i == 0 ? "" : ",").append(ser(list.get(i)));
        return b.append(']').toString();
      }
      return v.toString();
    }

    // ------------------------------------------------------------------ server bodies

    static final Map<String, String> TOP_TYPES = new LinkedHashMap<>();
    static final Map<String, String> ITEM_TYPES = new LinkedHashMap<>();

    static {
      TOP_TYPES.put("id", "string");
      TOP_TYPES.put("name", "string");
      TOP_TYPES.put("hostname", "string");
      TOP_TYPES.put("auth_type", "string");
      TOP_TYPES.put("auth_credentials", "string");
      TOP_TYPES.put("description", "string");
      TOP_TYPES.put("updated_tools", "array");
      TOP_TYPES.put("updated_prompts", "array");
      TOP_TYPES.put("is_shared_oauth_callback_enabled", "boolean");
      ITEM_TYPES.put("name", "string");
      ITEM_TYPES.put("alias", "string");
      ITEM_TYPES.put("description", "string");
      ITEM_TYPES.put("enabled", "boolean");
    }

    Obj validItem(String name, String alias) {
      Obj item = new Obj().put("name", name);
      if (alias != null) item.put("alias", alias);
      if (chance(0.4)) item.put("description", text(between(0, 30), false));
      if (chance(0.4)) item.put("enabled", chance(0.7));
      return item;
    }

    /** A valid create body (target null) or a valid update body for the target. */
    Obj validBody(String target) {
      Obj body = new Obj();
      if (target == null) {
        body.put("id", "fz" + ascii(between(1, 12), ID_CHARS));
        body.put("name", chance(0.5) ? "Fuzz server" : text(between(1, 40), false));
        body.put("hostname", pick("https://upstream.example/mcp", "http://127.0.0.1:9/mcp", "https://[2001:db8::1]:8443/a/b?x=1",
            "http://localhost/mcp", "https://xn--bcher-kva.example/mcp"));
        body.put("auth_type", "bearer");
        String m = marker();
        body.put("auth_credentials", chance(0.7) ? m : new JsonObject().put("headers", new JsonObject().put("X-Api-Key", m)).encode());
      } else {
        if (chance(0.5)) body.put("name", text(between(1, 40), false));
        if (chance(0.2)) body.put("id", target);
        if (chance(0.2) && !target.equals(PLAIN)) body.put("hostname", upstream.url());
        if (chance(0.2) && target.equals(PLANTED)) body.put("auth_credentials", marker());
      }
      if (target == null || chance(0.5)) body.put("description", text(between(0, 60), false));
      if (chance(0.6)) {
        body.put("updated_tools", new ArrayList<>(List.of(validItem("echo", "say"), validItem("danger", null))));
      }
      if (chance(0.4)) body.put("updated_prompts", new ArrayList<>(List.of(validItem("greet", "hello"))));
      if (chance(0.4)) body.put("is_shared_oauth_callback_enabled", chance(0.5));
      if (body.entries.isEmpty()) body.put("description", "d");
      return body;
    }

    /** What a valid body gets: 200, or 404 for the server that does not exist. */
    Expect accepted(String target, String why) {
      return "ghost".equals(target) ? Expect.reject(why + " (no such server)", 404, 2001) : Expect.ok(why);
    }

    Body body(String kind, Obj body, String target, Expect expect) {
      return new Body(kind, utf8(ser(body)), "application/json", expect, Set.copyOf(noEcho));
    }

    Body serverBody(String target) {
      boolean create = target == null;
      Obj body = validBody(target);
      switch (r.nextInt(15)) {
        case 0: { // one to three fields of the wrong JSON type
          int n = between(1, 3);
          List<String> changed = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            if (chance(0.7)) {
              String key = pick(new ArrayList<>(TOP_TYPES.keySet()));
              body.put(key, new Raw(wrongType(TOP_TYPES.get(key))));
              changed.add(key);
            } else {
              String key = pick(new ArrayList<>(ITEM_TYPES.keySet()));
              Obj item = validItem("t" + i, null);
              if (chance(0.2)) {
                body.put(pick("updated_tools", "updated_prompts"), List.of(new Raw(wrongType("object"))));
                changed.add("item");
              } else {
                item.put(key, new Raw(wrongType(ITEM_TYPES.get(key))));
                body.put(pick("updated_tools", "updated_prompts"), List.of(item));
                changed.add("item." + key);
              }
            }
          }
          return body("wrong-type " + changed, body, target, Expect.reject("wrong JSON type", 400, 1102));
        }
        case 1: { // nulls
          List<String> keys = new ArrayList<>(TOP_TYPES.keySet());
          int n = between(1, 3);
          Expect expect = null;
          List<String> nulled = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            String key = pick(keys);
            body.put(key, null);
            nulled.add(key);
            if (Set.of("id", "name", "hostname", "auth_type").contains(key)) {
              expect = create ? Expect.reject("required field null", 400, 1101) : Expect.reject("non-nullable field null", 400, 1102);
            }
          }
          if (chance(0.3)) {
            Obj item = validItem("t", "a");
            String key = pick("name", "alias", "description", "enabled");
            item.put(key, null);
            body.put("updated_tools", List.of(item));
            nulled.add("item." + key);
            if (key.equals("name") && expect == null) expect = Expect.reject("override name null", 400, 1101);
          }
          return body("nulls " + nulled, body, target, expect);
        }
        case 2:
        case 3:
          return boundary(body, target);
        case 4: { // unicode into string fields
          List<String> keys = new ArrayList<>(List.of("name", "description", "hostname", "id", "auth_credentials", "alias", "item-name",
              "item-description", "auth_type"));
          String key = pick(keys);
          boolean nasty = chance(0.5);
          String text = text(between(0, 60), nasty);
          Expect expect = null;
          switch (key) {
            case "alias", "item-name", "item-description" -> {
              Obj item = validItem("t", null);
              item.put(key.equals("alias") ? "alias" : key.substring(5), text);
              body.put("updated_tools", List.of(item));
            }
            case "hostname" -> {
              text = pick("https://h.example/", "https://h.example/p?q=", "https://", "http://h.example:8080/", "") + text;
              body.put("hostname", text);
            }
            case "auth_credentials" -> {
              text = "cm" + text;
              noEcho.add(text);
              boolean visible = text.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
              if (!visible) expect = Expect.reject("credentials with invisible/non-ASCII characters", 400, 1104);
              else if (PLAIN.equals(target)) expect = Expect.reject("credentials on an unauthenticated server", 400, 1105);
              else expect = accepted(target, "visible-ASCII credentials");
              body.put(key, text);
            }
            case "id" -> {
              body.put("id", text);
              if (create && !text.matches("[A-Za-z0-9-]+")) expect = Expect.reject("id characters", 400, 1103, 1104);
              if (!create) expect = Expect.reject("id other than the path's", 400, 1103, 1104, 1108);
            }
            default -> body.put(key, text);
          }
          return body("unicode " + key + (nasty ? " (nasty)" : ""), body, target, expect);
        }
        case 5: { // deep nesting
          int depth = chance(0.5) ? between(2, 60) : between(66, 200);
          String leaf = pick("1", "null", "\"x\"", "[]", "{}");
          int where = r.nextInt(3);
          if (where == 0) {
            body.put("x_deep", new Raw(nest(depth, leaf)));
            Expect expect = depth <= 60 ? accepted(target, "deep unknown field within the nesting bound")
                : Expect.reject("nesting beyond the bound", 400, 1001);
            return body("deep unknown field " + depth, body, target, expect);
          }
          if (where == 1) {
            String key = pick(new ArrayList<>(TOP_TYPES.keySet()));
            body.put(key, new Raw(nest(depth, "1")));
            // {"n": ...} inside updated_tools is an override without a name (1101)
            return body("deep " + key + " " + depth, body, target, Expect.reject("nested value in a typed field", 400, 1001, 1101, 1102));
          }
          return new Body("deep body " + depth, utf8("[".repeat(depth) + ser(body) + "]".repeat(depth)), "application/json",
              Expect.reject("body nested in arrays/objects", 400, 1001, 1002), Set.copyOf(noEcho));
        }
        case 6: { // huge arrays
          int mode = r.nextInt(5);
          if (mode == 0) {
            int n = chance(0.3) ? 1000 : between(0, 1000);
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < n; i++) items.add(new Obj().put("name", "t" + i));
            body.put(pick("updated_tools", "updated_prompts"), items);
            return body("overrides " + n, body, target, accepted(target, "up to 1000 overrides"));
          }
          if (mode == 1) {
            int n = chance(0.3) ? 1001 : between(1001, 3000);
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < n; i++) items.add(new Obj().put("name", "t" + i));
            body.put(pick("updated_tools", "updated_prompts"), items);
            return body("overrides " + n, body, target, Expect.reject("more than 1000 overrides", 400, 1103));
          }
          if (mode == 2) {
            int n = between(1000, 28000);
            body.put(pick("tools", "prompts", "x_array"), new Raw("[" + "0,".repeat(n) + "0]"));
            return body("ignored array " + n, body, target, accepted(target, "read-only/unknown fields are ignored"));
          }
          if (mode == 3) {
            int n = between(2, 500);
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < n; i++) items.add(new Obj().put("name", "t" + (i % Math.max(1, n / 2))));
            body.put("updated_tools", items);
            return body("duplicate overrides " + n, body, target, Expect.reject("two overrides of one name", 400, 1106));
          }
          int n = between(1, 1500);
          body.put("updated_tools", new Raw("[" + "null,".repeat(n - 1) + "null]"));
          return body("null overrides " + n, body, target, Expect.reject(n > 1000 ? "more than 1000 overrides" : "override not an object", 400, 1102, 1103));
        }
        case 7: { // size around and over the limit
          int size = pick(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1, MAX_BODY + 2, between(MAX_BODY + 1, 70_000), between(70_000, 200_000));
          boolean whitespace = chance(0.3);
          body.put("x_pad", "");
          int base = utf8(ser(body)).length;
          if (size - base < 0) size = base;
          byte[] bytes;
          if (whitespace) {
            body.entries.removeIf(e -> e[0].equals("x_pad"));
            String text = ser(body);
            bytes = utf8(text + " ".repeat(Math.max(0, size - utf8(text).length)));
          } else {
            body.put("x_pad", new Raw("\"" + "a".repeat(size - base) + "\""));
            bytes = utf8(ser(body));
          }
          Expect expect = bytes.length > MAX_BODY ? Expect.reject("body over the limit", 413, 1003) : accepted(target, "body within the limit");
          return new Body("size " + bytes.length, bytes, "application/json", expect, Set.copyOf(noEcho));
        }
        case 8: { // duplicate keys
          String text;
          if (chance(0.7) && !body.entries.isEmpty()) {
            Object[] e = pick(body.entries);
            body.entries.add(new Object[] {e[0], chance(0.5) ? e[1] : new Raw(value(1))});
            text = "duplicate " + e[0];
          } else {
            Obj item = validItem("t", null);
            item.entries.add(new Object[] {"name", "t2"});
            body.put("updated_tools", List.of(item));
            text = "duplicate item name";
          }
          return body(text, body, target, Expect.reject("duplicate keys", 400, 1001));
        }
        case 9: { // invalid UTF-8 inside a string
          String key = pick("name", "description", "x_unknown", "hostname", "auth_credentials", "id");
          String placeholder = "@@BAD@@";
          body.put(key, (key.equals("hostname") ? "https://h.example/" : "v") + placeholder + "w");
          byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
          byte[] bytes = replace(utf8(ser(body)), utf8(placeholder), bad);
          return new Body("invalid UTF-8 in " + key + " " + HexFormat.of().formatHex(bad), bytes, "application/json",
              Expect.reject("invalid UTF-8", 400, 1001), Set.copyOf(noEcho));
        }
        case 10:
          return nonJson(body, target);
        case 11:
          return credentials(body, target);
        case 12: { // content types
          String type = pick("application/json", "APPLICATION/JSON", "application/json; charset=utf-8", "application/json;charset=latin1",
              " application/json ", "", ";", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
              "multipart/form-data", "application/jsonx", "application/json-seq", "*/*", "application/*", "json",
              "application/json, text/plain", "text/json", null, visibleAscii(between(1, 20)));
          // a '%' in the body trips the form decoders of form content types, which must still be a 415
          if (chance(0.5)) body.put("description", "100% " + text(between(0, 20), false));
          String media = type == null ? "" : type.split(";", 2)[0].trim();
          Expect expect = media.isEmpty() || media.equalsIgnoreCase("application/json")
              ? accepted(target, "JSON or no media type") : Expect.reject("a Content-Type other than application/json", 415, 1004);
          return new Body("content-type " + type, utf8(ser(body)), type, expect, Set.copyOf(noEcho));
        }
        case 13: { // unknown and read-only fields are ignored
          for (String key : List.of("tools", "prompts", "status", "created_at", "created_by", "error", "last_synced", "x_" + ascii(5, ALNUM))) {
            if (chance(0.5)) body.put(key, new Raw(value(2)));
          }
          return body("read-only/unknown fields", body, target, accepted(target, "unknown and read-only fields are ignored"));
        }
        default:
          return body("valid", body, target, accepted(target, "a valid body"));
      }
    }

    /** A field at or around its length limit; lengths count code points. */
    Body boundary(Obj body, String target) {
      boolean create = target == null;
      List<String> fields = new ArrayList<>(List.of("name", "description", "hostname", "alias", "item-name", "item-description", "overrides"));
      if (create) fields.add("id");
      if (create || PLANTED.equals(target)) fields.add("auth_credentials");
      String field = pick(fields);
      int min;
      int max;
      switch (field) {
        case "id" -> { min = 1; max = 32; }
        case "name" -> { min = 1; max = 350; }
        case "description" -> { min = 0; max = 512; }
        case "hostname" -> { min = 1; max = 2048; }
        case "alias" -> { min = 1; max = 40; }
        case "item-name" -> { min = 1; max = 256; }
        case "item-description" -> { min = 0; max = 4096; }
        case "auth_credentials" -> { min = 1; max = 16384; }
        default -> { min = 0; max = 1000; }
      }
      int length = pick(min - 1, min, max, max + 1, between(min, max), between(max + 1, max + 10));
      if (length < 0) length = 0;
      if (field.equals("hostname") && length > 0 && length < 19) length = 19;
      String value = switch (field) {
        case "id" -> ascii(length, ID_CHARS);
        case "hostname" -> length == 0 ? "" : "https://h.example/" + ascii(length - 18, ALNUM);
        case "alias" -> ascii(length, ALNUM);
        case "auth_credentials" -> {
          String m = marker();
          yield length >= m.length() ? m + visibleAscii(length - m.length()) : visibleAscii(length);
        }
        default -> text(length, false);
      };
      switch (field) {
        case "alias", "item-name", "item-description" -> {
          Obj item = validItem("t", null);
          item.put(field.equals("alias") ? "alias" : field.substring(5), value);
          body.put(pick("updated_tools", "updated_prompts"), List.of(item));
        }
        case "overrides" -> {
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < length; i++) items.add(new Obj().put("name", "o" + i));
          body.put(pick("updated_tools", "updated_prompts"), items);
        }
        default -> body.put(field, value);
      }
      // a bearer server that moves needs its credentials again in the same request
      if (field.equals("hostname") && PLANTED.equals(target)) body.put("auth_credentials", marker());
      boolean within = length >= min && length <= max;
      Expect expect;
      if (within) expect = accepted(target, field + " of " + length + " (limits " + min + "-" + max + ")");
      else if (field.equals("auth_credentials") && length == 0) expect = Expect.reject("empty credentials", 400, 1104);
      else expect = Expect.reject(field + " of " + length + " (limits " + min + "-" + max + ")", 400, 1103);
      return body("boundary " + field + " " + length, body, target, expect);
    }

    Body nonJson(Obj body, String target) {
      String valid = ser(body);
      byte[] bytes;
      String kind;
      Expect expect = Expect.reject("not a JSON object", 400, 1001, 1002);
      switch (r.nextInt(16)) {
        case 0 -> {
          bytes = new byte[between(1, 300)];
          r.nextBytes(bytes);
          kind = "random bytes";
        }
        case 1 -> {
          bytes = utf8(visibleAscii(between(1, 200)));
          kind = "random ASCII";
        }
        case 2 -> {
          bytes = Arrays.copyOf(utf8(valid), between(0, utf8(valid).length - 1));
          kind = "truncated";
        }
        case 3 -> {
          bytes = utf8(valid + pick("x", "}", "{}", "\u0000", ",", " 1", "]", "//c", "/*c*/"));
          kind = "trailing data";
        }
        case 4 -> {
          bytes = utf8(pick("/* c */ ", "// c\n", "# c\n") + valid);
          kind = "comment";
        }
        case 5 -> {
          bytes = utf8(valid.replace('"', '\''));
          kind = "single quotes";
        }
        case 6 -> {
          bytes = utf8(valid.replaceAll("\"([a-z_]+)\":", "$1:"));
          kind = "unquoted keys";
        }
        case 7 -> {
          bytes = utf8(valid.substring(0, valid.length() - 1) + ",}");
          kind = "trailing comma";
        }
        case 8 -> {
          body.put(pick("name", "x_num", "is_shared_oauth_callback_enabled"), new Raw(pick("NaN", "Infinity", "-Infinity", "+1", "0x10", "01", ".5", "1.", "undefined", "True")));
          bytes = utf8(ser(body));
          kind = "non-JSON literal";
        }
        case 9 -> {
          body.put("x_ctl", new Raw("\"raw" + pick("\n", "\t", "\r", "\u0000", "\u001f") + "ctl\""));
          bytes = utf8(ser(body));
          kind = "raw control character in a string";
        }
        case 10 -> {
          bytes = utf8(pick("null", "true", "0", "\"s\"", "[]", "[{}]", "[" + valid + "]", "1e400", "\"{}\""));
          kind = "not an object";
        }
        case 11 -> {
          bytes = utf8(pick("", " ", "\n\t ", "\r\n"));
          kind = "empty";
        }
        case 12 -> {
          bytes = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8(valid));
          kind = "UTF-8 BOM";
          expect = null;
        }
        case 13 -> {
          bytes = valid.getBytes(pick(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16));
          kind = "UTF-16";
          expect = null;
        }
        case 14 -> {
          bytes = utf8(valid.replace("\"", "\\\""));
          kind = "escaped quotes";
        }
        default -> {
          bytes = utf8("{\"id\":" + "\"x".repeat(between(1, 5)));
          kind = "unterminated";
        }
      }
      return new Body("non-JSON " + kind, bytes, "application/json", expect, Set.copyOf(noEcho));
    }

    static final String[] INJECTIONS = {"\r\n", "\n", "\r", "\u0000", "\t", " ", "\u2028", "\u0085", "\u00e9", "\u007f", "\r\n ", "\u000b",
        "\u000c", "\ud83d\ude00", "\ud800"};

    /** Credentials: raw tokens and {"headers": {...}}, CRLF injection and every other way to be wrong, or right. */
    Body credentials(Obj body, String target) {
      boolean applicable = target == null || PLANTED.equals(target) || "ghost".equals(target);
      String m = marker();
      String credentials;
      boolean valid;
      String kind;
      switch (r.nextInt(8)) {
        case 0 -> {
          String injection = pick(INJECTIONS);
          credentials = m + injection + pick("X-Injected: yes", "Set-Cookie: a=b", "", "x");
          valid = false;
          kind = "raw token with " + escape(injection);
        }
        case 1 -> {
          credentials = m + visibleAscii(between(0, 60));
          valid = true;
          kind = "raw visible ASCII";
        }
        case 2 -> {
          String injection = pick(INJECTIONS);
          credentials = "{\"headers\":{\"X-Api-Key\":" + jq(m + injection + "X-Injected: yes") + "}}";
          valid = injection.equals(" ") || injection.equals("\t");
          kind = "header value with " + escape(injection);
        }
        case 3 -> {
          String name = pick("X-A\r\nX-Injected", "X-A\nB", "X A", "X:A", "", "X-\u00e9", "X-A\u0000", "(A)", "A/B", "\u00e9");
          credentials = "{\"headers\":{" + jq(name) + ":" + jq(m) + "}}";
          valid = false;
          kind = "invalid header name";
        }
        case 4 -> {
          String name = pick("Host", "content-length", "Content-Type", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer",
              "Accept", "Mcp-Session-Id", "MCP-Protocol-Version", "Last-Event-ID");
          credentials = "{\"headers\":{" + jq(name) + ":" + jq(m) + "}}";
          valid = false;
          kind = "reserved header " + name;
        }
        case 5 -> {
          int n = pick(0, 1, 32, 33, between(2, 40));
          StringBuilder b = new StringBuilder("{\"headers\":{");
          for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":").append(jq(m + i));
          credentials = b.append("}}").toString();
          valid = n >= 1 && n <= 32;
          kind = n + " headers";
        }
        case 6 -> {
          credentials = pick("{\"headers\":{\"X-A\":\"" + m + "\",\"x-a\":\"2\"}}", "{\"headers\":{\"X-A\":\"" + m + "\",\"X-A\":\"2\"}}",
              "{\"headers\":{\"X-A\":1}}", "{\"headers\":{\"X-A\":null}}", "{\"headers\":{\"X-A\":[\"" + m + "\"]}}",
              "{\"headers\":[]}", "{\"headers\":\"" + m + "\"}", "{\"headers\":{\"X-A\":\"" + m + "\"},\"extra\":1}", "{}", "{",
              "{\"headers\":{\"X-A\":\"" + m + "\"}} trailing", " {\"headers\":{}}", "{/*c*/\"headers\":{\"X-A\":\"" + m + "\"}}",
              "{\"Headers\":{\"X-A\":\"" + m + "\"}}");
          valid = false;
          kind = "malformed JSON credentials";
        }
        default -> {
          credentials = " " + m;
          valid = false;
          kind = "leading space";
        }
      }
      body.put("auth_credentials", credentials);
      if (target == null) body.put("auth_type", "bearer");
      Expect expect;
      if (!applicable) expect = Expect.reject("credentials on an unauthenticated server", 400, 1104, 1105);
      else if (!valid) expect = Expect.reject("invalid credentials (" + kind + ")", 400, 1104);
      else expect = accepted(target, "valid credentials (" + kind + ")");
      return body("credentials: " + kind, body, target, expect);
    }

    // ------------------------------------------------------------------ portal bodies

    static final Map<String, String> PORTAL_TYPES = new LinkedHashMap<>();
    static final Map<String, String> MEMBER_TYPES = new LinkedHashMap<>();

    static {
      PORTAL_TYPES.put("id", "string");
      PORTAL_TYPES.put("name", "string");
      PORTAL_TYPES.put("hostname", "string");
      PORTAL_TYPES.put("description", "string");
      PORTAL_TYPES.put("code_mode", "string");
      PORTAL_TYPES.put("allow_code_mode", "boolean");
      PORTAL_TYPES.put("secure_web_gateway", "boolean");
      PORTAL_TYPES.put("servers", "array");
      MEMBER_TYPES.put("server_id", "string");
      MEMBER_TYPES.put("default_disabled", "boolean");
      MEMBER_TYPES.put("on_behalf", "boolean");
      MEMBER_TYPES.put("updated_tools", "array");
      MEMBER_TYPES.put("updated_prompts", "array");
    }

    static final List<String> CODE_MODES = List.of("off", "opt_in", "default_on", "enforced");

    /** A valid member: one of the fixed servers, by server_id (sometimes by id), with valid portal overrides. */
    Obj validMember(String serverId) {
      Obj m = new Obj().put(chance(0.1) ? "id" : "server_id", serverId);
      if (chance(0.4)) m.put("default_disabled", chance(0.5));
      if (chance(0.4)) m.put("on_behalf", chance(0.5));
      if (serverId.equals(MCPSRV) && chance(0.5)) {
        // mcpsrv has echo (aliased say on the server), danger (disabled on the server) and plain
        List<Object> tools = new ArrayList<>();
        tools.add(validItem("echo", pick("shout", "yell", null)));
        if (chance(0.5)) tools.add(new Obj().put("name", "danger").put("enabled", chance(0.5)));
        if (chance(0.5)) tools.add(new Obj().put("name", "plain").put("alias", pick("plainly", "p-1", "plain")));
        m.put("updated_tools", tools);
      }
      if (chance(0.3)) m.put("updated_prompts", new ArrayList<>(List.of(validItem("greet", chance(0.5) ? "hello" : null))));
      return m;
    }

    /** Fresh for every create: a taken one is a case of its own. */
    String freshHostname() {
      String label = "fp-" + ascii(between(1, 20), "abcdefghijklmnopqrstuvwxyz0123456789");
      return (chance(0.2) ? label.toUpperCase(Locale.ROOT) : label) + pick(".fuzz.example", ".Example.COM", ".portals.example.org");
    }

    /** A valid portal create body (target null) or a valid update body for the target. */
    Obj validPortalBody(String target) {
      Obj body = new Obj();
      if (target == null) {
        body.put("id", "fp" + ascii(between(1, 12), ID_CHARS));
        body.put("name", chance(0.5) ? "Fuzz portal" : text(between(1, 40), false));
        body.put("hostname", freshHostname());
      } else {
        if (chance(0.2)) body.put("id", target);
        if (chance(0.4)) body.put("name", text(between(1, 40), false));
        if (chance(0.2)) body.put("hostname", chance(0.5) ? PORTAL_HOST.toUpperCase(Locale.ROOT) : freshHostname());
      }
      if (chance(0.4)) body.put("description", chance(0.2) ? null : text(between(0, 60), false));
      String codeMode = chance(0.4) ? pick(CODE_MODES) : null;
      if (codeMode != null) body.put("code_mode", codeMode);
      if (chance(0.3)) body.put("allow_code_mode", codeMode == null ? chance(0.5) : !codeMode.equals("off"));
      if (chance(0.3)) body.put("secure_web_gateway", chance(0.5));
      if (chance(0.6)) {
        List<String> ids = new ArrayList<>(FIXED);
        java.util.Collections.shuffle(ids, r);
        List<Object> members = new ArrayList<>();
        for (String id : ids.subList(0, between(0, ids.size()))) members.add(validMember(id));
        body.put("servers", members);
      }
      if (body.entries.isEmpty()) body.put("description", "d");
      return body;
    }

    /** What a valid portal body gets: 201 on create, 200 on update, 404 for the portal that does not exist. */
    Expect portalAccepted(String target, String why) {
      if ("ghostportal".equals(target)) return Expect.reject(why + " (no such portal)", 404, 2101);
      return target == null ? Expect.created(why) : Expect.ok(why);
    }

    Body portalBody(String target) {
      boolean create = target == null;
      Obj body = validPortalBody(target);
      switch (r.nextInt(15)) {
        case 0: { // wrong JSON types, top-level or in a member
          List<String> changed = new ArrayList<>();
          if (chance(0.6)) {
            String key = pick(new ArrayList<>(PORTAL_TYPES.keySet()));
            body.put(key, new Raw(wrongType(PORTAL_TYPES.get(key))));
            changed.add(key);
          } else if (chance(0.2)) {
            body.put("servers", List.of(new Raw(wrongType("object"))));
            changed.add("member");
          } else {
            String key = pick(new ArrayList<>(MEMBER_TYPES.keySet()));
            Obj member = validMember(MCPSRV);
            member.entries.removeIf(e -> e[0].equals("id"));
            member.put(key, new Raw(wrongType(MEMBER_TYPES.get(key))));
            body.put("servers", List.of(member));
            changed.add("member." + key);
          }
          return body("portal wrong-type " + changed, body, target, Expect.reject("wrong JSON type", 400, 1102));
        }
        case 1: { // nulls
          String key = pick(new ArrayList<>(PORTAL_TYPES.keySet()));
          body.put(key, null);
          Expect expect;
          if (Set.of("id", "name", "hostname").contains(key)) {
            expect = create ? Expect.reject("required field null", 400, 1101) : Expect.reject("non-nullable field null", 400, 1102);
          } else if (key.equals("code_mode")) {
            expect = Expect.reject("code_mode null", 400, 1102);
          } else {
            expect = portalAccepted(target, key + " null (cleared, or not given)");
          }
          return body("portal null " + key, body, target, expect);
        }
        case 2:
        case 3:
          return portalBoundary(body, target);
        case 4: { // hostnames
          String[][] hosts = {{"mcp.fuzz-" + ascii(6, ALNUM).toLowerCase(Locale.ROOT) + ".example", "ok"}, {"https://h.example", "1104"},
              {"h.example:443", "1104"}, {"h.example/mcp", "1104"}, {"me@h.example", "1104"}, {"192.0.2.7", "1104"}, {"[::1]", "1104"},
              {"2130706433", "1104"}, {"-h.example", "1104"}, {"h-.example", "1104"}, {"h..example", "1104"}, {"h.example.", "1104"},
              {"h_x.example", "1104"}, {"b\u00fccher.example", "1104"}, {"h example", "1104"}, {"", "1103"}, {"h.0x1f", "1104"},
              {"xn--bcher-kva.fuzz-" + ascii(4, ALNUM).toLowerCase(Locale.ROOT) + ".example", "ok"},
              {PORTAL_HOST, "taken"}, {PORTAL_HOST.toUpperCase(Locale.ROOT), "taken"}};
          String[] h = hosts[r.nextInt(hosts.length)];
          if (!create && h[0].isEmpty()) h = new String[] {"", "1103"};
          body.put("hostname", h[0]);
          Expect expect = switch (h[1]) {
            case "ok" -> portalAccepted(target, "a bare DNS host");
            case "taken" -> create ? Expect.reject("the fixed portal's hostname", 409, 2103)
                : portalAccepted(target, "the portal's own hostname");
            default -> Expect.reject("not a bare DNS host", 400, Integer.parseInt(h[1]));
          };
          return body("portal hostname " + escape(h[0]), body, target, expect);
        }
        case 5: { // code_mode and allow_code_mode
          String codeMode = pick("off", "opt_in", "default_on", "enforced", "on", "", "OFF", "always");
          boolean allow = chance(0.5);
          body.put("code_mode", codeMode);
          body.put("allow_code_mode", allow);
          boolean known = CODE_MODES.contains(codeMode);
          Expect expect = !known ? Expect.reject("unknown code_mode", 400, 1105)
              : codeMode.equals("off") == allow ? Expect.reject("code_mode and allow_code_mode disagree", 400, 1105)
              : portalAccepted(target, "code_mode and allow_code_mode agree");
          return body("portal code_mode " + escape(codeMode) + " allow " + allow, body, target, expect);
        }
        case 6: { // members: unknown, '_', twice, by id, id disagreeing, names colliding
          List<Object> members = new ArrayList<>();
          members.add(validMember(PLAIN));
          Expect expect;
          String kind;
          switch (r.nextInt(6)) {
            case 0 -> {
              members.add(new Obj().put("server_id", pick("ghost", "nope", ascii(between(1, 32), ID_CHARS))));
              kind = "unknown server";
              expect = Expect.reject("a server the account does not have", 400, 1109);
            }
            case 1 -> {
              members.add(new Obj().put("server_id", pick("a_b", "mcp_srv", "_", "x_")));
              kind = "server id with _";
              expect = Expect.reject("a server id with '_'", 400, 1104);
            }
            case 2 -> {
              members.add(validMember(PLAIN));
              kind = "a server twice";
              expect = Expect.reject("the same server twice", 400, 1110);
            }
            case 3 -> {
              members.add(new Obj().put("id", MCPSRV).put("on_behalf", false));
              kind = "member by id";
              expect = portalAccepted(target, "a member named by id");
            }
            case 4 -> {
              members.add(new Obj().put("server_id", MCPSRV).put("id", PLANTED));
              kind = "id differs from server_id";
              expect = Expect.reject("id differs from server_id", 400, 1105);
            }
            default -> {
              members.add(new Obj().put("server_id", MCPSRV).put("updated_tools", List.of(new Obj().put("name", "echo").put("alias", "plain"))));
              kind = "names collide";
              expect = Expect.reject("two tools under one name", 400, 1107);
            }
          }
          if (chance(0.5)) java.util.Collections.reverse(members);
          body.put("servers", members);
          return body("portal members: " + kind, body, target, expect);
        }
        case 7: { // duplicate keys
          if (chance(0.7) && !body.entries.isEmpty()) {
            Object[] e = pick(body.entries);
            body.entries.add(new Object[] {e[0], chance(0.5) ? e[1] : new Raw(value(1))});
            return body("portal duplicate " + e[0], body, target, Expect.reject("duplicate keys", 400, 1001));
          }
          Obj member = validMember(MCPSRV);
          member.entries.add(new Object[] {"x_twice", 1});
          member.entries.add(new Object[] {"x_twice", chance(0.5) ? 1 : 2});
          body.put("servers", List.of(member));
          return body("portal duplicate member key", body, target, Expect.reject("duplicate keys", 400, 1001));
        }
        case 8:
          return nonJson(body, target);
        case 9: { // size around and over the limit
          int size = pick(MAX_BODY, MAX_BODY + 1, between(MAX_BODY + 1, 90_000));
          body.put("x_pad", "");
          int base = utf8(ser(body)).length;
          body.put("x_pad", new Raw("\"" + "a".repeat(Math.max(0, size - base)) + "\""));
          byte[] bytes = utf8(ser(body));
          Expect expect = bytes.length > MAX_BODY ? Expect.reject("body over the limit", 413, 1003) : portalAccepted(target, "body within the limit");
          return new Body("portal size " + bytes.length, bytes, "application/json", expect, Set.copyOf(noEcho));
        }
        case 10: { // content types
          String type = pick("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
              "multipart/form-data", null, "application/jsonx");
          String media = type == null ? "" : type.split(";", 2)[0].trim();
          Expect expect = media.isEmpty() || media.equalsIgnoreCase("application/json")
              ? portalAccepted(target, "JSON or no media type") : Expect.reject("a Content-Type other than application/json", 415, 1004);
          return new Body("portal content-type " + type, utf8(ser(body)), type, expect, Set.copyOf(noEcho));
        }
        case 11: { // unknown and read-only fields (a portal as read back) are ignored
          for (String key : List.of("created_at", "created_by", "modified_at", "status", "tools", "x_" + ascii(5, ALNUM))) {
            if (chance(0.5)) body.put(key, new Raw(value(2)));
          }
          if (chance(0.5)) {
            Obj member = validMember(MCPSRV).put("name", "read back").put("tools", new Raw("[]")).put("status", "ready");
            member.entries.removeIf(e -> e[0].equals("id"));
            member.put("id", MCPSRV);
            body.put("servers", List.of(member));
          }
          return body("portal read-only/unknown fields", body, target, portalAccepted(target, "unknown and read-only fields are ignored"));
        }
        case 12: { // unicode into the text fields
          String key = pick("name", "description", "hostname", "id");
          boolean nasty = chance(0.5);
          String text = text(between(0, 60), nasty);
          body.put(key, text);
          return body("portal unicode " + key + (nasty ? " (nasty)" : ""), body, target, null);
        }
        case 13: { // deep nesting
          int depth = chance(0.5) ? between(2, 60) : between(66, 200);
          if (chance(0.5)) {
            body.put("x_deep", new Raw(nest(depth, "1")));
            return body("portal deep unknown field " + depth, body, target, depth <= 60
                ? portalAccepted(target, "deep unknown field within the nesting bound") : Expect.reject("nesting beyond the bound", 400, 1001));
          }
          body.put(pick(new ArrayList<>(PORTAL_TYPES.keySet())), new Raw(nest(depth, "1")));
          return body("portal deep typed field " + depth, body, target, Expect.reject("nested value in a typed field", 400, 1001, 1101, 1102));
        }
        default:
          return body("portal valid", body, target, portalAccepted(target, "a valid portal body"));
      }
    }

    /** A portal field at or around its limit: id, name, description, hostname (labels too), the number of servers. */
    Body portalBoundary(Obj body, String target) {
      boolean create = target == null;
      List<String> fields = new ArrayList<>(List.of("name", "description", "hostname", "label", "servers"));
      if (create) fields.add("id");
      String field = pick(fields);
      int min;
      int max;
      switch (field) {
        case "id" -> { min = 1; max = 32; }
        case "name" -> { min = 1; max = 350; }
        case "description" -> { min = 0; max = 512; }
        case "hostname" -> { min = 1; max = 253; }
        case "label" -> { min = 1; max = 63; }
        default -> { min = 0; max = 80; }
      }
      int length = Math.max(0, pick(min - 1, min, max, max + 1, between(min, max), between(max + 1, max + 10)));
      Expect expect;
      String why = field + " of " + length + " (limits " + min + "-" + max + ")";
      boolean within = length >= min && length <= max;
      switch (field) {
        case "hostname" -> {
          // labels of at most 63 joined by dots, exactly length characters, ending in a letter
          StringBuilder h = new StringBuilder();
          while (h.length() < length) {
            int room = length - h.length();
            int label = Math.min(room, 63);
            if (room > 63 && room - 63 < 2) label = 61; // keep room for ".x"
            h.append(ascii(label - 1, "abcdefghijklmnopqrstuvwxyz0123456789")).append('x');
            if (h.length() < length) h.append('.');
          }
          body.put("hostname", h.toString());
          // a fresh random name; rarely equal to another portal's
          expect = within ? portalAccepted(target, why) : Expect.reject(why, 400, 1103);
        }
        case "label" -> {
          body.put("hostname", "a" + ascii(Math.max(0, length - 1), "abcdefghijklmnopqrstuvwxyz0123456789") + ".fuzz.example");
          if (length == 0) body.put("hostname", ".fuzz.example");
          expect = within ? portalAccepted(target, why) : Expect.reject(why, 400, 1104);
        }
        case "servers" -> {
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < length; i++) items.add(new Obj().put("server_id", "u" + i));
          body.put("servers", items);
          // every item names a server the account does not have, so only an empty list is accepted
          expect = !within ? Expect.reject(why, 400, 1103) : length == 0 ? portalAccepted(target, why) : Expect.reject(why + ", unknown servers", 400, 1109);
        }
        case "id" -> {
          body.put("id", ascii(length, ID_CHARS));
          expect = within ? portalAccepted(target, why) : Expect.reject(why, 400, 1103);
        }
        default -> {
          body.put(field, text(length, false));
          expect = within ? portalAccepted(target, why) : Expect.reject(why, 400, 1103);
        }
      }
      return body("portal boundary " + field + " " + length, body, target, expect);
    }

    static final List<String> PORTAL_KEYS = List.of("id", "name", "hostname", "description", "code_mode", "allow_code_mode",
        "secure_web_gateway", "servers", "server_id", "default_disabled", "on_behalf", "updated_tools", "updated_prompts", "alias",
        "enabled", "created_at");

    Body mutatedPortalBody(String target) {
      Obj body = validPortalBody(target);
      String[] log = new String[1];
      byte[] bytes = mutate(ser(body), PORTAL_KEYS, log);
      return new Body("portal mutated: " + log[0], bytes, "application/json", null, Set.of());
    }

    // ------------------------------------------------------------------ mutation

    static final List<String> ADMIN_KEYS = List.of("id", "name", "hostname", "auth_type", "auth_credentials", "description", "updated_tools",
        "updated_prompts", "is_shared_oauth_callback_enabled", "alias", "enabled", "tools", "prompts", "status", "created_at", "error");
    static final List<String> MCP_KEYS = List.of("jsonrpc", "id", "method", "params", "result", "error", "name", "arguments",
        "protocolVersion", "capabilities", "clientInfo", "_meta", "progressToken", "cursor", "requestId");

    Body mutatedServerBody(String target) {
      Obj body = validBody(target);
      String base = ser(body);
      String[] log = new String[1];
      byte[] bytes = mutate(base, ADMIN_KEYS, log);
      return new Body("mutated: " + log[0], bytes, "application/json", null, Set.of());
    }

    /** Field-level mutations on the parsed tree, then (sometimes) byte-level ones on the text. */
    byte[] mutate(String base, List<String> keys, String[] log) {
      Object root = tree(Json.decodeValue(base));
      List<String> ops = new ArrayList<>();
      int n = between(1, 4);
      for (int i = 0; i < n; i++) ops.add(mutateTree(root, keys));
      byte[] bytes = utf8(ser(root));
      if (chance(0.35)) {
        int m = between(1, 3);
        for (int i = 0; i < m; i++) {
          String[] op = new String[1];
          bytes = mutateBytes(bytes, op);
          ops.add(op[0]);
        }
      }
      log[0] = String.join(", ", ops);
      return bytes.length > 300_000 ? Arrays.copyOf(bytes, 300_000) : bytes;
    }

    void containers(Object v, List<Object> out) {
      if (v instanceof Obj o) {
        out.add(o);
        for (Object[] e : o.entries) containers(e[1], out);
      } else if (v instanceof List<?> l) {
        out.add(l);
        for (Object x : l) containers(x, out);
      }
    }

    @SuppressWarnings("unchecked")
    String mutateTree(Object root, List<String> keys) {
      List<Object> all = new ArrayList<>();
      containers(root, all);
      Object node = pick(all);
      if (node instanceof Obj o) {
        int op = r.nextInt(11);
        if (o.entries.isEmpty()) op = 1;
        Object[] e = o.entries.isEmpty() ? null : pick(o.entries);
        switch (op) {
          case 0 -> {
            o.entries.remove(e);
            return "delete " + e[0];
          }
          case 1 -> {
            String key = chance(0.7) ? pick(keys) : text(size(10), chance(0.3));
            o.entries.add(new Object[] {key, new Raw(value(3))});
            return "insert " + escape(key);
          }
          case 2 -> {
            e[1] = new Raw(value(3));
            return "replace " + e[0];
          }
          case 3 -> {
            o.entries.add(new Object[] {e[0], chance(0.5) ? e[1] : new Raw(value(2))});
            return "duplicate " + e[0];
          }
          case 4 -> {
            Object[] f = pick(o.entries);
            Object t = e[1];
            e[1] = f[1];
            f[1] = t;
            return "swap " + e[0] + "/" + f[0];
          }
          case 5 -> {
            String old = (String) e[0];
            e[0] = pick(old.toUpperCase(Locale.ROOT), old + " ", " " + old, old.replace('i', '\u0456'), old + "\u0000", old + "\u200b",
                old.isEmpty() ? "x" : old.substring(1), "");
            return "rename " + escape(old) + " → " + escape((String) e[0]);
          }
          case 6 -> {
            e[1] = new Raw(nest(between(1, 200), ser(e[1])));
            return "nest " + e[0];
          }
          case 7 -> {
            e[1] = text(size(40), true);
            return "nasty text in " + e[0];
          }
          case 8 -> {
            e[1] = pick("a", "\u00e9", "\ud83d\ude00", "\u05d0").repeat(pick(33, 41, 257, 351, 513, 2049, 4097, 16385, between(1, 3000)));
            return "long text in " + e[0];
          }
          case 9 -> {
            e[1] = null;
            return "null " + e[0];
          }
          default -> {
            e[1] = e[1] instanceof String s ? new Raw(chance(0.5) ? "[" + quote(s) + "]" : pick("1", "true", "{}")) : e[1] == null ? "null" : ser(e[1]);
            return "retype " + e[0];
          }
        }
      }
      List<Object> list = (List<Object>) node;
      int op = list.isEmpty() ? 1 : r.nextInt(6);
      switch (op) {
        case 0 -> {
          list.remove(r.nextInt(list.size()));
          return "delete element";
        }
        case 1 -> {
          list.add(list.isEmpty() ? 0 : r.nextInt(list.size() + 1), new Raw(value(2)));
          return "insert element";
        }
        case 2 -> {
          list.set(r.nextInt(list.size()), new Raw(value(2)));
          return "replace element";
        }
        case 3 -> {
          Object x = list.get(r.nextInt(list.size()));
          list.add(x);
          return "duplicate element";
        }
        case 4 -> {
          Object x = list.get(r.nextInt(list.size()));
          int copies = between(10, 1500);
          for (int i = 0; i < copies; i++) list.add(x);
          return "repeat element ×" + copies;
        }
        default -> {
          list.clear();
          return "empty array";
        }
      }
    }

    static final byte[] INTERESTING = {0, '"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\r', (byte) 0x80, (byte) 0xff, (byte) 0xc3,
        (byte) 0xed, ' ', '0', '-', 'e', 't', 'n', '/', '*', '\''};

    byte[] mutateBytes(byte[] in, String[] log) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int pos = in.length == 0 ? 0 : r.nextInt(in.length);
      switch (r.nextInt(8)) {
        case 0 -> {
          byte[] copy = in.clone();
          if (copy.length > 0) copy[pos] ^= (byte) (1 << r.nextInt(8));
          log[0] = "flip bit @" + pos;
          return copy;
        }
        case 1 -> {
          int len = Math.min(between(1, 4), in.length - pos);
          out.write(in, 0, pos);
          out.write(in, pos + len, in.length - pos - len);
          log[0] = "delete " + len + " @" + pos;
        }
        case 2 -> {
          out.write(in, 0, pos);
          byte b = INTERESTING[r.nextInt(INTERESTING.length)];
          out.write(b);
          out.write(in, pos, in.length - pos);
          log[0] = String.format("insert \\x%02x @%d", b & 0xff, pos);
        }
        case 3 -> {
          byte[] copy = in.clone();
          if (copy.length > 0) copy[pos] = (byte) r.nextInt(256);
          log[0] = "random byte @" + pos;
          return copy;
        }
        case 4 -> {
          int len = Math.min(between(1, 32), in.length - pos);
          out.write(in, 0, pos + len);
          out.write(in, pos, in.length - pos);
          log[0] = "duplicate " + len + " @" + pos;
        }
        case 5 -> {
          out.write(in, 0, pos);
          log[0] = "truncate @" + pos;
        }
        case 6 -> {
          byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
          out.write(in, 0, pos);
          out.write(bad, 0, bad.length);
          out.write(in, pos, in.length - pos);
          log[0] = "invalid UTF-8 " + HexFormat.of().formatHex(bad) + " @" + pos;
        }
        default -> {
          byte[] copy = in.clone();
          if (copy.length > 1) {
            int other = r.nextInt(copy.length);
            byte t = copy[pos];
            copy[pos] = copy[other];
            copy[other] = t;
          }
          log[0] = "swap bytes @" + pos;
          return copy;
        }
      }
      return out.toByteArray();
    }

    // ------------------------------------------------------------------ admin routes

    AdminRequest adminRequest() {
      HttpMethod method = pick(HttpMethod.GET, HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.POST, HttpMethod.PUT,
          HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.HEAD, HttpMethod.OPTIONS,
          HttpMethod.valueOf("FUZZ"), HttpMethod.TRACE);
      // account
      String account;
      boolean validAccount;
      int a = r.nextInt(20);
      if (a < 15) {
        account = ACCOUNT;
        validAccount = true;
      } else if (a < 16) {
        account = "globex";
        validAccount = true;
      } else {
        account = pick("a".repeat(65), "fu.zz", "f%C3%BCzz", "%zz", "%", "a%2Fb", "a%00", "%2e%2e", "fu%20zz", "\u00fc".repeat(3),
            "a+b", "a~b", "a:b", "a@b", "fu%7Azz", encode(text(between(1, 20), chance(0.5))));
        String decoded = decodeOrNull(account);
        validAccount = decoded != null && decoded.matches("[A-Za-z0-9_-]{1,64}");
        if (validAccount && !decoded.equals(ACCOUNT)) {
          account = ACCOUNT; // never write to an account that is not snapshotted
        }
        account = account.replace("\u00fc", "%C3%BC");
      }
      // token: the fuzzed account is only ever written with ADMIN; globex only ever gets tokens that cannot write it
      String tokenKind;
      if (account.equals("globex")) tokenKind = pick("acme", "none", "bogus");
      else tokenKind = pick("admin", "admin", "admin", "admin", "admin", "admin", "admin", "acme", "none", "bogus", "empty", "basic",
          "lowercase", "double-space", "admin-suffix");
      List<String[]> headers = new ArrayList<>();
      switch (tokenKind) {
        case "admin" -> headers.add(new String[] {"Authorization", "Bearer " + TestGateway.ADMIN});
        case "acme" -> headers.add(new String[] {"Authorization", "Bearer " + TestGateway.ACME});
        case "bogus" -> headers.add(new String[] {"Authorization", "Bearer " + visibleAscii(between(1, 40))});
        case "empty" -> headers.add(new String[] {"Authorization", pick("Bearer", "Bearer ", "", "Bearer  ")});
        case "basic" -> headers.add(new String[] {"Authorization", "Basic " + TestGateway.ADMIN});
        case "lowercase" -> headers.add(new String[] {"Authorization", "bearer " + TestGateway.ADMIN});
        case "double-space" -> headers.add(new String[] {"Authorization", "Bearer  " + TestGateway.ADMIN + " "});
        case "admin-suffix" -> headers.add(new String[] {"Authorization", "Bearer " + TestGateway.ADMIN + "x"});
        default -> { }
      }
      boolean authorized = Set.of("admin", "lowercase", "double-space").contains(tokenKind);
      // path
      String id = pick(PLANTED, PLAIN, MCPSRV, PORTAL, "ghost", "ghost", ascii(between(1, 32), ID_CHARS), "a".repeat(33), "a%20b", "%zz",
          "a%2Fb", "..", ".", "a.b", "%2e%2e", encode(text(between(1, 10), chance(0.5))), "%F0%9F%98%80", "a_b", "");
      String route = pick("servers", "servers", "server", "server", "server", "sync", "sync", "audit", "audit", "below-server", "other",
          "portals", "portals", "portal", "portal", "portal", "below-portal");
      String tail = switch (route) {
        case "servers" -> "servers";
        case "server" -> "servers/" + id;
        case "sync" -> "servers/" + id + "/sync";
        case "audit" -> "audit";
        case "below-server" -> "servers/" + id + "/" + pick("x", "sync/x", "tools");
        case "portals" -> "portals";
        case "portal" -> "portals/" + id;
        case "below-portal" -> "portals/" + id + "/" + pick("x", "servers");
        default -> pick("", "x", "servers2", "audits", "servers//", "SERVERS", "servers/" + id + "/", "portal", "portals/" + id + "/");
      };
      String query = query();
      String path = "/accounts/" + account + "/access/ai-controls/mcp/" + tail;
      String uri = chance(0.03) ? "/accounts/" + account + pick("", "/", "/access", "/access/ai-controls/mcp") + query : path + query;
      // body
      byte[] body = null;
      Set<String> noEcho = Set.of();
      if ((method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) && chance(0.8) || chance(0.05)) {
        Body b;
        if (route.startsWith("portal") || route.equals("below-portal")) {
          b = chance(0.6) ? portalBody(tail.equals("portals") ? null : "ghostportal") : mutatedPortalBody(null);
        } else {
          b = chance(0.6) ? serverBody(tail.equals("servers") ? null : "ghost") : mutatedServerBody(null);
        }
        body = b.bytes;
        noEcho = b.noEcho;
        if (b.contentType != null && chance(0.9)) headers.add(new String[] {"Content-Type", b.contentType});
      }
      // the README's outcome, where the input is plain enough to know it
      Expect expect = null;
      boolean plainUri = !uri.contains("%") && !path.contains("..") && !path.contains("/./") && !path.endsWith("/.") && !path.contains("//")
          && uri.startsWith(path) && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS && method != HttpMethod.TRACE;
      if (plainUri && !account.isEmpty()) {
        if (tokenKind.equals("none") || tokenKind.equals("bogus") || tokenKind.equals("empty") || tokenKind.equals("basic")
            || tokenKind.equals("admin-suffix")) {
          expect = Expect.reject("no valid API token", 401, 10000);
        } else if (!validAccount && authorized) {
          expect = Expect.reject("invalid account id", 400, 1202);
        } else if (tokenKind.equals("acme") && validAccount) {
          expect = Expect.reject("a token for another account", 403, 10001);
        } else if (authorized && account.equals(ACCOUNT)) {
          expect = routeExpect(method, tail, id, query, body);
        }
      }
      return new AdminRequest(tokenKind + " " + method + " " + route, method, uri, headers, body, expect, noEcho);
    }

    /** For ADMIN on the fuzzed account with a plain URI: the documented route outcomes. */
    Expect routeExpect(HttpMethod method, String tail, String id, String query, byte[] body) {
      boolean validId = id.matches("[A-Za-z0-9-]{1,32}");
      boolean exists = FIXED.contains(id);
      boolean portalExists = id.equals(PORTAL);
      Map<String, Set<HttpMethod>> allowed = Map.of("servers", Set.of(HttpMethod.GET, HttpMethod.POST), "servers/" + id,
          Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE), "servers/" + id + "/sync", Set.of(HttpMethod.POST), "audit",
          Set.of(HttpMethod.GET), "portals", Set.of(HttpMethod.GET, HttpMethod.POST), "portals/" + id,
          Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE));
      if (id.isEmpty() || id.equals("sync")) return null;
      if (Set.of("x", "servers2", "audits", "SERVERS", "portal", "servers/" + id + "/x", "servers/" + id + "/tools", "servers/" + id + "/sync/x",
          "portals/" + id + "/x", "portals/" + id + "/servers").contains(tail)) {
        return Expect.reject("no such route", 404, 7000);
      }
      if (!allowed.containsKey(tail)) return null;
      if (!allowed.get(tail).contains(method)) return Expect.reject("method not allowed", 405, 7001);
      if (tail.equals("portals") && method == HttpMethod.GET) {
        Boolean ok = listQueryOk(query, false);
        if (ok == null) return null;
        return ok ? Expect.ok("portal list with valid parameters") : Expect.reject("invalid query parameter", 400, 1201);
      }
      if (tail.equals("portals/" + id) && method == HttpMethod.GET) {
        return validId && portalExists ? Expect.ok("read the existing portal") : Expect.reject("read a missing portal", 404, 2101);
      }
      if (tail.equals("portals/" + id) && method == HttpMethod.DELETE && !portalExists) return Expect.reject("delete a missing portal", 404, 2101);
      if (tail.equals("servers") && method == HttpMethod.GET) {
        Boolean ok = listQueryOk(query, false);
        if (ok == null) return null;
        return ok ? Expect.ok("list with valid parameters") : Expect.reject("invalid query parameter", 400, 1201);
      }
      if (tail.equals("audit")) {
        Boolean ok = listQueryOk(query, true);
        if (ok == null) return null;
        return ok ? Expect.ok("audit with valid parameters") : Expect.reject("invalid query parameter", 400, 1201);
      }
      if (tail.equals("servers/" + id) && method == HttpMethod.GET) {
        return validId && exists ? Expect.ok("read an existing server") : Expect.reject("read a missing server", 404, 2001);
      }
      if (tail.equals("servers/" + id) && method == HttpMethod.DELETE && !exists) return Expect.reject("delete a missing server", 404, 2001);
      if (tail.equals("servers/" + id + "/sync") && !exists) return Expect.reject("sync a missing server", 404, 2001);
      if (tail.equals("servers/" + id + "/sync") && exists) return Expect.ok("sync an existing server");
      return null;
    }

    /** Whether the plain (unencoded) query is valid; null when this generator cannot tell. */
    static Boolean listQueryOk(String query, boolean audit) {
      if (query.isEmpty()) return true;
      if (query.contains("%") || query.contains("+") || query.contains("#")) return null;
      Map<String, String> seen = new LinkedHashMap<>();
      for (String part : query.substring(1).split("&", -1)) {
        int eq = part.indexOf('=');
        String key = eq < 0 ? part : part.substring(0, eq);
        String value = eq < 0 ? "" : part.substring(eq + 1);
        if (seen.containsKey(key) || value.contains("=") || part.isEmpty()) return null;
        seen.put(key, value);
      }
      boolean ok = true;
      for (Map.Entry<String, String> e : seen.entrySet()) {
        String v = e.getValue();
        switch (e.getKey()) {
          case "page" -> ok &= v.isEmpty() || v.matches("-?\\d{1,10}") && Long.parseLong(v) >= 1 && Long.parseLong(v) <= 21474836;
          case "per_page" -> ok &= v.isEmpty() || v.matches("-?\\d{1,10}") && Long.parseLong(v) >= 1 && Long.parseLong(v) <= 100;
          case "search" -> ok &= audit || v.codePointCount(0, v.length()) <= 350;
          case "server_id", "portal_id" -> ok &= !audit || v.isEmpty() || v.matches("[A-Za-z0-9-]{1,32}");
          default -> { }
        }
      }
      return ok;
    }

    String query() {
      if (chance(0.4)) return "";
      int n = between(1, 4);
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = pick("page", "per_page", "search", "server_id", "portal_id", "page", "per_page", "search", "x", "", "pa%67e");
        String value = pick("", "0", "1", "2", "-1", "100", "101", "25", "2147483647", "21474836", "21474837", "99999999999", "1e3",
            "0x10", "+1", "%201", "1%20", "abc", "%zz", "%", "%E2%82", "%C3%A9", "%F0%9F%98%80".repeat(between(1, chance(0.9) ? 200 : 400)), "a".repeat(350),
            "a".repeat(351), encode(text(350, false)), encode(text(351, false)), encode(text(between(0, 40), true)), "planted", "ghost",
            "a%2Bb", "+", "%2B", "%00", "plan", "PLANTED", "a".repeat(33), PORTAL, "fix_portal");
        parts.add(chance(0.1) ? key : key + "=" + value);
      }
      return "?" + String.join("&", parts) + (chance(0.05) ? "#frag" : "");
    }

    // ------------------------------------------------------------------ MCP

    String idText() {
      return switch (r.nextInt(12)) {
        case 0, 1, 2 -> Integer.toString(between(0, 1_000_000));
        case 3 -> pick("0", "-1", "9007199254740993", "9223372036854775807", "18446744073709551616", "-9223372036854775809");
        case 4, 5 -> quote(ascii(size(20), ALNUM + "-_:."));
        case 6 -> quote(text(size(20), true));
        case 7 -> quote("");
        case 8 -> pick("1.5", "1e3", "-0", "1e400", "0.0");
        case 9 -> pick("true", "false");
        case 10 -> pick("{}", "[]", "[1]", "{\"a\":1}");
        default -> "null";
      };
    }

    String params(String which) {
      return switch (which) {
        case "initialize" -> "{\"protocolVersion\":" + jq(pick(SUPPORTED_VERSIONS)) + ",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}";
        case "tools/call" -> "{\"name\":" + jq(pick("say", "say", "say", "echo", "danger", "plain", "unknown", "")) + ",\"arguments\":{\"message\":" + quote(text(size(20), false)) + "}}";
        case "prompts/get" -> "{\"name\":\"greet\"}";
        case "tools/list", "prompts/list", "resources/list" -> pick("{}", "{\"cursor\":\"abc\"}");
        case "notifications/cancelled" -> "{\"requestId\":5,\"reason\":\"x\"}";
        case "logging/setLevel" -> "{\"level\":\"info\"}";
        case "completion/complete" -> "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"greet\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"}}";
        default -> null;
      };
    }

    static final List<String> REQUESTS = List.of("initialize", "tools/call", "tools/call", "tools/list", "prompts/list", "prompts/get",
        "ping", "resources/list", "logging/setLevel", "completion/complete");
    static final List<String> NOTIFICATIONS = List.of("notifications/initialized", "notifications/cancelled", "notifications/progress",
        "notifications/roots/list_changed");

    /** A valid message: request, notification or response. */
    Obj validMessage() {
      Obj m = new Obj().put("jsonrpc", "2.0");
      int k = r.nextInt(10);
      if (k < 7) {
        String method = pick(REQUESTS);
        m.put("id", new Raw(chance(0.8) ? Integer.toString(between(0, 100000)) : quote(ascii(between(1, 20), ALNUM))));
        m.put("method", method);
        String p = params(method);
        if (p != null || chance(0.2)) m.put("params", new Raw(p == null ? "{}" : p));
      } else if (k < 9) {
        String method = pick(NOTIFICATIONS);
        m.put("method", method);
        String p = params(method);
        if (p != null) m.put("params", new Raw(p));
      } else {
        m.put("id", new Raw(pick("\"s1\"", "7")));
        if (chance(0.7)) m.put("result", new Raw(pick("{}", "{\"roots\":[]}")));
        else m.put("error", new Raw("{\"code\":-32601,\"message\":\"no\"}"));
      }
      return m;
    }

    McpRequest mcpRequest(boolean mutated) {
      // headers
      String token = pick(TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT,
          TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT,
          TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT, TestGateway.AGENT,
          null, "bogus-" + ascii(8, ALNUM), TestGateway.ADMIN, TestGateway.ACME_AGENT, TestGateway.ONLY_AGENT);
      int s = r.nextInt(100);
      String sessionKind;
      String sessionId;
      if (s < 55) {
        sessionKind = "valid";
        sessionId = session;
      } else if (s < 75) {
        sessionKind = "absent";
        sessionId = null;
      } else if (s < 83) {
        sessionKind = "tampered";
        char[] chars = session.toCharArray();
        int i = between(3, chars.length - 1);
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        sessionId = new String(chars);
      } else if (s < 91) {
        sessionKind = "random";
        sessionId = pick("v1.", "", "v2.", "fake-session") + ascii(between(0, 200), ALNUM + "-_=.");
      } else if (s < 94) {
        sessionKind = "long";
        sessionId = "v1." + ascii(between(4000, 7000), ALNUM);
      } else if (s < 97) {
        sessionKind = "truncated";
        sessionId = session.substring(0, between(0, session.length() - 1));
      } else {
        sessionKind = "random-visible";
        sessionId = visibleAscii(between(1, 60));
      }
      if ("".equals(sessionId)) sessionKind = "empty";
      int v = r.nextInt(10);
      String version = v < 5 ? null : v < 8 ? pick(SUPPORTED_VERSIONS) : pick("2025-06-18 ", "2025-6-18", "", "1.0", "2099-01-01",
          visibleAscii(between(1, 30)), "2024-11-05, 2025-06-18");
      String accept = pick("application/json, text/event-stream", "application/json, text/event-stream", "application/json, text/event-stream",
          "application/json, text/event-stream", "application/json, text/event-stream", "application/json, text/event-stream",
          "application/json, text/event-stream", null, "*/*", "application/json", "text/event-stream", "text/html",
          "APPLICATION/JSON, TEXT/EVENT-STREAM", visibleAscii(between(1, 20)));
      String contentType = pick("application/json", "application/json", "application/json", "application/json", "application/json",
          "application/json", "application/json", "application/json", "application/json", "application/json", "application/json",
          "application/json; charset=utf-8", null, "text/plain", "application/x-www-form-urlencoded", visibleAscii(between(1, 20)));
      HttpMethod method = chance(0.9) ? HttpMethod.POST : pick(HttpMethod.GET, HttpMethod.GET, HttpMethod.DELETE, HttpMethod.PUT,
          HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.HEAD);
      int p = r.nextInt(100);
      String lastEventId = null;
      String pathKind = p < 90 ? "main" : p < 93 ? "unknown-server" : p < 95 ? "other-account" : "junk";
      String path = switch (pathKind) {
        case "main" -> TestGateway.mcp(ACCOUNT, MCPSRV);
        case "unknown-server" -> TestGateway.mcp(ACCOUNT, pick("ghost", PLAIN, "MCPSRV"));
        case "other-account" -> TestGateway.mcp(pick("globex", "acme"), MCPSRV);
        default -> "/mcp/" + pick(ACCOUNT, "%zz", encode(text(between(1, 10), true)), "a".repeat(300)) + "/"
            + pick(MCPSRV, "%zz", "%", encode(text(between(1, 10), true)), "%2e%2e", "a%2Fb");
      };
      if (chance(0.7)) { // mostly the headers of a well-behaved agent, so that most messages reach the body rules
        token = TestGateway.AGENT;
        accept = pick("application/json, text/event-stream", null, "*/*");
        contentType = pick("application/json", "application/json", "application/json; charset=utf-8");
        if (version != null && !SUPPORTED_VERSIONS.contains(version)) version = null;
        if (chance(0.8)) method = HttpMethod.POST;
        if (chance(0.8)) pathKind = "main";
        if (pathKind.equals("main")) path = TestGateway.mcp(ACCOUNT, MCPSRV);
      }
      if (chance(0.05)) lastEventId = visibleAscii(between(1, 30));
      List<String[]> headers = new ArrayList<>();
      if (lastEventId != null) headers.add(new String[] {"Last-Event-ID", lastEventId});
      if (token != null) headers.add(new String[] {"Authorization", "Bearer " + token});
      if (contentType != null) headers.add(new String[] {"Content-Type", contentType});
      if (accept != null) headers.add(new String[] {"Accept", accept});
      if (sessionId != null) headers.add(new String[] {"Mcp-Session-Id", sessionId});
      if (version != null) headers.add(new String[] {"MCP-Protocol-Version", version});
      // body
      String kind;
      byte[] body;
      if (mutated) {
        Obj base = validMessage();
        String[] log = new String[1];
        body = mutate(ser(base), MCP_KEYS, log);
        kind = "mutated " + base.get("method") + ": " + log[0];
      } else {
        String[] k = new String[1];
        body = mcpBody(k);
        kind = k[0];
      }
      if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH && chance(0.8)) body = null;
      Expect expect = mcpExpect(token, pathKind, method, contentType, accept, version, sessionKind, body);
      return new McpRequest(kind + " | session " + sessionKind, method, path, headers, body, expect, Set.of());
    }

    byte[] mcpBody(String[] kind) {
      Obj m = validMessage();
      switch (r.nextInt(16)) {
        case 0 -> {
          m.entries.removeIf(e -> e[0].equals("id"));
          if (!m.has("method")) m.put("method", "notifications/initialized");
          kind[0] = "no id";
        }
        case 1 -> {
          m.entries.removeIf(e -> e[0].equals("method"));
          if (chance(0.5)) m.entries.removeIf(e -> e[0].equals("result") || e[0].equals("error"));
          if (!m.has("id")) m.put("id", new Raw("1"));
          kind[0] = "no method";
        }
        case 2 -> {
          String version = pick("absent", "\"1.0\"", "\"2\"", "2", "2.0", "null", "\"2.0 \"", "\"\"", "[]", "\"2.00\"", "\"3.0\"");
          if (version.equals("absent")) m.entries.removeIf(e -> e[0].equals("jsonrpc"));
          else m.put("jsonrpc", new Raw(version));
          kind[0] = "jsonrpc " + version;
        }
        case 3 -> {
          int n = chance(0.2) ? 0 : between(1, 20);
          StringBuilder b = new StringBuilder("[");
          for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(chance(0.8) ? ser(validMessage()) : value(2));
          kind[0] = "batch of " + n;
          return utf8(b.append(']').toString());
        }
        case 4 -> {
          m.put("params", new Raw(wrongType("object")));
          if (chance(0.2)) m.put("params", null);
          kind[0] = "params not an object";
        }
        case 5 -> {
          m.put("id", new Raw(idText()));
          if (!m.has("method")) m.put("method", pick(REQUESTS));
          kind[0] = "id types";
        }
        case 6 -> {
          m.put("method", chance(0.7) ? new Raw(quote(text(size(50), chance(0.5)))) : new Raw(wrongType("string")));
          kind[0] = "method junk";
        }
        case 7 -> {
          int depth = pick(between(1, 60), between(60, 200), 200);
          if (chance(0.7)) {
            m.put("params", new Raw("{\"arguments\":" + nest(depth, "1") + "}"));
            kind[0] = "deep params " + depth;
          } else {
            kind[0] = "deep body " + depth;
            return utf8(nest(depth, ser(m)));
          }
        }
        case 8 -> {
          int n = between(1000, 20000);
          m.put("params", new Raw("{\"name\":\"say\",\"arguments\":{\"a\":[" + "1,".repeat(n) + "1]}}"));
          if (!m.has("id")) m.put("id", new Raw("9"));
          m.put("method", "tools/call");
          kind[0] = "huge array " + n;
        }
        case 9 -> {
          int size = pick(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1, between(MAX_BODY + 1, 200_000));
          m.put("x_pad", "");
          int base = utf8(ser(m)).length;
          m.put("x_pad", new Raw("\"" + "a".repeat(Math.max(0, size - base)) + "\""));
          kind[0] = "size " + utf8(ser(m)).length;
        }
        case 10 -> {
          Object[] e = pick(m.entries);
          m.entries.add(new Object[] {e[0], chance(0.5) ? e[1] : new Raw(value(1))});
          kind[0] = "duplicate " + e[0];
        }
        case 11 -> {
          m.put("params", new Raw("{\"name\":\"say\",\"arguments\":{\"message\":\"v@@BAD@@w\"}}"));
          m.put("method", "tools/call");
          if (!m.has("id")) m.put("id", new Raw("3"));
          byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
          kind[0] = "invalid UTF-8 " + HexFormat.of().formatHex(bad);
          return replace(utf8(ser(m)), utf8("@@BAD@@"), bad);
        }
        case 12 -> {
          kind[0] = "non-JSON";
          return switch (r.nextInt(6)) {
            case 0 -> {
              byte[] b = new byte[between(1, 200)];
              r.nextBytes(b);
              yield b;
            }
            case 1 -> utf8(visibleAscii(between(1, 100)));
            case 2 -> {
              byte[] full = utf8(ser(m));
              yield Arrays.copyOf(full, between(1, full.length - 1));
            }
            case 3 -> utf8(ser(m) + pick("x", "{}", ",", "]"));
            case 4 -> utf8(pick("", " ", "{'jsonrpc':'2.0'}", "{jsonrpc:\"2.0\"}", "NaN", "{\"id\":1,}"));
            default -> utf8(ser(m).replace("\"2.0\"", "\"2.0\" /*c*/"));
          };
        }
        case 13 -> {
          String text = text(between(1, 60), true);
          m.put("method", "tools/call");
          m.put("params", new Raw("{\"name\":" + quote(chance(0.5) ? text : "say") + ",\"arguments\":{\"message\":" + quote(text) + "}}"));
          if (chance(0.5)) m.entries.removeIf(e -> e[0].equals("id"));
          else m.put("id", new Raw(chance(0.5) ? quote(text) : "4"));
          kind[0] = "unicode in name/arguments/id";
        }
        case 14 -> {
          kind[0] = "not an object";
          return utf8(pick("null", "1", "\"x\"", "true", "[]", "\"{}\""));
        }
        default -> kind[0] = "valid " + (m.get("method") == null ? "response" : m.get("method"));
      }
      return utf8(ser(m));
    }

    /** The README's status (and JSON-RPC code) for this request; null where the generator cannot tell. */
    Expect mcpExpect(String token, String pathKind, HttpMethod method, String contentType, String accept, String version,
        String sessionKind, byte[] body) {
      if (pathKind.equals("junk") || method == HttpMethod.HEAD) return null;
      if (token == null || token.startsWith("bogus") || token.equals(TestGateway.ADMIN)) return Expect.rpc("no valid client token", 401, -32600);
      if (token.equals(TestGateway.ACME_AGENT) || token.equals(TestGateway.ONLY_AGENT)) {
        return pathKind.equals("other-account") ? null : Expect.rpc("a client token for another account", 403, -32600);
      }
      if (method != HttpMethod.POST && method != HttpMethod.GET && method != HttpMethod.DELETE) return Expect.rpc("method not allowed", 405, -32600);
      boolean validSession = sessionKind.equals("valid") && pathKind.equals("main");
      if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
        if (method == HttpMethod.GET && accept != null && !accept.toLowerCase(Locale.ROOT).contains("text/event-stream") && !accept.contains("*/*")) {
          return Expect.rpc("GET without text/event-stream in Accept", 406, -32600);
        }
        if (sessionKind.equals("absent")) return Expect.rpc("no session id", 400, -32600);
        if (!validSession) return Expect.rpc("unknown session", 404, -32001);
        return method == HttpMethod.DELETE ? new Expect("end the session", 200, Set.of(), null) : null;
      }
      if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
        return Expect.rpc("a non-JSON Content-Type", 415, -32600);
      }
      String acceptLower = accept == null ? null : accept.toLowerCase(Locale.ROOT);
      if (acceptLower != null && !acceptLower.contains("*/*") && !(acceptLower.contains("application/json") && acceptLower.contains("text/event-stream"))) {
        return Expect.rpc("Accept admits neither", 406, -32600);
      }
      // header values lose their surrounding whitespace (RFC 9110 §5.5)
      // a version newer than the session era's belongs to the stateless era, judged with the body (below)
      String stripped = version == null ? null : version.strip();
      boolean newer = stripped != null && stripped.compareTo("2025-11-25") > 0;
      if (version != null && !SUPPORTED_VERSIONS.contains(stripped) && !newer) return Expect.rpc("unsupported MCP-Protocol-Version", 400, -32600);
      if (body == null) return Expect.rpc("empty body", 400, -32700);
      if (body.length > MAX_BODY) return Expect.rpc("message over the limit", 413, -32600);
      Object decoded;
      try {
        decoded = Json.decodeValue(Buffer.buffer(body));
      } catch (RuntimeException e) {
        return Expect.rpc("malformed JSON", 400, -32700);
      }
      if (decoded instanceof JsonArray) return Expect.rpc("a batch", 400, -32600);
      if (!(decoded instanceof JsonObject m)) return Expect.rpc("not a JSON-RPC message", 400, -32600);
      boolean request = m.getValue("method") instanceof String && m.getValue("id") != null;
      boolean response = !m.containsKey("method") && m.containsKey("id") && (m.containsKey("result") || m.containsKey("error"));
      if (!"2.0".equals(m.getValue("jsonrpc")) || !(request || response || m.getValue("method") instanceof String)) {
        return Expect.rpc("not a JSON-RPC 2.0 request, notification or response", 400, -32600);
      }
      if (m.containsKey("params") && !(m.getValue("params") instanceof JsonObject)) return Expect.rpc("params not an object", 400, -32600);
      if (hasLoneSurrogate(m)) return null; // what the gateway should do here is for the report, not an oracle
      if (newer) {
        // MCP 2026-07-28: _meta must carry the protocol version (-32602), the header must equal it (-32020), and be a version
        // the gateway speaks (-32022)
        JsonObject params = m.getValue("params") instanceof JsonObject p ? p : new JsonObject();
        Object metaVersion = params.getValue("_meta") instanceof JsonObject meta ? meta.getValue("io.modelcontextprotocol/protocolVersion") : null;
        if (!(metaVersion instanceof String)) return Expect.rpc("stateless era: _meta without its protocol version", 400, -32602);
        if (!stripped.equals(metaVersion)) return Expect.rpc("stateless era: MCP-Protocol-Version differs from _meta", 400, -32020);
        if (!stripped.equals("2026-07-28")) return Expect.rpc("stateless era: unsupported version", 400, -32022);
        return null; // the rest of the stateless era's rules are ModernAgentTest's
      }
      if (request && "initialize".equals(m.getValue("method"))) {
        return pathKind.equals("main") ? new Expect("initialize", 200, Set.of(), null) : Expect.rpc("initialize an unknown server", 404, -32600);
      }
      if (sessionKind.equals("absent")) return Expect.rpc("no session id", 400, -32600);
      if (!validSession) return Expect.rpc("unknown session", 404, -32001);
      if (!request) return new Expect("notification or response", 202, Set.of(), null);
      if (m.getValue("method").equals("tools/call")) {
        Object name = m.getJsonObject("params") == null ? null : m.getJsonObject("params").getValue("name");
        if (!"say".equals(name) && !"plain".equals(name)) return Expect.rpc("a disabled, unknown or aliased-away tool", 200, -32602);
      }
      if (m.getValue("method").equals("prompts/get")) return Expect.rpc("an unknown prompt", 200, -32602);
      return new Expect("a request on a valid session", 200, Set.of(), null);
    }

    static boolean hasLoneSurrogate(Object v) {
      if (v instanceof String s) {
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
          else if (Character.isSurrogate(c)) return true;
        }
        return false;
      }
      if (v instanceof JsonObject o) {
        for (Map.Entry<String, Object> e : o) if (hasLoneSurrogate(e.getKey()) || hasLoneSurrogate(e.getValue())) return true;
      }
      if (v instanceof JsonArray a) for (Object x : a) if (hasLoneSurrogate(x)) return true;
      return false;
    }

    // ------------------------------------------------------------------ raw requests

    static final String[] RAW_INJECTIONS = {"\r\nX-Injected: yes", "\nX-Injected: yes", "\rX-Injected: yes", "\r\n X-Injected-Fold: yes",
        "\r\n\tfolded", "\r\nSet-Cookie: fuzz=1", "\r\nLocation: http://evil.example/", "\r\nMcp-Session-Id: forged",
        "\r\nContent-Length: 0", "\r\nTransfer-Encoding: chunked", "\r\nConnection: keep-alive", "\r\nHost: evil.example", "\u0000",
        "\u0000\r\nX-Injected: yes", "\u007f", "\t", " ", "\u00c3\u00a9", "\u00ff\u00fe", "\u00c0\u008a", "\u00e2\u0080\u00a8",
        "%0d%0aX-Injected: yes", "\\r\\nX-Injected: yes", "\u000b", "\u000c"};

    RawRequest rawRequest() {
      String target = pick("mcp-session", "mcp-version", "mcp-auth", "mcp-accept", "mcp-content-type", "admin-auth", "admin-content-type",
          "admin-custom", "admin-get", "admin-uri", "mcp-uri");
      String injection = chance(0.1) ? "a".repeat(pick(4000, 9000, 20000)) : pick(RAW_INJECTIONS);
      String tail = chance(0.5) ? "" : visibleAscii(between(1, 10));
      boolean mcp = target.startsWith("mcp");
      String body = mcp ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}" : "{\"id\":1}";
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Host", "127.0.0.1");
      h.put("Connection", "close");
      h.put("Authorization", "Bearer " + (mcp ? TestGateway.AGENT : TestGateway.ADMIN));
      h.put("Content-Type", "application/json");
      if (mcp) {
        h.put("Accept", "application/json, text/event-stream");
        h.put("Mcp-Session-Id", session);
        h.put("MCP-Protocol-Version", "2025-06-18");
      } else {
        h.put("X-Fuzz", "1");
      }
      String header = switch (target) {
        case "mcp-session" -> "Mcp-Session-Id";
        case "mcp-version" -> "MCP-Protocol-Version";
        case "mcp-auth", "admin-auth" -> "Authorization";
        case "mcp-accept" -> "Accept";
        case "mcp-content-type", "admin-content-type" -> "Content-Type";
        default -> "X-Fuzz";
      };
      h.put(header, h.get(header) + injection + tail);
      String path = mcp ? TestGateway.mcp(ACCOUNT, MCPSRV) : servers(ACCOUNT);
      String method = target.equals("admin-get") ? "GET" : "POST";
      if (target.endsWith("-uri")) {
        h.put("X-Fuzz", "1");
        path = path + pick("", "?a=") + injection.replace("\r\n", pick("\r\n", "%0d%0a")) + tail;
        if (target.equals("admin-uri")) method = "GET";
      }
      StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      byte[] payload = method.equals("GET") ? new byte[0] : utf8(body);
      if (injection.contains("Transfer-Encoding: chunked") && method.equals("POST")) {
        // complete under either framing (chunked or Content-Length): a wait for more bytes would be the client's fault
        payload = utf8(Integer.toHexString(payload.length) + "\r\n" + body + "\r\n0\r\n\r\n");
      }
      if (method.equals("POST")) req.append("Content-Length: ").append(payload.length).append("\r\n");
      req.append("\r\n");
      return new RawRequest(target, escape(injection.length() > 100 ? "a×" + injection.length() : injection),
          concat(req.toString().getBytes(StandardCharsets.ISO_8859_1), payload));
    }

    // ------------------------------------------------------------------ helpers

    static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String decodeOrNull(String s) {
      try {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  static byte[] replace(byte[] in, byte[] what, byte[] with) {
    String s = new String(in, StandardCharsets.ISO_8859_1);
    String w = new String(what, StandardCharsets.ISO_8859_1);
    int at = s.indexOf(w);
    if (at < 0) return in;
    return concat(Arrays.copyOfRange(in, 0, at), with, Arrays.copyOfRange(in, at + what.length, in.length));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.write(p, 0, p.length);
    return out.toByteArray();
  }
}
