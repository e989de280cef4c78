package dev.mcpgateway.upstream.oauth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What the gateway uses of an authorization server's metadata (RFC 8414 / OpenID Connect Discovery). */
public record AuthorizationServer(
    String issuer,
    String authorizationEndpoint,
    String tokenEndpoint,
    String registrationEndpoint,
    String revocationEndpoint,
    List<String> codeChallengeMethods,
    List<String> grantTypes,
    List<String> tokenEndpointAuthMethods,
    boolean issParameterSupported) {

  static AuthorizationServer fromJson(JsonObject json) {
    return new AuthorizationServer(json.getString("issuer"), json.getString("authorization_endpoint"),
        json.getString("token_endpoint"), json.getString("registration_endpoint"), json.getString("revocation_endpoint"),
        strings(json.getValue("code_challenge_methods_supported")), strings(json.getValue("grant_types_supported")),
        strings(json.getValue("token_endpoint_auth_methods_supported")),
        Boolean.TRUE.equals(json.getValue("authorization_response_iss_parameter_supported")));
  }

  /** PKCE with S256: the MCP authorization spec forbids going on without it (absent means unsupported). */
  public boolean supportsS256() {
    return codeChallengeMethods.contains("S256");
  }

  /** RFC 8414 §2: absent grant_types_supported means authorization_code and implicit. */
  public boolean supportsGrant(String grant) {
    return grantTypes.isEmpty() ? grant.equals("authorization_code") : grantTypes.contains(grant);
  }

  /** The client authentication the gateway uses with a secret: Basic when offered (the RFC 8414 default), else POST. */
  public String secretAuthMethod() {
    if (tokenEndpointAuthMethods.isEmpty() || tokenEndpointAuthMethods.contains("client_secret_basic")) return "client_secret_basic";
    if (tokenEndpointAuthMethods.contains("client_secret_post")) return "client_secret_post";
    return "client_secret_basic";
  }

  /** Issuer identifiers compare equal ignoring one trailing slash (some servers publish it, some do not). */
  static boolean sameIssuer(String a, String b) {
    return a != null && b != null && strip(a).equals(strip(b));
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof JsonArray array)) return List.of();
    return array.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }
}
