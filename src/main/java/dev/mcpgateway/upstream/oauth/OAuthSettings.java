package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.McpServer;
import java.time.Duration;

/**
 * Where authorization servers send the admin's browser back to, and how long an authorization may
 * take. {@code publicBaseUrl} is this gateway as browsers reach it; {@code sharedCallbackUrl} is
 * the one callback URL shared by every gateway (servers with {@code is_shared_oauth_callback_enabled});
 * both lead to {@code GET /oauth/callback}.
 */
public record OAuthSettings(String publicBaseUrl, String sharedCallbackUrl, Duration authorizationTtl, Duration refreshAhead) {
  public static final String CALLBACK_PATH = "/oauth/callback";

  public String redirectUri(McpServer server) {
    if (server.sharedOauthCallbackEnabled() && sharedCallbackUrl != null) return sharedCallbackUrl;
    return strip(publicBaseUrl) + CALLBACK_PATH;
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
