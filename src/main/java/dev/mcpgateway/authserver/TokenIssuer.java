package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.model.SignInGrant;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.upstream.oauth.Pkce;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the token endpoint hands out for a grant: an access token — a JWT (RFC 9068: {@code typ}
 * {@code at+jwt}; {@code iss} the gateway, {@code sub}, {@code aud} the grant's MCP endpoint,
 * {@code client_id}, {@code scope}, {@code iat}, {@code exp}, {@code jti}, {@code grant_id} (see
 * {@link RevokedGrants}), and the user's e-mail and
 * groups under {@code sign_in.email_claim} / {@code groups_claim}, where the gateway's own verifier
 * reads them) signed by the {@link KeyRing}'s current key — and a refresh token: 32 random bytes,
 * of which only the SHA-256 is kept, as the grant's next credential.
 */
final class TokenIssuer {
  /** A refresh token: its value for the client, its credential for the store. */
  record Refresh(String value, SignInCredential credential) {}

  private final KeyRing keys;
  private final Clock clock;
  private final String issuer;
  private final Duration accessTtl;
  private final Duration refreshTtl;
  private final String emailClaim;
  private final String groupsClaim;

  TokenIssuer(KeyRing keys, Clock clock, String issuer, Duration accessTtl, Duration refreshTtl, String emailClaim, String groupsClaim) {
    this.keys = keys;
    this.clock = clock;
    this.issuer = issuer;
    this.accessTtl = accessTtl;
    this.refreshTtl = refreshTtl;
    this.emailClaim = emailClaim;
    this.groupsClaim = groupsClaim;
  }

  Refresh refresh(String grantId) {
    String value = Pkce.random(32);
    return new Refresh(value, SignInCredential.refresh(TokenHash.sha256Hex(value), grantId,
        clock.instant().plus(refreshTtl).truncatedTo(ChronoUnit.MILLIS)));
  }

  /** The token response (RFC 6749 §5.1) for {@code grant}, with {@code refresh} when one was issued. */
  JsonObject response(SignInGrant grant, Refresh refresh) {
    Instant now = clock.instant();
    JsonObject claims = new JsonObject().put("iss", issuer).put("sub", grant.user().subject()).put("aud", grant.resource())
        .put("client_id", grant.clientId()).put("scope", grant.scope()).put("iat", now.getEpochSecond())
        .put("exp", now.plus(accessTtl).getEpochSecond()).put("jti", Pkce.random(16)).put(RevokedGrants.CLAIM, grant.id());
    if (grant.user().email() != null) claims.put(emailClaim, grant.user().email());
    claims.put(groupsClaim, new JsonArray(grant.user().groups()));
    JsonObject answer = new JsonObject().put("access_token", keys.sign("at+jwt", claims)).put("token_type", "Bearer")
        .put("expires_in", accessTtl.toSeconds()).put("scope", grant.scope());
    if (refresh != null) answer.put("refresh_token", refresh.value());
    return answer;
  }
}
