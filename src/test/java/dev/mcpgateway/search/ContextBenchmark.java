package dev.mcpgateway.search;

import static dev.mcpgateway.support.Await.result;

import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.support.FakeUpstream;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The context-cost benchmark ({@code bench/context.sh}, not part of the test suite): a portal of 50
 * servers × 20 tools (the generated 1,000-tool catalogue, cut into 50 upstreams in catalogue order)
 * behind a real gateway (embedded store, real HTTP on loopback): the tokens and bytes of what
 * {@code tools/list} answers an agent in each {@code optimize_context} mode, the ratio full ÷
 * search_and_execute, what one {@code portal_query_tools} answer costs (limit 5 and 10, over the
 * labelled queries of the generated catalogue), what the management API says, and how long counting
 * takes. Prints a Markdown report and writes it to the file named by the first argument, if any.
 */
public final class ContextBenchmark {
  static final int SERVERS = 50;
  static final int TOOLS_PER_SERVER = 20;
  static final String[] MODES = {"full", "minimize_tools", "search_and_execute", "codemode"};
  /** Cloudflare's published example: 52 tools ≈ 9,400 tokens, 2 tools (search and execute) ≈ 600. */
  static final double CLOUDFLARE_RATIO = 9_400.0 / 600;

  private ContextBenchmark() {}

