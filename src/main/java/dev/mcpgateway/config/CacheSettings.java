package dev.mcpgateway.config;

/** {@code cache}: how many servers' capabilities the capability cache keeps in memory. */
public record CacheSettings(long maxServers) {

  public static CacheSettings from(ConfigSection cache) {
    return new CacheSettings(cache.positiveLong("max_servers"));
  }
}
