package dev.mcpgateway.upstream.oauth;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What an admin may configure for an {@code oauth} server in {@code auth_credentials} (a JSON
 * object as a string, all fields optional): a pre-registered client ({@code client_id}, {@code
 * client_secret}: the "manual" mode, used before dynamic registration), the {@code scope} to ask
 * for instead of the discovered one, and {@code grant_type} {@code client_credentials} for
 * machine-to-machine upstreams (needs {@code client_id} and {@code client_secret}; no admin
 * connection then: the gateway gets its own tokens).
 */
public record OAuthClientConfig(String clientId, String clientSecret, String scope, String grantType) {
  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String CLIENT_CREDENTIALS = "client_credentials";

  public boolean manual() {
    return clientId != null;
  }

  public boolean clientCredentials() {
    return CLIENT_CREDENTIALS.equals(grantType);
  }

  public static OAuthClientConfig none() {
    return new OAuthClientConfig(null, null, null, AUTHORIZATION_CODE);
  }

  /** Parses validated plaintext; the validation itself is {@link #problem(String)}. */
  public static OAuthClientConfig parse(String plaintext) {
    if (plaintext == null) return none();
    JsonObject json = new JsonObject(plaintext);
    return new OAuthClientConfig(json.getString("client_id"), json.getString("client_secret"), json.getString("scope"),
        json.getString("grant_type", AUTHORIZATION_CODE));
  }

  /** What is wrong with {@code auth_credentials} for an oauth server, worded without echoing any value; empty when fine. */
  public static Optional<String> problem(String text) {
    JsonObject json;
    try {
      Object value = io.vertx.core.json.Json.decodeValue(text);
      if (!(value instanceof JsonObject object)) return Optional.of("for an oauth server, auth_credentials must be a JSON object as a string");
      json = object;
    } catch (RuntimeException e) {
      return Optional.of("for an oauth server, auth_credentials must be a JSON object as a string");
    }
    for (String key : json.fieldNames()) {
      if (!java.util.Set.of("client_id", "client_secret", "scope", "grant_type").contains(key)) {
        return Optional.of("auth_credentials for an oauth server may hold only client_id, client_secret, scope and grant_type");
      }
      Object value = json.getValue(key);
      if (!(value instanceof String s) || s.isEmpty() || s.length() > 2048 || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        return Optional.of("auth_credentials." + key + " must be a non-empty string of visible ASCII, at most 2048 characters");
      }
    }
    String grant = json.getString("grant_type", AUTHORIZATION_CODE);
    if (!grant.equals(AUTHORIZATION_CODE) && !grant.equals(CLIENT_CREDENTIALS)) {
      return Optional.of("auth_credentials.grant_type must be authorization_code or client_credentials");
    }
    if (json.containsKey("client_secret") && !json.containsKey("client_id")) {
      return Optional.of("auth_credentials.client_secret needs client_id");
    }
    if (grant.equals(CLIENT_CREDENTIALS) && (!json.containsKey("client_id") || !json.containsKey("client_secret"))) {
      return Optional.of("the client_credentials grant needs client_id and client_secret");
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "OAuthClientConfig[clientId=" + clientId + ", grant=" + grantType + "]";
  }
}
