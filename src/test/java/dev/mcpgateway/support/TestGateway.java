package dev.mcpgateway.support;

import dev.mcpgateway.Gateway;
import dev.mcpgateway.config.GatewayConfig;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A real gateway on a free port for HTTP-level tests, on the embedded store in a temp directory
 * or on PostgreSQL in a fresh schema. Tokens: {@link #ADMIN} manages every account, {@link #ACME}
 * only account {@code acme}.
 */
public final class TestGateway {
  public static final String ADMIN = "test-admin-token";
  public static final String ACME = "test-acme-token";
  /** Client tokens for the MCP endpoint: every account; account acme only; acme's server "only" only. */
  public static final String AGENT = "test-agent-token";
  public static final String ACME_AGENT = "test-acme-agent-token";
  public static final String ONLY_AGENT = "test-only-agent-token";
  public static final String SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  public final Gateway gateway;
  public final WebClient client;
  public final Path dataDir;
  public final String pgSchema;

  private TestGateway(Gateway gateway, WebClient client, Path dataDir, String pgSchema) {
    this.gateway = gateway;
    this.client = client;
    this.dataDir = dataDir;
    this.pgSchema = pgSchema;
  }

  /** Configuration for a test gateway: embedded when {@code pgSchema} is null. */
  public static JsonObject config(Path dataDir, String pgSchema) {
    JsonObject store = new JsonObject().put("data_dir", dataDir.toString());
    if (pgSchema != null) store.put("kind", "postgres").put("pg_url", Postgres.URL).put("pg_schema", pgSchema);
    else store.put("kind", "embedded");
    return new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("max_body_bytes", 65536))
        .put("store", store)
        // tests sync explicitly; a test that wants the background behaviour turns these back on
        .put("sync", new JsonObject().put("on_create", false).put("sweep_ms", 3_600_000))
        .put("upstream", new JsonObject().put("connect_timeout_ms", 2000).put("request_timeout_ms", 5000))
        // tests send many bad tokens on purpose; the rate-limit tests set their own limits
        .put("limits", new JsonObject().put("client_rps", 0).put("account_rps", 0).put("auth_failures_per_minute", 0))
        .put("security", new JsonObject()
            .put("secret_key", SECRET_KEY)
            .put("api_tokens", new JsonArray()
                .add(new JsonObject().put("name", "test-admin").put("sha256", TokenHash.sha256Hex(ADMIN)).put("accounts", "*"))
                .add(new JsonObject().put("name", "acme-bot").put("sha256", TokenHash.sha256Hex(ACME))
                    .put("accounts", new JsonArray().add("acme"))))
            .put("client_tokens", new JsonArray()
                .add(new JsonObject().put("name", "agent").put("sha256", TokenHash.sha256Hex(AGENT)).put("accounts", "*"))
                .add(new JsonObject().put("name", "acme-agent").put("sha256", TokenHash.sha256Hex(ACME_AGENT))
                    .put("accounts", new JsonArray().add("acme")))
                .add(new JsonObject().put("name", "only-agent").put("sha256", TokenHash.sha256Hex(ONLY_AGENT))
                    .put("accounts", new JsonArray().add("acme")).put("servers", new JsonArray().add("only")))));
  }

  /**
   * {@code config} listening on {@code port}, reached at {@code publicUrl} ({@code oauth.public_base_url}: the
   * issuer and the resources' base, so fixed before the start), with {@code signIn} as its {@code sign_in}.
   */
  public static JsonObject signingIn(JsonObject config, String publicUrl, int port, JsonObject signIn) {
    config.getJsonObject("server").put("port", port);
    config.put("oauth", new JsonObject().put("public_base_url", publicUrl));
    return config.put("sign_in", signIn);
  }

  public static Future<TestGateway> start(Vertx vertx, Path dataDir, String pgSchema) {
    return start(vertx, config(dataDir, pgSchema), dataDir, pgSchema);
  }

  public static Future<TestGateway> start(Vertx vertx, JsonObject config, Path dataDir, String pgSchema) {
    return start(vertx, config, dataDir, pgSchema, Clock.systemUTC());
  }

  /** With the gateway's clock in the test's hands (token expiry, session age...). */
  public static Future<TestGateway> start(Vertx vertx, JsonObject config, Path dataDir, String pgSchema, Clock clock) {
    return Gateway.start(vertx, GatewayConfig.fromJson(config), clock)
        .map(g -> new TestGateway(g, WebClient.create(vertx, new WebClientOptions()
            .setDefaultHost("127.0.0.1").setDefaultPort(g.port())), dataDir, pgSchema));
  }

  public static String mcp(String account, String server) {
    return "/mcp/" + account + "/" + server;
  }

  public String mcpUrl(String account, String server) {
    return "http://127.0.0.1:" + gateway.port() + mcp(account, server);
  }

  /** Registers an unauthenticated server at {@code hostname} in {@code account} and syncs it; fails unless both succeed. */
  public void addSyncedServer(String account, String id, String hostname) {
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> created = Await.result(client.post(servers(account))
        .putHeader("Authorization", "Bearer " + ADMIN)
        .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("hostname", hostname).put("auth_type", "unauthenticated")));
    if (created.statusCode() != 200) throw new IllegalStateException("create " + id + ": " + created.statusCode() + " " + created.bodyAsString());
    String status = Await.result(client.post(servers(account) + "/" + id + "/sync").putHeader("Authorization", "Bearer " + ADMIN).send())
        .bodyAsJsonObject().getJsonObject("result").getString("status");
    if (!"ready".equals(status)) throw new IllegalStateException("sync " + id + ": " + status);
  }

  public static String servers(String account) {
    return "/accounts/" + account + "/access/ai-controls/mcp/servers";
  }

  public static String portals(String account) {
    return "/accounts/" + account + "/access/ai-controls/mcp/portals";
  }

  public Future<Void> stop() {
    client.close();
    return gateway.stop();
  }
}