  public static void main(String[] args) throws IOException {
    Vertx vertx = Vertx.vertx();
    Path dataDir = Files.createTempDirectory("context-bench");
    List<JsonObject> catalogue = CatalogueGenerator.generate();
    if (catalogue.size() < SERVERS * TOOLS_PER_SERVER) throw new IllegalStateException("catalogue has " + catalogue.size() + " tools");
    Map<String, Handler<HttpServerRequest>> byPath = new HashMap<>();
    for (int s = 0; s < SERVERS; s++) {
      JsonArray tools = new JsonArray(new ArrayList<>(catalogue.subList(s * TOOLS_PER_SERVER, (s + 1) * TOOLS_PER_SERVER)));
      byPath.put("/" + serverId(s) + "/mcp", FakeUpstream.wellBehaved(vertx, tools, 0));
    }
    FakeUpstream upstream = result(FakeUpstream.start(vertx, request -> byPath.get(request.path()).handle(request)));
    String base = upstream.url().replace("/mcp", "");
    TestGateway gw = result(TestGateway.start(vertx, dataDir, null));
    try {
      StringBuilder md = new StringBuilder();
      run(gw, base, md);
      System.out.print(md);
      if (args.length > 0) {
        Path out = Path.of(args[0]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.err.println("context.sh: wrote " + out);
      }
    } finally {
      result(gw.stop());
      result(upstream.stop());
      result(vertx.close());
    }
  }

  static String serverId(int s) {
    return String.format(Locale.ROOT, "s%02d", s + 1);
  }

  private static void run(TestGateway gw, String upstreamBase, StringBuilder md) {
    JsonArray members = new JsonArray();
    for (int s = 0; s < SERVERS; s++) {
      String id = serverId(s);
      ok(result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
          .sendJsonObject(new JsonObject().put("id", id).put("name", "Server " + id).put("hostname", upstreamBase + "/" + id + "/mcp")
              .put("auth_type", "unauthenticated"))));
      String status = ok(result(gw.client.post(TestGateway.servers("acme") + "/" + id + "/sync")
          .putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send())).getString("status");
      if (!"ready".equals(status)) throw new IllegalStateException(id + " did not sync: " + status);
      members.add(new JsonObject().put("server_id", id));
    }
    JsonObject portal = ok(result(gw.client.post(TestGateway.portals("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "bench").put("name", "Bench").put("hostname", "bench.example.com").put("servers", members))));

    md.append("# Context cost: measured\n\n");
    md.append("Written by `bench/context.sh` on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" (").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores). Numbers of this run; token counts are\n")
        .append("deterministic (same catalogue, same gateway code → same numbers), timings are not.\n\n");
    md.append("A portal of ").append(SERVERS).append(" servers × ").append(TOOLS_PER_SERVER).append(" tools = ")
        .append(SERVERS * TOOLS_PER_SERVER).append(" tools: the generated catalogue of `src/test/resources/search/` (realistic\n")
        .append("names, descriptions and JSON schemas of 47 products: GitHub, Jira, Slack, Stripe, …) cut into 50 upstreams of 20 in\n")
        .append("catalogue order, each synced by a real gateway (embedded store) and joined in one portal. Each `tools/list` is an\n")
        .append("agent's request over HTTP on loopback (MCP 2026-07-28, one POST; a 2025 session gets the same list). Tokens:\n")
        .append("`o200k_base` (jtokkit) over the compact JSON of the `tools` array, as `context_tokens` counts it; other models'\n")
        .append("tokenizers differ by a few per cent.\n\n");

    md.append("## tools/list per mode\n\n| mode (`?optimize_context=`, or Code Mode: `?codemode=search_and_execute`) | tools listed | tokens | bytes | tokens per listed tool | × fewer tokens than full |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    Map<String, ContextCost> measured = new HashMap<>();
    JsonArray full = null;
    for (String mode : MODES) {
      JsonArray tools = toolsList(gw, mode);
      if (mode.equals("full")) full = tools;
      ContextCost cost = ContextCost.of(tools);
      measured.put(mode, cost);
      md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.0f | %.1f× |%n", mode.equals("full") ? "none (full)" : mode, tools.size(),
          cost.tokens(), cost.bytes(), (double) cost.tokens() / tools.size(),
          (double) measured.get("full").tokens() / cost.tokens()));
    }
    double ratio = (double) measured.get("full").tokens() / measured.get("search_and_execute").tokens();
    md.append(String.format(Locale.ROOT, "%nfull ÷ search_and_execute: **%.1f×** (goal ≥ 10×). Cloudflare's published example: 52 tools ≈ 9,400 tokens → "
        + "search and execute ≈ 600, %.1f×; the ratio grows with the portal, since search_and_execute lists a fixed %d tools "
        + "(3 built-in + 2) whatever the members have. These generated tools are lean (%.0f tokens each in full mode; Cloudflare's "
        + "example works out at ≈ 180): with real servers' heavier definitions full mode costs more and the ratio is larger still. "
        + "Code Mode lists a fixed %d tools too (3 built-in + portal_codemode_search and portal_codemode_execute): full ÷ codemode "
        + "**%.1f×**; its agent then learns the tools by running a search script, whose answer it shapes itself.%n%n",
        ratio, CLOUDFLARE_RATIO, toolsList(gw, "search_and_execute").size(),
        // the member tools alone (the full list starts with the 3 built-in ones)
        (double) ContextCost.of(new JsonArray(new ArrayList<>(full.getList().subList(3, full.size())))).tokens() / (full.size() - 3),
        toolsList(gw, "codemode").size(), (double) measured.get("full").tokens() / measured.get("codemode").tokens()));

    md.append("What the management API says (`GET …/portals/bench`, `context_tokens`; it counts `tools/list` + `prompts/list`, and these\n")
        .append("members have no prompts):\n\n| mode | API `context_tokens` | measured above | API `context_bytes` | measured above |\n| --- | ---: | ---: | ---: | ---: |\n");
    JsonObject read = ok(result(gw.client.get(TestGateway.portals("acme") + "/bench").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send()));
    for (String mode : MODES) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d |%n", mode, read.getJsonObject("context_tokens").getLong(mode),
          measured.get(mode).tokens(), read.getJsonObject("context_bytes").getLong(mode), measured.get(mode).bytes()));
    }
    if (!portal.getJsonObject("context_tokens").equals(read.getJsonObject("context_tokens"))) {
      md.append("\n(The create's answer differed: ").append(portal.getJsonObject("context_tokens").encode()).append(")\n");
    }

    md.append("\n## One search: what the agent pays per `portal_query_tools` call\n\n");
    List<LabelledQuery> queries = LabelledQuery.load().stream().filter(q -> q.catalogue().equals(Catalogues.GENERATED)).toList();
    md.append("The tokens of one `tools/call` result of `portal_query_tools` (the full definitions of the best matches, carried once\n")
        .append("as `structuredContent` and once as JSON text in `content`, as the gateway answers it; a client that hands the\n")
        .append("model only `content` pays about half), over the ").append(queries.size())
        .append(" labelled queries of the generated catalogue, mode search_and_execute:\n\n")
        .append("| limit | tools answered (mean) | result tokens: mean | p50 | max | `content` text only: mean |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int limit : new int[] {5, 10}) {
      long[] tokens = new long[queries.size()];
      long textTokens = 0;
      long answered = 0;
      for (int i = 0; i < queries.size(); i++) {
        JsonObject answer = query(gw, queries.get(i).query(), limit);
        tokens[i] = ContextCost.tokens(answer.encode());
        textTokens += ContextCost.tokens(answer.getJsonArray("content").getJsonObject(0).getString("text"));
        answered += answer.getJsonObject("structuredContent").getJsonArray("tools").size();
      }
      long[] sorted = tokens.clone();
      Arrays.sort(sorted);
      md.append(String.format(Locale.ROOT, "| %d | %.1f | %,.0f | %,d | %,d | %,.0f |%n", limit, (double) answered / queries.size(),
          Arrays.stream(tokens).average().orElse(0), sorted[sorted.length / 2], sorted[sorted.length - 1], (double) textTokens / queries.size()));
    }
    md.append(String.format(Locale.ROOT, "%nSo an agent in search_and_execute mode pays %,d tokens up front and roughly the row above per search,\n"
        + "against %,d up front in full mode: searching for tools is cheaper than listing them all for any conversation that needs\n"
        + "fewer than about %d searches (limit 10).%n%n", measured.get("search_and_execute").tokens(), measured.get("full").tokens(),
        (measured.get("full").tokens() - measured.get("search_and_execute").tokens()) / Math.max(1, perSearch(gw, queries, 10))));

    md.append("## Counting cost (in-process, single thread)\n\n");
    long[] runs = new long[20];
    for (int i = 0; i < 10; i++) ContextCost.of(full);
    for (int i = 0; i < runs.length; i++) {
      long t0 = System.nanoTime();
      ContextCost.of(full);
      runs[i] = System.nanoTime() - t0;
    }
    Arrays.sort(runs);
    // the full list starts with the 3 built-in tools: the next 20 are the first member's
    JsonArray twenty = new JsonArray(new ArrayList<>(full.getList().subList(3, 3 + TOOLS_PER_SERVER)));
    long t0 = System.nanoTime();
    for (int i = 0; i < 200; i++) ContextCost.of(twenty);
    double smallMs = (System.nanoTime() - t0) / 1e6 / 200;
    md.append(String.format(Locale.ROOT, "Counting the full list (%,d tools, %,d bytes): median %.1f ms, max %.1f ms over %d runs after 10 warm-up ones; "
        + "a 20-tool server's list: %.2f ms. Far past what an event loop may spend, so the gateway counts on a worker, once per change "
        + "(a member's sync or edit, a portal's edit), never per request.%n", full.size(), measured.get("full").bytes(), runs[runs.length / 2] / 1e6,
        runs[runs.length - 1] / 1e6, runs.length, smallMs));
  }

  /** Mean tokens of a search answer at {@code limit}, for the break-even line. */
  private static long perSearch(TestGateway gw, List<LabelledQuery> queries, int limit) {
    long sum = 0;
    for (LabelledQuery q : queries) sum += ContextCost.tokens(query(gw, q.query(), limit).encode());
    return sum / Math.max(1, queries.size());
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 != 2) throw new IllegalStateException(response.statusCode() + ": " + response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("result");
  }

  private static JsonArray toolsList(TestGateway gw, String mode) {
    return post(gw, mode, "tools/list", null, new JsonObject()).getJsonArray("tools");
  }

  private static JsonObject query(TestGateway gw, String query, int limit) {
    return post(gw, "search_and_execute", "tools/call", "portal_query_tools", new JsonObject().put("name", "portal_query_tools")
        .put("arguments", new JsonObject().put("query", query).put("limit", limit)));
  }

  /** One MCP 2026-07-28 request to the portal: its result. */
  private static JsonObject post(TestGateway gw, String mode, String method, String name, JsonObject params) {
    params.put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
        .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "context-bench").put("version", "1")));
    var request = gw.client.post("/mcp/acme/portals/bench" + (mode.equals("full") ? "" : mode.equals("codemode") ? "?codemode=search_and_execute" : "?optimize_context=" + mode))
        .putHeader("Authorization", "Bearer " + TestGateway.AGENT).putHeader("Accept", "application/json, text/event-stream")
        .putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", method);
    if (name != null) request.putHeader("Mcp-Name", name);
    HttpResponse<Buffer> response = result(request.sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method)
        .put("params", params)));
    String body = response.bodyAsString();
    if (body.startsWith("event:") || body.startsWith("data:")) {
      body = body.lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).strip()).reduce("", String::concat);
    }
    JsonObject message = new JsonObject(body);
    if (response.statusCode() != 200 || message.getJsonObject("result") == null) {
      throw new IllegalStateException(method + " " + mode + ": " + response.statusCode() + " " + body);
    }
    return message.getJsonObject("result");
  }
}
