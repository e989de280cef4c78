package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a user approved at the built-in authorization server's consent page: one client's access,
 * as that user, to one MCP endpoint ({@code resource}) with {@code scope}. The family of the
 * authorization code and every refresh token issued from it ({@link SignInCredential}): revoked as
 * a whole when any of them is replayed or revoked. Kept until {@code expiresAt}, its newest
 * credential's expiry.
 */
public record SignInGrant(String id, String clientId, SignedInUser user, String resource, String scope, Instant createdAt,
    Instant expiresAt, Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  public SignInGrant revokedAt(Instant when) {
    return revokedAt != null ? this : new SignInGrant(id, clientId, user, resource, scope, createdAt, expiresAt, when);
  }

  /** Kept at least until {@code until}. */
  public SignInGrant keptUntil(Instant until) {
    return until.isAfter(expiresAt) ? new SignInGrant(id, clientId, user, resource, scope, createdAt, until, revokedAt) : this;
  }

  public JsonObject toJson() {
    return new JsonObject().put("grant_id", id).put("client_id", clientId).put("user", user.toJson()).put("resource", resource)
        .put("scope", scope).put("created_at", createdAt.toString()).put("expires_at", expiresAt.toString())
        .put("revoked_at", revokedAt == null ? null : revokedAt.toString());
  }

  public static SignInGrant fromJson(JsonObject json) {
    String revoked = json.getString("revoked_at");
    return new SignInGrant(json.getString("grant_id"), json.getString("client_id"), SignedInUser.fromJson(json.getJsonObject("user")),
        json.getString("resource"), json.getString("scope"), Instant.parse(json.getString("created_at")),
        Instant.parse(json.getString("expires_at")), revoked == null ? null : Instant.parse(revoked));
  }

  @Override
  public String toString() {
    return "SignInGrant[" + id + ", client " + clientId + ", " + user + ", " + resource + (revokedAt != null ? ", revoked" : "") + "]";
  }
}
