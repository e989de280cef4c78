package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One single-use credential of a {@link SignInGrant}: an authorization code or a refresh token,
 * known only by the SHA-256 hex of its value (the value itself is handed to the client once and
 * stored nowhere). Used once ({@code usedAt} set) it stays until it expires, so that a second use —
 * a replay — is recognised and revokes its grant. A code also carries what the token request must
 * match: the redirect URI and the PKCE S256 challenge.
 */
public record SignInCredential(String hash, Kind kind, String grantId, Instant expiresAt, Instant usedAt, String redirectUri,
    String codeChallenge) {

  public enum Kind {
    CODE, REFRESH;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  public static SignInCredential code(String hash, String grantId, Instant expiresAt, String redirectUri, String codeChallenge) {
    return new SignInCredential(hash, Kind.CODE, grantId, expiresAt, null, redirectUri, codeChallenge);
  }

  public static SignInCredential refresh(String hash, String grantId, Instant expiresAt) {
    return new SignInCredential(hash, Kind.REFRESH, grantId, expiresAt, null, null, null);
  }

  public SignInCredential usedAt(Instant when) {
    return new SignInCredential(hash, kind, grantId, expiresAt, when, redirectUri, codeChallenge);
  }

  public JsonObject toJson() {
    return new JsonObject().put("hash", hash).put("kind", kind.wire()).put("grant_id", grantId).put("expires_at", expiresAt.toString())
        .put("used_at", usedAt == null ? null : usedAt.toString()).put("redirect_uri", redirectUri).put("code_challenge", codeChallenge);
  }

  public static SignInCredential fromJson(JsonObject json) {
    String used = json.getString("used_at");
    return new SignInCredential(json.getString("hash"), Kind.fromWire(json.getString("kind")), json.getString("grant_id"),
        Instant.parse(json.getString("expires_at")), used == null ? null : Instant.parse(used), json.getString("redirect_uri"),
        json.getString("code_challenge"));
  }

  @Override
  public String toString() {
    return "SignInCredential[" + kind.wire() + " of grant " + grantId + (usedAt != null ? ", used" : "") + "]";
  }
}
