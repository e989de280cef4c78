package dev.mcpgateway.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the configuration: the packaged defaults ({@link ConfigDefaults}), overlaid by the YAML
 * file ({@code GATEWAY_CONFIG}, default {@code conf/gateway.yaml}, found on the classpath when
 * absent from disk) and then by the environment variables in {@link #ENVIRONMENT}, which name the
 * YAML path they override. The file and the environment are read with Vert.x Config.
 */
public final class ConfigLoader {
  public static final String CONFIG_PATH_VARIABLE = "GATEWAY_CONFIG";
  public static final String DEFAULT_PATH = "conf/gateway.yaml";

  /**
   * Environment variable → dotted YAML path, one per setting of {@code conf/gateway.yaml}. Part of
   * the product's interface: the README's configuration table lists them (ConfigAgreementTest).
   */
  public static final Map<String, String> ENVIRONMENT = environment();

  private ConfigLoader() {}

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GATEWAY_HOST", "server.host");
    env.put("GATEWAY_PORT", "server.port");
    env.put("GATEWAY_MAX_BODY_BYTES", "server.max_body_bytes");
    env.put("GATEWAY_PUBLIC_URL", "oauth.public_base_url");
    env.put("GATEWAY_OAUTH_SHARED_CALLBACK_URL", "oauth.shared_callback_url");
    env.put("GATEWAY_OAUTH_AUTHORIZATION_TTL_MS", "oauth.authorization_ttl_ms");
    env.put("GATEWAY_OAUTH_REFRESH_AHEAD_MS", "oauth.refresh_ahead_ms");
    env.put("GATEWAY_MAX_INITIAL_LINE_BYTES", "server.max_initial_line_bytes");
    env.put("GATEWAY_MAX_HEADER_BYTES", "server.max_header_bytes");
    env.put("GATEWAY_REQUEST_TIMEOUT_MS", "server.request_timeout_ms");
    env.put("GATEWAY_SHUTDOWN_GRACE_MS", "server.shutdown_grace_ms");
    env.put("GATEWAY_CONSOLE_PATH", "server.console_path");
    env.put("GATEWAY_STORE", "store.kind");
    env.put("GATEWAY_DATA_DIR", "store.data_dir");
    env.put("PG_URL", "store.pg_url");
    env.put("GATEWAY_PG_SCHEMA", "store.pg_schema");
    env.put("GATEWAY_PG_POOL_SIZE", "store.pg_pool_size");
    env.put("GATEWAY_PG_CONNECT_TIMEOUT_MS", "store.pg_connect_timeout_ms");
    env.put("GATEWAY_SECRET_KEY", "security.secret_key");
    env.put("GATEWAY_ADMIN_TOKEN", "security.admin_token");
    env.put("GATEWAY_API_TOKENS", "security.api_tokens");
    env.put("GATEWAY_CLIENT_TOKEN", "security.client_token");
    env.put("GATEWAY_CLIENT_TOKENS", "security.client_tokens");
    env.put("GATEWAY_PROXY_MAX_BODY_BYTES", "proxy.max_body_bytes");
    env.put("GATEWAY_SESSION_IDLE_MS", "proxy.session_idle_ms");
    env.put("GATEWAY_SESSION_MAX_AGE_MS", "proxy.session_max_age_ms");
    env.put("GATEWAY_SSE_KEEPALIVE_MS", "proxy.keepalive_ms");
    env.put("GATEWAY_ALLOWED_ORIGINS", "proxy.allowed_origins");
    env.put("GATEWAY_ALLOW_LINK_LOCAL", "outbound.allow_link_local");
    env.put("GATEWAY_DENY_PRIVATE_UPSTREAMS", "outbound.deny_private");
    env.put("GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS", "upstream.connect_timeout_ms");
    env.put("GATEWAY_UPSTREAM_IDLE_TIMEOUT_MS", "upstream.idle_timeout_ms");
    env.put("GATEWAY_UPSTREAM_REQUEST_TIMEOUT_MS", "upstream.request_timeout_ms");
    env.put("GATEWAY_UPSTREAM_MAX_RESPONSE_BYTES", "upstream.max_response_bytes");
    env.put("GATEWAY_UPSTREAM_MAX_CONNECTIONS", "upstream.max_connections");
    env.put("GATEWAY_UPSTREAM_BREAKER_FAILURES", "upstream.breaker_failures");
    env.put("GATEWAY_UPSTREAM_BREAKER_RESET_MS", "upstream.breaker_reset_ms");
    env.put("GATEWAY_SYNC_INTERVAL_MS", "sync.interval_ms");
    env.put("GATEWAY_SYNC_JITTER", "sync.jitter");
    env.put("GATEWAY_SYNC_RETRY_BASE_MS", "sync.retry_base_ms");
    env.put("GATEWAY_SYNC_SWEEP_MS", "sync.sweep_ms");
    env.put("GATEWAY_SYNC_CONCURRENCY", "sync.concurrency");
    env.put("GATEWAY_SYNC_MAX_PAGES", "sync.max_pages");
    env.put("GATEWAY_SYNC_ON_CREATE", "sync.on_create");
    env.put("GATEWAY_CACHE_MAX_SERVERS", "cache.max_servers");
    env.put("GATEWAY_SIGN_IN_MODE", "sign_in.mode");
    env.put("GATEWAY_SIGN_IN_ISSUER", "sign_in.issuer");
    env.put("GATEWAY_SIGN_IN_JWKS_URI", "sign_in.jwks_uri");
    env.put("GATEWAY_SIGN_IN_AUDIENCES", "sign_in.audiences");
    env.put("GATEWAY_SIGN_IN_SCOPES", "sign_in.scopes");
    env.put("GATEWAY_SIGN_IN_ACCOUNTS", "sign_in.accounts");
    env.put("GATEWAY_SIGN_IN_EMAIL_CLAIM", "sign_in.email_claim");
    env.put("GATEWAY_SIGN_IN_GROUPS_CLAIM", "sign_in.groups_claim");
    env.put("GATEWAY_SIGN_IN_JWKS_REFRESH_MS", "sign_in.jwks_refresh_ms");
    env.put("GATEWAY_SIGN_IN_UNKNOWN_KEY_COOLDOWN_MS", "sign_in.unknown_key_cooldown_ms");
    env.put("GATEWAY_SIGN_IN_CLOCK_SKEW_MS", "sign_in.clock_skew_ms");
    env.put("GATEWAY_SIGN_IN_IDP_ISSUER", "sign_in.idp.issuer");
    env.put("GATEWAY_SIGN_IN_IDP_CLIENT_ID", "sign_in.idp.client_id");
    env.put("GATEWAY_SIGN_IN_IDP_CLIENT_SECRET", "sign_in.idp.client_secret");
    env.put("GATEWAY_SIGN_IN_IDP_SCOPES", "sign_in.idp.scopes");
    env.put("GATEWAY_SIGN_IN_ACCESS_TOKEN_TTL_MS", "sign_in.access_token_ttl_ms");
    env.put("GATEWAY_SIGN_IN_REFRESH_TOKEN_TTL_MS", "sign_in.refresh_token_ttl_ms");
    env.put("GATEWAY_SIGN_IN_SESSION_MAX_AGE_MS", "sign_in.session_max_age_ms");
    env.put("GATEWAY_SIGN_IN_MAX_CLIENTS", "sign_in.max_clients");
    env.put("GATEWAY_SIGN_IN_SIGNING_KEY_ROTATION_MS", "sign_in.signing_key_rotation_ms");
    env.put("GATEWAY_SIGN_IN_REDIRECT_URIS", "sign_in.redirect_uris");
    env.put("GATEWAY_SIGN_IN_LOCAL_USERS", "sign_in.local_users");
    env.put("GATEWAY_METRICS_TOKEN", "metrics.token");
    env.put("GATEWAY_METRICS_PORT", "metrics.port");
    env.put("GATEWAY_CONTEXT_TOKEN_BUDGET", "metrics.context_token_budget");
    env.put("GATEWAY_ANALYTICS_RETENTION_DAYS", "analytics.retention_days");
    env.put("GATEWAY_ANALYTICS_FLUSH_MS", "analytics.flush_ms");
    env.put("GATEWAY_ANALYTICS_MAX_PENDING", "analytics.max_pending");
    env.put("GATEWAY_CODE_MODE_SANDBOXES", "code_mode.sandboxes");
    env.put("GATEWAY_CODE_MODE_MAX_QUEUED", "code_mode.max_queued");
    env.put("GATEWAY_CODE_MODE_TIMEOUT_MS", "code_mode.timeout_ms");
    env.put("GATEWAY_CODE_MODE_CPU_MS", "code_mode.cpu_ms");
    env.put("GATEWAY_CODE_MODE_MAX_STATEMENTS", "code_mode.max_statements");
    env.put("GATEWAY_CODE_MODE_MAX_ALLOCATED_MB", "code_mode.max_allocated_mb");
    env.put("GATEWAY_CODE_MODE_HEAP_MB", "code_mode.heap_mb");
    env.put("GATEWAY_CODE_MODE_MAX_TOOL_CALLS", "code_mode.max_tool_calls");
    env.put("GATEWAY_CODE_MODE_MAX_OUTPUT_CHARS", "code_mode.max_output_chars");
    env.put("GATEWAY_CODE_MODE_MAX_STRING_CHARS", "code_mode.max_string_chars");
    env.put("GATEWAY_CODE_MODE_MAX_TYPED_ARRAY_LENGTH", "code_mode.max_typed_array_length");
    env.put("GATEWAY_CLIENT_RPS", "limits.client_rps");
    env.put("GATEWAY_CLIENT_BURST", "limits.client_burst");
    env.put("GATEWAY_ACCOUNT_RPS", "limits.account_rps");
    env.put("GATEWAY_ACCOUNT_BURST", "limits.account_burst");
    env.put("GATEWAY_AUTH_FAILURES_PER_MINUTE", "limits.auth_failures_per_minute");
    env.put("GATEWAY_LOG_LEVEL", "logging.level");
    env.put("GATEWAY_LOG_FORMAT", "logging.format");
    env.put("GATEWAY_ACCESS_LOG", "logging.access");
    return Map.copyOf(env);
  }

  public static Future<GatewayConfig> load(Vertx vertx) {
    String path = System.getenv().getOrDefault(CONFIG_PATH_VARIABLE, DEFAULT_PATH);
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
    ConfigStoreOptions env = new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", new JsonArray(ENVIRONMENT.keySet().stream().toList())));
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml).addStore(env));
    // the defaults are read from the jar once, off the event loop; fromJson lays the rest over them
    return vertx.executeBlocking(ConfigDefaults::yaml)
        .compose(defaults -> retriever.getConfig())
        .eventually(retriever::close)
        .map(ConfigLoader::applyEnvironment)
        .map(GatewayConfig::fromJson);
  }

  /**
   * Moves the flat environment keys the retriever merged at top level onto the YAML paths they
   * override; an empty variable counts as unset.
   */
  public static JsonObject applyEnvironment(JsonObject merged) {
    JsonObject result = merged.copy();
    ENVIRONMENT.forEach((variable, path) -> {
      Object value = result.remove(variable);
      if (value == null || value.toString().isEmpty()) return;
      // a dotted path: its sections (sign_in, sign_in.idp), made where missing, then the key
      String[] parts = path.split("\\.");
      JsonObject section = result;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonObject inner = section.getJsonObject(parts[i]);
        if (inner == null) {
          inner = new JsonObject();
          section.put(parts[i], inner);
        }
        section = inner;
      }
      section.put(parts[parts.length - 1], value);
    });
    return result;
  }
}
