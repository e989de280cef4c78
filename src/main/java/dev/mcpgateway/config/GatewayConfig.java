package dev.mcpgateway.config;

import dev.mcpgateway.analytics.AnalyticsSettings;
import dev.mcpgateway.mcp.McpClientOptions;
import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.security.LimitSettings;
import dev.mcpgateway.store.StoreSettings;
import dev.mcpgateway.upstream.OutboundGuard;
import dev.mcpgateway.upstream.oauth.OAuthSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Typed gateway configuration: one record per section of {@code conf/gateway.yaml}, read from the
 * packaged defaults overlaid by an operator's file and the environment (see {@link ConfigLoader}).
 * Invalid settings fail at start with a message naming the setting and its variable. Every default
 * is in the YAML; nothing here has a fallback.
 */
public record GatewayConfig(
    ServerSettings server,
    StoreSettings store,
    Path dataDir,
    SecuritySettings security,
    OutboundGuard.Policy outbound,
    UpstreamSettings upstream,
    SyncSettings sync,
    ProxySettings proxy,
    CacheSettings cache,
    MetricsSettings metrics,
    LoggingSettings logging,
    LimitSettings limits,
    OAuthSettings oauth,
    CodeModeSettings codeMode,
    SignInSettings signIn,
    AnalyticsSettings analytics) {

  /** The gateway's MCP client: the {@code upstream} section, with the {@code sync} section's page limit. */
  public McpClientOptions clientOptions() {
    return upstream.clientOptions(sync.maxPages());
  }

  @Override
  public String toString() {
    return "GatewayConfig[host=" + server.host() + ", port=" + server.port() + ", store=" + store + ", dataDir=" + dataDir
        + ", apiTokens=" + security.apiTokens().size() + ", clientTokens=" + security.clientTokens().size()
        + ", metricsPort=" + metrics.port() + "]";
  }

  /**
   * {@code settings} (any subset of the sections and keys, as the YAML nests them) laid over the
   * packaged defaults. The first call reads the defaults from the classpath.
   */
  public static GatewayConfig fromJson(JsonObject settings) {
    return from(ConfigDefaults.overlay(ConfigDefaults.yaml(), settings));
  }

  /** A complete configuration: every key present, as in the packaged defaults. */
  static GatewayConfig from(JsonObject complete) {
    ServerSettings server = ServerSettings.from(ConfigSection.of(complete, "server"));
    ConfigSection store = ConfigSection.of(complete, "store");
    OAuthSettings oauth = Sections.oauth(ConfigSection.of(complete, "oauth"), server);
    return new GatewayConfig(
        server,
        Sections.store(store),
        Sections.dataDir(store),
        SecuritySettings.from(ConfigSection.of(complete, "security")),
        Sections.outbound(ConfigSection.of(complete, "outbound")),
        UpstreamSettings.from(ConfigSection.of(complete, "upstream")),
        SyncSettings.from(ConfigSection.of(complete, "sync")),
        Sections.proxy(ConfigSection.of(complete, "proxy"), server),
        CacheSettings.from(ConfigSection.of(complete, "cache")),
        MetricsSettings.from(ConfigSection.of(complete, "metrics")),
        LoggingSettings.from(ConfigSection.of(complete, "logging")),
        Sections.limits(ConfigSection.of(complete, "limits")),
        oauth,
        CodeModeSettings.from(ConfigSection.of(complete, "code_mode")),
        SignInSettings.from(ConfigSection.of(complete, "sign_in"), oauth.publicBaseUrl()),
        Sections.analytics(ConfigSection.of(complete, "analytics")));
  }
}
