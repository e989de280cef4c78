package dev.mcpgateway.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A client registered with the built-in authorization server (RFC 7591): its id, the SHA-256 of
 * its secret (confidential clients only — the secret itself is shown once, at registration, and
 * kept nowhere), how it authenticates at the token endpoint ({@code none},
 * {@code client_secret_post}, {@code client_secret_basic}), its exact redirect URIs, name and grant
 * types.
 */
public record SignInClient(String id, String secretSha256, String authMethod, List<String> redirectUris, String name,
    List<String> grantTypes, Instant createdAt) {
  public static final String PUBLIC = "none";

  public SignInClient {
    redirectUris = List.copyOf(redirectUris);
    grantTypes = List.copyOf(grantTypes);
  }

  public boolean isPublic() {
    return PUBLIC.equals(authMethod);
  }

  public boolean mayRefresh() {
    return grantTypes.contains("refresh_token");
  }

  public JsonObject toJson() {
    return new JsonObject().put("client_id", id).put("client_secret_sha256", secretSha256).put("token_endpoint_auth_method", authMethod)
        .put("redirect_uris", new JsonArray(redirectUris)).put("client_name", name).put("grant_types", new JsonArray(grantTypes))
        .put("created_at", createdAt.toString());
  }

  public static SignInClient fromJson(JsonObject json) {
    return new SignInClient(json.getString("client_id"), json.getString("client_secret_sha256"), json.getString("token_endpoint_auth_method"),
        strings(json.getJsonArray("redirect_uris")), json.getString("client_name"), strings(json.getJsonArray("grant_types")),
        Instant.parse(json.getString("created_at")));
  }

  static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  @Override
  public String toString() {
    return "SignInClient[" + id + ", " + authMethod + ", " + redirectUris + "]";
  }
}
