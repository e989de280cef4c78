package dev.mcpgateway.config;

import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code sign_in}: agents signing in with OAuth (the MCP authorization specification). In
 * {@code external} mode the gateway is the resource server of an external authorization server —
 * any OIDC provider — whose JWT access tokens it checks against the provider's JWKS; off while
 * {@code issuer} is unset (agents then present client tokens and service tokens only). In
 * {@code builtin} mode the gateway is the authorization server itself ({@link #authServer()}), its
 * issuer {@code oauth.public_base_url}, and checks its own tokens.
 *
 * @param issuer the authorization server's issuer identifier (exactly its tokens' {@code iss}): the
 *     configured one, or in builtin mode the gateway's public base URL
 * @param jwksUri its JWKS; null: read from its metadata (RFC 8414, then OpenID discovery) — or, in builtin mode, from the store
 * @param audiences {@code aud} values accepted besides the endpoint's own URL (RFC 8707's resource):
 *     for IdPs that issue one fixed audience (an Entra app id URI, an Okta API audience)
 * @param scopes scopes every token needs (space-separated {@code scope}, or {@code scp}); missing ones are a 403 step-up
 * @param accounts accounts signed-in users reach ({@code *}: all)
 * @param jwksRefresh how often the keys are read again
 * @param unknownKeyCooldown the least time between reads prompted by a token signed with a key not yet seen
 * @param clockSkew leeway on {@code exp}, {@code nbf} and {@code iat}
 * @param authServer the built-in authorization server's settings (read in both modes, used in builtin)
 */
public record SignInSettings(Mode mode, String issuer, String jwksUri, Set<String> audiences, List<String> scopes, Set<String> accounts,
    String emailClaim, String groupsClaim, Duration jwksRefresh, Duration unknownKeyCooldown, Duration clockSkew,
    AuthServerSettings authServer) {

  public enum Mode { EXTERNAL, BUILTIN }

  public boolean enabled() {
    return issuer != null;
  }

  /** Whether the gateway is the authorization server. */
  public boolean builtIn() {
    return mode == Mode.BUILTIN;
  }

  /** {@code publicBaseUrl}: {@code oauth.public_base_url}, the built-in authorization server's issuer. */
  static SignInSettings from(ConfigSection section, String publicBaseUrl) {
    Mode mode = switch (section.string("mode").trim().toLowerCase(Locale.ROOT)) {
      case "external" -> Mode.EXTERNAL;
      case "builtin" -> Mode.BUILTIN;
      default -> throw new IllegalArgumentException(section.describe("mode") + " must be external or builtin, not '" + section.string("mode") + "'");
    };
    String issuer = section.optionalString("issuer");
    String jwksUri = section.optionalString("jwks_uri");
    if (issuer != null) absoluteUrl(section, "issuer", issuer);
    if (jwksUri != null) absoluteUrl(section, "jwks_uri", jwksUri);
    AuthServerSettings authServer = AuthServerSettings.from(section);
    if (mode == Mode.BUILTIN) {
      if (issuer != null || jwksUri != null) {
        throw new IllegalArgumentException(section.describe("issuer") + " and " + section.describe("jwks_uri")
            + " name an external authorization server: leave them unset with " + section.describe("mode") + " builtin (its issuer is oauth.public_base_url)");
      }
      if (authServer.idp() == null && authServer.localUsers().isEmpty()) {
        throw new IllegalArgumentException(section.describe("mode") + " builtin needs sign_in.idp.issuer (GATEWAY_SIGN_IN_IDP_ISSUER) or "
            + section.describe("local_users") + " to log users in with");
      }
      issuer = publicBaseUrl.replaceAll("/+$", "");
    }
    return new SignInSettings(mode, issuer, jwksUri, Set.copyOf(list(section, "audiences")), List.copyOf(list(section, "scopes")),
        Set.copyOf(list(section, "accounts")), section.string("email_claim"), section.string("groups_claim"),
        section.millis("jwks_refresh_ms"), section.millis("unknown_key_cooldown_ms"), section.millis("clock_skew_ms"), authServer);
  }

  /** A list (YAML) or a comma-separated string (environment). */
  static Set<String> list(ConfigSection section, String key) {
    Object value = section.raw(key);
    Set<String> items = new LinkedHashSet<>();
    if (value instanceof JsonArray array) array.forEach(item -> items.add(String.valueOf(item).trim()));
    else if (value != null) for (String item : value.toString().split(",")) items.add(item.trim());
    items.removeIf(String::isEmpty);
    return items;
  }

  static void absoluteUrl(ConfigSection section, String key, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) throw new IllegalArgumentException();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(section.describe(key) + " must be an absolute http(s) URL");
    }
  }
}
