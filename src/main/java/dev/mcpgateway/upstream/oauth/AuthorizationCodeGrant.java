package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.model.OAuthConnection;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636 S256) as both flows run it: the
 * URL that sends the browser to the authorization server, what every callback must satisfy, and
 * the token request that redeems the code.
 */
final class AuthorizationCodeGrant {
  private final TokenEndpoint tokens;
  private final Clock clock;

  AuthorizationCodeGrant(TokenEndpoint tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  /** The authorization request: code, S256 challenge, sealed {@code state}, the RFC 8707 {@code resource}, the scope if any. */
  static String authorizationUrl(OAuthConnection registered, String state, String challenge) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", registered.clientId());
    query.put("redirect_uri", registered.redirectUri());
    query.put("code_challenge", challenge);
    query.put("code_challenge_method", "S256");
    query.put("state", state);
    query.put("resource", registered.resource());
    if (registered.scope() != null) query.put("scope", registered.scope());
    String endpoint = registered.authorizationEndpoint();
    StringBuilder url = new StringBuilder(endpoint).append(endpoint.contains("?") ? '&' : '?');
    query.forEach((k, v) -> url.append(OAuthHttp.encode(k)).append('=').append(OAuthHttp.encode(v)).append('&'));
    url.setLength(url.length() - 1);
    return url.toString();
  }

  /**
   * What every callback must satisfy: in time, no error, a code, and the right issuer (RFC 9207).
   * Throws an {@link OAuthException} of kind {@code INVALID_CALLBACK} saying which it is not.
   */
  void check(OAuthConnection.Pending pending, OAuthConnection connection, String code, String iss, String error) {
    if (pending.expiresAt().isBefore(clock.instant())) {
      throw OAuthException.invalidCallback("the authorization took too long and expired; start again");
    }
    if (error != null) {
      String shown = error.matches("[a-z_]{1,64}") ? error : "error";
      throw OAuthException.invalidCallback("the authorization server answered " + shown);
    }
    if (code == null || code.isEmpty()) throw OAuthException.invalidCallback("the callback carries no code");
    if (iss != null ? !AuthorizationServer.sameIssuer(iss, connection.issuer()) : pending.requireIss()) {
      throw OAuthException.invalidCallback("the callback's iss does not name this authorization server (RFC 9207)");
    }
  }

  /** Redeems {@code code} with the PKCE {@code verifier} at the token endpoint. */
  Future<TokenEndpoint.Tokens> redeem(OAuthConnection connection, String clientSecret, String code, String verifier) {
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", "authorization_code");
    grant.put("code", code);
    grant.put("redirect_uri", connection.redirectUri());
    grant.put("code_verifier", verifier);
    return tokens.request(connection, clientSecret, grant);
  }
}
