package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The gateway's OAuth client state for one {@code oauth} server, stored with the server: what
 * discovery found ({@code issuer}, endpoints, the {@code resource} indicator and scope), how the
 * gateway is registered there ({@code authMode} {@code dcr} or {@code manual}, {@code clientId},
 * the token endpoint's client authentication, the redirect URI), and the admin connection itself:
 * tokens sealed as one JSON document, their expiry, and a pending authorization (at most one: a
 * new connect replaces it; the callback consumes it, so a {@code state} works once).
 */
public record OAuthConnection(
    String issuer,
    String authorizationEndpoint,
    String tokenEndpoint,
    String revocationEndpoint,
    String resource,
    String scope,
    String authMode,
    String clientId,
    String tokenEndpointAuthMethod,
    String redirectUri,
    SealedSecret registeredClientSecret,
    SealedSecret tokens,
    Instant expiresAt,
    AuthenticationStatus status,
    String error,
    Pending pending) {

  /**
   * An authorization an admin or a user started: its state nonce, the PKCE verifier (sealed), who,
   * until when, whether {@code iss} must come back, and (a user's) the SHA-256 of the cookie that
   * binds it to the browser that started it.
   */
  public record Pending(String nonce, SealedSecret verifier, String actor, Instant expiresAt, boolean requireIss, String browserBinding) {
    public Pending(String nonce, SealedSecret verifier, String actor, Instant expiresAt, boolean requireIss) {
      this(nonce, verifier, actor, expiresAt, requireIss, null);
    }

    public JsonObject toJson() {
      return new JsonObject().put("nonce", nonce).put("verifier_sealed", verifier.ciphertext()).put("actor", actor)
          .put("expires_at", expiresAt.toString()).put("require_iss", requireIss).put("browser_binding", browserBinding);
    }

    public static Pending fromJson(JsonObject json) {
      return json == null ? null : new Pending(json.getString("nonce"), new SealedSecret(json.getString("verifier_sealed")),
          json.getString("actor"), Instant.parse(json.getString("expires_at")), json.getBoolean("require_iss", false),
          json.getString("browser_binding"));
    }
  }

  public OAuthConnection withPending(Pending value) {
    return new OAuthConnection(issuer, authorizationEndpoint, tokenEndpoint, revocationEndpoint, resource, scope, authMode, clientId,
        tokenEndpointAuthMethod, redirectUri, registeredClientSecret, tokens, expiresAt, status, error, value);
  }

  public OAuthConnection withTokens(SealedSecret value, Instant expiry, AuthenticationStatus newStatus, String newError) {
    return new OAuthConnection(issuer, authorizationEndpoint, tokenEndpoint, revocationEndpoint, resource, scope, authMode, clientId,
        tokenEndpointAuthMethod, redirectUri, registeredClientSecret, value, expiry, newStatus, newError, pending);
  }

  /** The storage form (sealed values as ciphertext only). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", authorizationEndpoint)
        .put("token_endpoint", tokenEndpoint)
        .put("revocation_endpoint", revocationEndpoint)
        .put("resource", resource)
        .put("scope", scope)
        .put("auth_mode", authMode)
        .put("client_id", clientId)
        .put("token_endpoint_auth_method", tokenEndpointAuthMethod)
        .put("redirect_uri", redirectUri)
        .put("client_secret_sealed", registeredClientSecret == null ? null : registeredClientSecret.ciphertext())
        .put("tokens_sealed", tokens == null ? null : tokens.ciphertext())
        .put("expires_at", expiresAt == null ? null : expiresAt.toString())
        .put("status", status.wire())
        .put("error", error)
        .put("pending", pending == null ? null : pending.toJson());
  }

  public static OAuthConnection fromJson(JsonObject json) {
    if (json == null) return null;
    String secret = json.getString("client_secret_sealed");
    String tokens = json.getString("tokens_sealed");
    String expires = json.getString("expires_at");
    return new OAuthConnection(json.getString("issuer"), json.getString("authorization_endpoint"), json.getString("token_endpoint"),
        json.getString("revocation_endpoint"), json.getString("resource"), json.getString("scope"), json.getString("auth_mode"),
        json.getString("client_id"), json.getString("token_endpoint_auth_method"), json.getString("redirect_uri"),
        secret == null ? null : new SealedSecret(secret), tokens == null ? null : new SealedSecret(tokens),
        expires == null ? null : Instant.parse(expires), AuthenticationStatus.fromWire(json.getString("status", "required")),
        json.getString("error"), Pending.fromJson(json.getJsonObject("pending")));
  }

  /** What the API shows ({@code auth_config_summary}): never a secret, never a token. */
  public JsonObject summary(boolean hasClientSecret) {
    JsonObject config = new JsonObject().put("issuer", issuer).put("authorization_endpoint", authorizationEndpoint)
        .put("token_endpoint", tokenEndpoint).put("resource", resource);
    if (revocationEndpoint != null) config.put("revocation_endpoint", revocationEndpoint);
    JsonObject registration = new JsonObject().put("client_id", clientId)
        .put("redirect_uris", redirectUri == null ? new io.vertx.core.json.JsonArray() : new io.vertx.core.json.JsonArray().add(redirectUri))
        .put("token_endpoint_auth_method", tokenEndpointAuthMethod);
    if (scope != null) registration.put("scope", scope);
    return new JsonObject().put("auth_mode", authMode).put("has_client_secret", hasClientSecret).put("config", config)
        .put("registration_info", registration);
  }

  @Override
  public String toString() {
    return "OAuthConnection[issuer=" + issuer + ", clientId=" + clientId + ", status=" + status + "]";
  }
}
