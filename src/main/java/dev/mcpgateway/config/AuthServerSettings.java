package dev.mcpgateway.config;

import dev.mcpgateway.security.PasswordHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code sign_in} in {@code builtin} mode: the gateway as the OAuth authorization server its MCP
 * clients register with and sign in at, delegating the login itself to an upstream OpenID Connect
 * provider ({@code idp}) or, for a first run without one, to a few configured {@code local_users}.
 *
 * @param idp the upstream provider; null when {@code sign_in.idp.issuer} is unset
 * @param localUsers bootstrap users with a password hash, used only when there is no {@code idp}
 * @param redirectUris patterns clients may register as redirect URIs, besides loopback ones
 * @param accessTokenTtl lifetime of an access token
 * @param refreshTokenTtl lifetime of a refresh token (each rotation starts a new one)
 * @param signingKeyRotation how long a signing key signs before a new one takes over
 * @param sessionMaxAge how long after the login a grant's refresh tokens work at all: then the user
 *     signs in at the IdP again, so that leaving the company or a group there takes effect
 * @param maxClients registered clients beyond which registration answers 503 (open registration's bound)
 */
public record AuthServerSettings(Idp idp, List<LocalUser> localUsers, List<String> redirectUris, Duration accessTokenTtl,
    Duration refreshTokenTtl, Duration signingKeyRotation, Duration sessionMaxAge, int maxClients) {

  /** The upstream provider: the gateway is its client (a confidential one when {@code clientSecret} is set). */
  public record Idp(String issuer, String clientId, String clientSecret, String scopes) {
    @Override
    public String toString() {
      return "Idp[" + issuer + ", client " + clientId + ", secret " + (clientSecret == null ? "none" : "set") + ", scopes " + scopes + "]";
    }
  }

  /** A bootstrap user: a name (the token's {@code sub}), the password's hash, e-mail and groups for access policies. */
  public record LocalUser(String name, PasswordHash password, String email, Set<String> groups) {
    public LocalUser {
      groups = Set.copyOf(groups);
    }
  }

  static AuthServerSettings from(ConfigSection signIn) {
    ConfigSection idp = signIn.section("idp");
    String issuer = idp.optionalString("issuer");
    Idp upstream = null;
    if (issuer != null) {
      SignInSettings.absoluteUrl(idp, "issuer", issuer);
      String clientId = idp.optionalString("client_id");
      if (clientId == null) throw new IllegalArgumentException(idp.describe("client_id") + " is needed with " + idp.describe("issuer"));
      upstream = new Idp(issuer, clientId, idp.optionalString("client_secret"), idp.string("scopes").trim());
    }
    List<String> redirectUris = List.copyOf(SignInSettings.list(signIn, "redirect_uris"));
    for (String pattern : redirectUris) {
      if (!pattern.matches("[A-Za-z][A-Za-z0-9+.-]*:[^#\\s]+")) {
        throw new IllegalArgumentException(signIn.describe("redirect_uris") + ": '" + pattern + "' is not an absolute URI without a fragment");
      }
    }
    return new AuthServerSettings(upstream, localUsers(signIn), redirectUris, signIn.millis("access_token_ttl_ms"),
        signIn.millis("refresh_token_ttl_ms"), signIn.millis("signing_key_rotation_ms"), signIn.millis("session_max_age_ms"),
        signIn.integer("max_clients", 1, 10_000_000));
  }

  /** A list (YAML) or a JSON array in a string (environment) of {@code {name, password_hash, email, groups}}. */
  private static List<LocalUser> localUsers(ConfigSection signIn) {
    Object value = signIn.raw("local_users");
    String setting = signIn.describe("local_users");
    if (value instanceof String text) value = text.isBlank() ? new JsonArray() : new JsonArray(text);
    if (value == null) return List.of();
    if (!(value instanceof JsonArray array)) throw new IllegalArgumentException(setting + " must be a list");
    List<LocalUser> users = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject user) || !(user.getValue("name") instanceof String name) || name.isBlank()) {
        throw new IllegalArgumentException(setting + " entries must be objects with a name");
      }
      if (!names.add(name)) throw new IllegalArgumentException(setting + ": duplicate name '" + name + "'");
      PasswordHash password;
      try {
        password = PasswordHash.parse(user.getString("password_hash"));
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new IllegalArgumentException(setting + ": user '" + name + "': " + e.getMessage());
      }
      Set<String> groups = new LinkedHashSet<>();
      if (user.getValue("groups") instanceof JsonArray list) list.forEach(g -> groups.add(String.valueOf(g)));
      users.add(new LocalUser(name, password, user.getString("email"), groups));
    }
    return List.copyOf(users);
  }

  @Override
  public String toString() {
    return "AuthServerSettings[" + idp + ", localUsers=" + localUsers.size() + ", redirectUris=" + redirectUris + "]";
  }
}
