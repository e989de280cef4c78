package dev.mcpgateway.config;

import dev.mcpgateway.mcp.McpClientOptions;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.LimitSettings;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.sync.SyncScheduler;
import dev.mcpgateway.store.StoreSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed gateway configuration, read from the merged YAML + environment JSON (see
 * {@link ConfigLoader}). Invalid settings fail at start with a message naming the setting.
 */
public record GatewayConfig(
    String host,
    int port,
    long maxBodyBytes,
    long requestTimeoutMs,
    Path dataDir,
    StoreSettings store,
    String secretKey,
    String adminToken,
    List<ApiToken> apiTokens,
    boolean allowLinkLocal,
    McpClientOptions upstream,
    SyncScheduler.Settings sync,
    boolean syncOnCreate,
    long cacheMaxServers,
    List<ClientToken> clientTokens,
    ProxySettings proxy,
    String metricsToken,
    int metricsPort,
    String logLevel,
    String logFormat,
    boolean accessLog,
    Duration shutdownGrace,
    LimitSettings limits,
    boolean denyPrivate,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    dev.mcpgateway.upstream.oauth.OAuthSettings oauth) {

  /** The main listener: address, and the request-line and header limits past which the decoder answers 414 / 431. */
  public io.vertx.core.http.HttpServerOptions listenOptions() {
    return new io.vertx.core.http.HttpServerOptions().setHost(host).setPort(port)
        .setMaxInitialLineLength(maxInitialLineBytes).setMaxHeaderSize(maxHeaderBytes);
  }

  @Override
  public String toString() {
    return "GatewayConfig[host=" + host + ", port=" + port + ", store=" + store + ", dataDir=" + dataDir
        + ", apiTokens=" + apiTokens.size() + ", clientTokens=" + clientTokens.size() + ", metricsPort=" + metricsPort + "]";
  }

  public static GatewayConfig fromJson(JsonObject json) {
    JsonObject server = section(json, "server");
    JsonObject store = section(json, "store");
    JsonObject security = section(json, "security");
    JsonObject outbound = section(json, "outbound");
    JsonObject upstream = section(json, "upstream");
    JsonObject sync = section(json, "sync");
    JsonObject cache = section(json, "cache");
    JsonObject proxy = section(json, "proxy");
    JsonObject metrics = section(json, "metrics");
    JsonObject logging = section(json, "logging");
    JsonObject limits = section(json, "limits");
    JsonObject oauth = section(json, "oauth");
    String logFormat = string(logging, "format", "json");
    if (!logFormat.equals("json") && !logFormat.equals("text")) throw new IllegalArgumentException("logging.format must be json or text");
    Path dataDir = Path.of(string(store, "data_dir", "./data"));
    String pgUrl = blankToNull(string(store, "pg_url", null));
    String kind = string(store, "kind", "auto");
    StoreSettings storeSettings = switch (kind) {
      case "embedded" -> new StoreSettings.Embedded(dataDir);
      case "postgres" -> {
        if (pgUrl == null) throw new IllegalArgumentException("store.kind is postgres but store.pg_url (PG_URL) is not set");
        yield postgres(store, pgUrl);
      }
      case "auto" -> pgUrl == null ? new StoreSettings.Embedded(dataDir) : postgres(store, pgUrl);
      default -> throw new IllegalArgumentException("store.kind must be auto, embedded or postgres, not '" + kind + "'");
    };
    return new GatewayConfig(
        string(server, "host", "0.0.0.0"),
        integer(server, "port", 8080, 0, 65535),
        positiveLong(server, "max_body_bytes", 1_048_576),
        positiveLong(server, "request_timeout_ms", 30_000),
        dataDir,
        storeSettings,
        blankToNull(string(security, "secret_key", null)),
        blankToNull(string(security, "admin_token", null)),
        apiTokens(security.getValue("api_tokens")),
        bool(outbound, "allow_link_local", false),
        new McpClientOptions(
            positiveLong(upstream, "connect_timeout_ms", 5_000),
            positiveLong(upstream, "idle_timeout_ms", 30_000),
            positiveLong(upstream, "request_timeout_ms", 30_000),
            integer(upstream, "max_response_bytes", 16 * 1024 * 1024, 1024, Integer.MAX_VALUE),
            integer(sync, "max_pages", 100, 1, 100_000),
            integer(upstream, "max_connections", 32, 1, 10_000),
            "mcp-gateway", "0.1.0",
            integer(upstream, "breaker_failures", 5, 1, 1000),
            Duration.ofMillis(positiveLong(upstream, "breaker_reset_ms", 10_000))),
        new SyncScheduler.Settings(
            Duration.ofMillis(positiveLong(sync, "interval_ms", 7_200_000)),
            Duration.ofMillis(positiveLong(sync, "retry_base_ms", 30_000)),
            Duration.ofMillis(positiveLong(sync, "sweep_ms", 60_000)),
            decimal(sync, "jitter", 0.1, 0, 0.5),
            integer(sync, "concurrency", 4, 1, 1000)),
        bool(sync, "on_create", true),
        positiveLong(cache, "max_servers", 10_000),
        clientTokens(security),
        new ProxySettings(
            positiveLong(proxy, "max_body_bytes", 4 * 1024 * 1024),
            Duration.ofMillis(positiveLong(proxy, "session_idle_ms", 1_800_000)),
            Duration.ofMillis(positiveLong(proxy, "session_max_age_ms", 86_400_000)),
            Duration.ofMillis(positiveLong(proxy, "keepalive_ms", 15_000)),
            origins(proxy.getValue("allowed_origins"))),
        blankToNull(string(metrics, "token", null)),
        integer(metrics, "port", -1, -1, 65535),
        string(logging, "level", "info"),
        logFormat,
        bool(logging, "access", true),
        Duration.ofMillis(positiveLong(server, "shutdown_grace_ms", 10_000)),
        new LimitSettings(rate(limits, "client_rps", 100), rate(limits, "client_burst", 200), rate(limits, "account_rps", 500),
            rate(limits, "account_burst", 1000), rate(limits, "auth_failures_per_minute", 60)),
        bool(outbound, "deny_private", false),
        integer(server, "max_initial_line_bytes", 8192, 256, 1 << 20),
        integer(server, "max_header_bytes", 16384, 1024, 1 << 20),
        new dev.mcpgateway.upstream.oauth.OAuthSettings(
            publicUrl(oauth, "public_base_url", "http://localhost" + (integer(server, "port", 8080, 0, 65535) == 0 ? ""
                : ":" + integer(server, "port", 8080, 0, 65535))),
            blankToNull(string(oauth, "shared_callback_url", null)) == null ? null : publicUrl(oauth, "shared_callback_url", null),
            Duration.ofMillis(positiveLong(oauth, "authorization_ttl_ms", 600_000)),
            Duration.ofMillis(positiveLong(oauth, "refresh_ahead_ms", 60_000))));
  }

  /** An absolute http(s) URL setting (the gateway as browsers reach it). */
  private static String publicUrl(JsonObject json, String key, String fallback) {
    String value = blankToNull(string(json, key, fallback));
    try {
      java.net.URI uri = java.net.URI.create(value);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getRawQuery() != null) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("oauth." + key + " must be an absolute http(s) URL without a query");
    }
    return value;
  }

  /** A list (YAML) or a comma-separated string (environment) of origins such as https://app.example. */
  private static Set<String> origins(Object value) {
    Set<String> origins = new HashSet<>();
    if (value instanceof JsonArray array) array.forEach(o -> origins.add(String.valueOf(o).trim()));
    else if (value instanceof String text) for (String o : text.split(",")) if (!o.isBlank()) origins.add(o.trim());
    else if (value != null) throw new IllegalArgumentException("proxy.allowed_origins must be a list or a comma-separated string");
    return origins;
  }

  private static double rate(JsonObject json, String key, double fallback) {
    return decimal(json, key, fallback, 0, Double.MAX_VALUE);
  }

  private static double decimal(JsonObject json, String key, double fallback, double min, double max) {
    Object value = json.getValue(key);
    double d;
    try {
      d = value == null ? fallback : value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
    }
    if (d < min || d > max) throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
    return d;
  }

  /** {@code client_tokens} plus the bootstrap {@code client_token} (plaintext, every account). */
  private static List<ClientToken> clientTokens(JsonObject security) {
    List<ClientToken> tokens = new ArrayList<>();
    for (JsonObject token : tokenEntries(security.getValue("client_tokens"), "security.client_tokens")) {
      tokens.add(ClientToken.ofHex(token.getString("name"), token.getString("sha256"),
          stringSet(token.getValue("accounts", "*"), token.getString("name")),
          token.getValue("servers") == null ? Set.of() : stringSet(token.getValue("servers"), token.getString("name"))));
    }
    String bootstrap = blankToNull(string(security, "client_token", null));
    if (bootstrap != null) {
      tokens.add(new ClientToken("client", TokenHash.sha256(bootstrap), Set.of(ApiToken.ALL_ACCOUNTS), Set.of()));
    }
    return tokens;
  }

  private static List<JsonObject> tokenEntries(Object value, String setting) {
    if (value == null) return List.of();
    if (value instanceof String text) value = text.isBlank() ? new JsonArray() : new JsonArray(text);
    if (!(value instanceof JsonArray array)) throw new IllegalArgumentException(setting + " must be a list");
    List<JsonObject> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject token)) throw new IllegalArgumentException(setting + " entries must be objects");
      if (!names.add(token.getString("name"))) throw new IllegalArgumentException(setting + ": duplicate name '" + token.getString("name") + "'");
      entries.add(token);
    }
    return entries;
  }

  private static Set<String> stringSet(Object value, String tokenName) {
    Set<String> set = new HashSet<>();
    if (value instanceof String one) set.add(one);
    else if (value instanceof JsonArray many) many.forEach(a -> set.add(String.valueOf(a)));
    else throw new IllegalArgumentException("token '" + tokenName + "': accounts and servers must be a list or a string");
    return set;
  }

  private static StoreSettings.Postgres postgres(JsonObject store, String url) {
    return new StoreSettings.Postgres(url, string(store, "pg_schema", "public"),
        integer(store, "pg_pool_size", 8, 1, 1000), integer(store, "pg_connect_timeout_ms", 5000, 1, 600_000));
  }

  private static List<ApiToken> apiTokens(Object value) {
    List<ApiToken> tokens = new ArrayList<>();
    for (JsonObject token : tokenEntries(value, "security.api_tokens")) {
      tokens.add(ApiToken.ofHex(token.getString("name"), token.getString("sha256"),
          stringSet(token.getValue("accounts", "*"), token.getString("name"))));
    }
    return tokens;
  }

  private static JsonObject section(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) return new JsonObject();
    if (value instanceof JsonObject object) return object;
    throw new IllegalArgumentException("configuration section '" + key + "' must be a mapping");
  }

  private static String string(JsonObject json, String key, String fallback) {
    Object value = json.getValue(key);
    return value == null ? fallback : String.valueOf(value);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static long positiveLong(JsonObject json, String key, long fallback) {
    long value = number(json, key, fallback);
    if (value <= 0) throw new IllegalArgumentException(key + " must be positive");
    return value;
  }

  private static int integer(JsonObject json, String key, int fallback, int min, int max) {
    long value = number(json, key, fallback);
    if (value < min || value > max) throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
    return (int) value;
  }

  private static long number(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) return fallback;
    if (value instanceof Number n) return n.longValue();
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
    }
  }

  private static boolean bool(JsonObject json, String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) return fallback;
    if (value instanceof Boolean b) return b;
    String text = value.toString().trim().toLowerCase();
    if (text.equals("true")) return true;
    if (text.equals("false")) return false;
    throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
  }
}
