package dev.mcpgateway.config;

import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code sign_in}: agents signing in with OAuth (the MCP authorization specification), the gateway
 * being the resource server of an external authorization server — any OIDC provider — whose JWT
 * access tokens it checks against the provider's JWKS. Off while {@code issuer} is unset: agents
 * then present client tokens (and service tokens) only.
 *
 * @param issuer the authorization server's issuer identifier (exactly its tokens' {@code iss})
 * @param jwksUri its JWKS; null: read from its metadata (RFC 8414, then OpenID discovery)
 * @param audiences {@code aud} values accepted besides the endpoint's own URL (RFC 8707's resource):
 *     for IdPs that issue one fixed audience (an Entra app id URI, an Okta API audience)
 * @param scopes scopes every token needs (space-separated {@code scope}, or {@code scp}); missing ones are a 403 step-up
 * @param accounts accounts signed-in users reach ({@code *}: all)
 * @param jwksRefresh how often the keys are read again
 * @param unknownKeyCooldown the least time between reads prompted by a token signed with a key not yet seen
 * @param clockSkew leeway on {@code exp}, {@code nbf} and {@code iat}
 */
public record SignInSettings(String issuer, String jwksUri, Set<String> audiences, List<String> scopes, Set<String> accounts,
    String emailClaim, String groupsClaim, Duration jwksRefresh, Duration unknownKeyCooldown, Duration clockSkew) {

  public boolean enabled() {
    return issuer != null;
  }

  static SignInSettings from(ConfigSection section) {
    String issuer = section.optionalString("issuer");
    String jwksUri = section.optionalString("jwks_uri");
    if (issuer != null) absoluteUrl(section, "issuer", issuer);
    if (jwksUri != null) absoluteUrl(section, "jwks_uri", jwksUri);
    return new SignInSettings(issuer, jwksUri, Set.copyOf(list(section, "audiences")), List.copyOf(list(section, "scopes")),
        Set.copyOf(list(section, "accounts")), section.string("email_claim"), section.string("groups_claim"),
        section.millis("jwks_refresh_ms"), section.millis("unknown_key_cooldown_ms"), section.millis("clock_skew_ms"));
  }

  /** A list (YAML) or a comma-separated string (environment). */
  private static Set<String> list(ConfigSection section, String key) {
    Object value = section.raw(key);
    Set<String> items = new LinkedHashSet<>();
    if (value instanceof JsonArray array) array.forEach(item -> items.add(String.valueOf(item).trim()));
    else if (value != null) for (String item : value.toString().split(",")) items.add(item.trim());
    items.removeIf(String::isEmpty);
    return items;
  }

  private static void absoluteUrl(ConfigSection section, String key, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) throw new IllegalArgumentException();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(section.describe(key) + " must be an absolute http(s) URL");
    }
  }
}
