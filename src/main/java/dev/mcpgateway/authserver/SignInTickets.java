package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SealedSecret;
import dev.mcpgateway.model.SignedInUser;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.upstream.oauth.Pkce;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A sign-in under way at the built-in authorization server, carried by the browser — no server
 * state until the user approves: {@link Pending} as compact JSON sealed with AES-256-GCM under
 * {@code SecretCipher.derive("sign-in-ticket")}, the associated data naming its stage
 * ({@code sign_in_ticket:login|idp|consent}), so a ticket of one stage never opens at another (the
 * IdP's {@code state} holds no user; only a consent ticket does). It expires after
 * {@code oauth.authorization_ttl_ms}.
 *
 * <p>Bound to the browser that started it: {@code /authorize} sets a cookie
 * ({@code mcpgw_signin_<first 8 of the id>}, HttpOnly, SameSite=Lax, path {@code /authorize},
 * Secure over https) holding a random value whose SHA-256 the ticket carries; every later step
 * requires both, so a ticket lifted from one browser (a link, a log) does not complete a sign-in in
 * another. A consent ticket is one-time: approving it opens the grant named by its id, once
 * ({@code SignInStore.openGrant}).
 */
final class SignInTickets {
  static final String COOKIE_PATH = "/authorize";
  private static final String COOKIE_PREFIX = "mcpgw_signin_";

  enum Stage { LOGIN, IDP, CONSENT }

  /**
   * @param id random; becomes the grant's id at approval
   * @param browser SHA-256 hex of the browser cookie's value
   * @param user null until the user has logged in
   * @param idpVerifier, idpNonce the PKCE verifier and nonce of the login at the upstream IdP (stage idp only)
   */
  record Pending(String id, String clientId, String clientName, String redirectUri, String state, String codeChallenge, String resource,
      String scope, Instant expiresAt, String browser, SignedInUser user, String idpVerifier, String idpNonce) {

    Pending withUser(SignedInUser signedIn) {
      return new Pending(id, clientId, clientName, redirectUri, state, codeChallenge, resource, scope, expiresAt, browser, signedIn, null, null);
    }

    Pending withIdpLogin(String verifier, String nonce) {
      return new Pending(id, clientId, clientName, redirectUri, state, codeChallenge, resource, scope, expiresAt, browser, user, verifier, nonce);
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("c", clientId).put("cn", clientName).put("r", redirectUri).put("s", state)
          .put("cc", codeChallenge).put("rs", resource).put("sc", scope).put("exp", expiresAt.getEpochSecond()).put("b", browser)
          .put("u", user == null ? null : user.toJson()).put("iv", idpVerifier).put("in", idpNonce);
    }

    static Pending fromJson(JsonObject json) {
      JsonObject user = json.getJsonObject("u");
      return new Pending(json.getString("id"), json.getString("c"), json.getString("cn"), json.getString("r"), json.getString("s"),
          json.getString("cc"), json.getString("rs"), json.getString("sc"), Instant.ofEpochSecond(json.getLong("exp")), json.getString("b"),
          user == null ? null : SignedInUser.fromJson(user), json.getString("iv"), json.getString("in"));
    }
  }

  /** A ticket that does not complete a sign-in here: the page says why. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final SecretCipher cipher;
  private final Clock clock;
  private final Duration ttl;
  private final boolean secureCookies;

  SignInTickets(SecretCipher gatewayCipher, Clock clock, Duration ttl, boolean secureCookies) {
    this.cipher = gatewayCipher.derive("sign-in-ticket");
    this.clock = clock;
    this.ttl = ttl;
    this.secureCookies = secureCookies;
  }

  /** A new pending sign-in, bound to this browser by a new cookie set on {@code ctx}'s response. */
  Pending start(RoutingContext ctx, String clientId, String clientName, String redirectUri, String state, String codeChallenge,
      String resource, String scope) {
    String id = Pkce.random(16);
    String browser = Pkce.random(32);
    ctx.response().addCookie(Cookie.cookie(COOKIE_PREFIX + id.substring(0, 8), browser).setPath(COOKIE_PATH).setHttpOnly(true)
        .setSecure(secureCookies).setSameSite(CookieSameSite.LAX).setMaxAge(ttl.toSeconds()));
    return new Pending(id, clientId, clientName, redirectUri, state, codeChallenge, resource, scope, clock.instant().plus(ttl),
        TokenHash.sha256Hex(browser), null, null, null);
  }

  String seal(Pending pending, Stage stage) {
    return cipher.seal(pending.toJson().encode(), context(stage)).ciphertext();
  }

  /** The pending sign-in, if this gateway sealed it for {@code stage}, it has not expired, and this browser started it. */
  Pending open(String sealed, Stage stage, RoutingContext ctx) {
    Pending pending;
    try {
      if (sealed == null || sealed.isEmpty() || sealed.length() > 8192) throw new IllegalArgumentException();
      pending = Pending.fromJson(new JsonObject(cipher.open(new SealedSecret(sealed), context(stage))));
    } catch (RuntimeException notOurs) {
      throw new Refused("This sign-in link is not one this gateway issued. Start again from your application.");
    }
    if (!pending.expiresAt().isAfter(clock.instant())) throw new Refused("This sign-in took too long and expired. Start again from your application.");
    Cookie cookie = ctx.request().getCookie(COOKIE_PREFIX + pending.id().substring(0, 8));
    if (cookie == null || !MessageDigest.isEqual(TokenHash.sha256Hex(cookie.getValue()).getBytes(StandardCharsets.US_ASCII),
        pending.browser().getBytes(StandardCharsets.US_ASCII))) {
      throw new Refused("This sign-in was started in another browser (or cookies are blocked here). Start again from your application.");
    }
    return pending;
  }

  /** Forgets this browser's cookie of {@code pending}: the sign-in is over. */
  void finish(RoutingContext ctx, Pending pending) {
    ctx.response().addCookie(Cookie.cookie(COOKIE_PREFIX + pending.id().substring(0, 8), "").setPath(COOKIE_PATH).setHttpOnly(true)
        .setSecure(secureCookies).setSameSite(CookieSameSite.LAX).setMaxAge(0));
  }

  private static String context(Stage stage) {
    return SealedContexts.signInTicket(stage.name().toLowerCase(java.util.Locale.ROOT));
  }
}
