package dev.mcpgateway.config;

import dev.mcpgateway.analytics.AnalyticsSettings;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.security.LimitSettings;
import dev.mcpgateway.store.StoreSettings;
import dev.mcpgateway.upstream.OutboundGuard;
import dev.mcpgateway.upstream.oauth.OAuthSettings;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The sections whose records live beside the code that uses them ({@code store}, {@code outbound},
 * {@code proxy}, {@code limits}, {@code oauth}, {@code analytics}), read here so that those packages know nothing of
 * configuration files. The sections owned by {@code config/} read themselves ({@code XSettings.from}).
 */
final class Sections {
  private Sections() {}

  /** {@code store.data_dir}: the embedded store's files, and the generated secret key and admin-token hash with either store. */
  static Path dataDir(ConfigSection store) {
    return Path.of(store.string("data_dir"));
  }

  static StoreSettings store(ConfigSection store) {
    String pgUrl = store.optionalString("pg_url");
    String kind = store.string("kind");
    return switch (kind) {
      case "embedded" -> new StoreSettings.Embedded(dataDir(store));
      case "postgres" -> {
        if (pgUrl == null) throw new IllegalArgumentException("store.kind is postgres but " + store.describe("pg_url") + " is not set");
        yield postgres(store, pgUrl);
      }
      case "auto" -> pgUrl == null ? new StoreSettings.Embedded(dataDir(store)) : postgres(store, pgUrl);
      default -> throw new IllegalArgumentException(store.describe("kind") + " must be auto, embedded or postgres, not '" + kind + "'");
    };
  }

  private static StoreSettings.Postgres postgres(ConfigSection store, String url) {
    return new StoreSettings.Postgres(url, store.string("pg_schema"), store.integer("pg_pool_size", 1, 1000),
        store.integer("pg_connect_timeout_ms", 1, 600_000));
  }

  static OutboundGuard.Policy outbound(ConfigSection outbound) {
    return new OutboundGuard.Policy(outbound.bool("allow_link_local"), outbound.bool("deny_private"));
  }

  static ProxySettings proxy(ConfigSection proxy, ServerSettings server) {
    String host = server.host().toLowerCase(java.util.Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    return new ProxySettings(proxy.positiveLong("max_body_bytes"), proxy.millis("session_idle_ms"), proxy.millis("session_max_age_ms"),
        proxy.millis("keepalive_ms"), origins(proxy), loopback);
  }

  /** A list (YAML) or a comma-separated string (environment) of origins such as https://app.example. */
  private static Set<String> origins(ConfigSection proxy) {
    Object value = proxy.raw("allowed_origins");
    Set<String> origins = new HashSet<>();
    if (value instanceof JsonArray array) array.forEach(o -> origins.add(String.valueOf(o).trim()));
    else if (value instanceof String text) for (String o : text.split(",")) if (!o.isBlank()) origins.add(o.trim());
    else if (value != null) throw new IllegalArgumentException(proxy.describe("allowed_origins") + " must be a list or a comma-separated string");
    return origins;
  }

  /** Tool-call analytics: retention, flush period, the bound on unflushed counts. */
  static AnalyticsSettings analytics(ConfigSection analytics) {
    return new AnalyticsSettings(analytics.integer("retention_days", 1, 3650), analytics.millis("flush_ms"),
        analytics.integer("max_pending", 1, 100_000_000));
  }

  /** Token buckets; 0 disables a limit. */
  static LimitSettings limits(ConfigSection limits) {
    return new LimitSettings(rate(limits, "client_rps"), rate(limits, "client_burst"), rate(limits, "account_rps"),
        rate(limits, "account_burst"), rate(limits, "auth_failures_per_minute"));
  }

  private static double rate(ConfigSection limits, String key) {
    return limits.decimal(key, 0, Double.MAX_VALUE);
  }

  /** {@code oauth.public_base_url} has no fixed default: unset, it is this gateway on localhost at {@code server.port}. */
  static OAuthSettings oauth(ConfigSection oauth, ServerSettings server) {
    Object configured = oauth.raw("public_base_url");
    String publicBaseUrl = configured != null ? configured.toString()
        : "http://localhost" + (server.port() == 0 ? "" : ":" + server.port());
    String sharedCallbackUrl = oauth.optionalString("shared_callback_url");
    return new OAuthSettings(publicUrl(oauth, "public_base_url", publicBaseUrl),
        sharedCallbackUrl == null ? null : publicUrl(oauth, "shared_callback_url", sharedCallbackUrl),
        oauth.millis("authorization_ttl_ms"), oauth.millis("refresh_ahead_ms"));
  }

  /** An absolute http(s) URL setting (the gateway as browsers reach it). */
  private static String publicUrl(ConfigSection oauth, String key, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getRawQuery() != null) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(oauth.describe(key) + " must be an absolute http(s) URL without a query");
    }
    return value;
  }
}
