package dev.mcpgateway.authserver;

import dev.mcpgateway.config.AuthServerSettings;
import dev.mcpgateway.config.SignInSettings;
import dev.mcpgateway.signin.SigningKeys;
import dev.mcpgateway.upstream.oauth.OAuthHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The upstream OpenID Connect provider users log in with, as the gateway (its client) talks to
 * it: discovery ({@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must be the
 * configured one), the authorization code exchange (HTTP Basic with the client secret, or a public
 * client), the ID token's signature, issuer and expiry against its JWKS ({@link SigningKeys}: read
 * once, again on a key not seen yet, never per login), and its userinfo. Discovery is retried at
 * the next login until it works, so a provider down at start is no reason not to start; its
 * outcome is then kept.
 */
final class UpstreamIdp {
  private static final System.Logger LOG = System.getLogger(UpstreamIdp.class.getName());

  /** What discovery found. */
  record Endpoints(String authorization, String token, String userinfo, String jwksUri) {}

  /** The provider could not be used: the message names the step, never a secret. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final OAuthHttp http;
  private final AuthServerSettings.Idp idp;
  private final SignInSettings signIn;
  private volatile Endpoints endpoints;
  private volatile SigningKeys keys;

  UpstreamIdp(Vertx vertx, OAuthHttp http, AuthServerSettings.Idp idp, SignInSettings signIn) {
    this.vertx = vertx;
    this.http = http;
    this.idp = idp;
    this.signIn = signIn;
  }

  AuthServerSettings.Idp settings() {
    return idp;
  }

  /** The provider's endpoints, discovered on first use (and again after a failed discovery). */
  Future<Endpoints> endpoints() {
    Endpoints found = endpoints;
    if (found != null) return Future.succeededFuture(found);
    String url = idp.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    return http.get(url).compose(response -> {
      JsonObject metadata = response.status() == 200 ? response.json() : null;
      if (metadata == null) return Future.failedFuture(new Unavailable("its metadata at " + url + " answered HTTP " + response.status()));
      if (!idp.issuer().equals(metadata.getString("issuer"))) return Future.failedFuture(new Unavailable("its metadata names another issuer"));
      Endpoints discovered = new Endpoints(metadata.getString("authorization_endpoint"), metadata.getString("token_endpoint"),
          metadata.getString("userinfo_endpoint"), metadata.getString("jwks_uri"));
      if (discovered.authorization() == null || discovered.token() == null || discovered.jwksUri() == null) {
        return Future.failedFuture(new Unavailable("its metadata lacks authorization_endpoint, token_endpoint or jwks_uri"));
      }
      synchronized (this) {
        if (endpoints == null) {
          keys = new SigningKeys(vertx, new SignInSettings(SignInSettings.Mode.EXTERNAL, idp.issuer(), discovered.jwksUri(), Set.of(), List.of(),
              Set.of(), signIn.emailClaim(), signIn.groupsClaim(), signIn.jwksRefresh(), signIn.unknownKeyCooldown(), signIn.clockSkew(), null),
              System::nanoTime, outcome -> {});
          endpoints = discovered;
          keys.start();
        }
      }
      return Future.succeededFuture(endpoints);
    }, failure -> Future.failedFuture(new Unavailable(failure.getMessage())));
  }

  /** The token response for {@code code}: it must hold an {@code id_token}. */
  Future<JsonObject> exchange(String code, String verifier, String redirectUri) {
    return endpoints().compose(e -> {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "authorization_code");
      form.put("code", code);
      form.put("redirect_uri", redirectUri);
      form.put("code_verifier", verifier);
      if (idp.clientSecret() == null) form.put("client_id", idp.clientId());
      return http.postForm(e.token(), form, idp.clientSecret() == null ? null : idp.clientId(), idp.clientSecret());
    }).compose(response -> {
      JsonObject body = response.json();
      if (response.status() != 200 || body == null || !(body.getValue("id_token") instanceof String)) {
        String error = body != null && body.getValue("error") instanceof String e ? e : "HTTP " + response.status();
        return Future.failedFuture(new Unavailable("its token endpoint refused the code (" + error + ")"));
      }
      return Future.succeededFuture(body);
    }, failure -> Future.failedFuture(failure instanceof Unavailable ? failure : new Unavailable(failure.getMessage())));
  }

  /** The ID token's claims once its signature, issuer and expiry check out (audience and nonce are the caller's). */
  Future<JsonObject> verified(String idToken) {
    return endpoints().compose(e -> keys.verified(idToken));
  }

  /** The userinfo answer for the provider's access token (claims an ID token may leave out: Okta's groups, some e-mails). */
  Future<JsonObject> userinfo(String accessToken) {
    return endpoints().compose(e -> {
      if (e.userinfo() == null || accessToken == null) return Future.succeededFuture(new JsonObject());
      return http.getWithBearer(e.userinfo(), accessToken).map(response -> {
        JsonObject body = response.status() == 200 ? response.json() : null;
        if (body == null) LOG.log(System.Logger.Level.WARNING, "sign-in: the IdP's userinfo answered HTTP " + response.status());
        return body == null ? new JsonObject() : body;
      });
    });
  }

  void stop() {
    if (keys != null) keys.stop();
  }
}
