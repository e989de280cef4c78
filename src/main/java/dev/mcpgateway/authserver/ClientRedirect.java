package dev.mcpgateway.authserver;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The authorization response as a URL on the client's redirect URI (RFC 6749 §4.1.2): the given
 * parameters, the client's {@code state} when it sent one, and {@code iss} (RFC 9207), appended to
 * any query the redirect URI has.
 */
final class ClientRedirect {
  private ClientRedirect() {}

  static String to(String redirectUri, String issuer, String state, String... pairs) {
    StringBuilder url = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) continue;
      url.append(pairs[i]).append('=').append(encode(pairs[i + 1])).append('&');
    }
    if (state != null) url.append("state=").append(encode(state)).append('&');
    return url.append("iss=").append(encode(issuer)).toString();
  }

  static String error(String redirectUri, String issuer, String state, String error, String description) {
    return to(redirectUri, issuer, state, "error", error, "error_description", description);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
