package dev.mcpgateway.signin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.config.SignInSettings;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.TokenHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a JWT access token from the configured authorization server for one MCP endpoint: signed
 * by one of its keys with an asymmetric algorithm ({@code none} and shared-secret algorithms are
 * refused before any key is looked at), its issuer, not expired (nor issued or valid only in the
 * future, within {@code clock_skew_ms}), for this resource (RFC 8707: {@code aud} holds the
 * endpoint's URL, or a configured audience), with the required scopes — and maps its claims to the
 * signed-in {@link Agent}.
 */
public final class AccessTokens {
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private static final int MAX_CHECKED = 10_000;

  private final SignInSettings settings;
  private final SigningKeys keys;
  private final Predicate<JsonObject> revoked;
  /**
   * Claims of tokens whose signature, issuer and times were checked, by the SHA-256 of the token:
   * an agent sends one token for many calls, and its RS256 signature is most of what a signed-in
   * call costs (bench/signin.sh). A hit is still checked for expiry, audience, scopes and revocation
   * on every call; entries are dropped after a few minutes and when the cache is full.
   */
  private final Cache<String, JsonObject> checked = Caffeine.newBuilder().maximumSize(MAX_CHECKED)
      .expireAfterWrite(Duration.ofMinutes(5)).build();

  public AccessTokens(SignInSettings settings, SigningKeys keys) {
    this(settings, keys, claims -> false);
  }

  /** {@code revoked}: whether a token's claims name a grant revoked since (the built-in authorization server's). */
  public AccessTokens(SignInSettings settings, SigningKeys keys, Predicate<JsonObject> revoked) {
    this.settings = settings;
    this.keys = keys;
    this.revoked = revoked;
  }

  /** Whether {@code token} is shaped like a JWT (three base64url parts): a static client token never is. */
  public static boolean looksLikeJwt(String token) {
    return token.length() <= MAX_TOKEN_CHARS && token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
  }

  /** The signed-in agent, or a failed future holding a {@link SignInRefusal}. */
  public Future<Agent> verify(String token, String resource) {
    String key = TokenHash.sha256Hex(token);
    JsonObject known = checked.getIfPresent(key);
    if (known != null && unexpired(known)) return claims(known, resource);
    return keys.verified(token).onSuccess(claims -> checked.put(key, claims)).compose(claims -> claims(claims, resource));
  }

  /** {@code exp} not passed, within the clock skew the signature check allows too. */
  private boolean unexpired(JsonObject claims) {
    return claims.getValue("exp") instanceof Number exp
        && exp.longValue() + settings.clockSkew().toSeconds() > System.currentTimeMillis() / 1000;
  }

  private Future<Agent> claims(JsonObject claims, String resource) {
    Set<String> audience = strings(claims.getValue("aud"));
    if (!audience.contains(resource) && audience.stream().noneMatch(settings.audiences()::contains)) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token is not for this resource"));
    }
    if (claims.containsKey("nonce")) {
      // an OpenID Connect ID token (the only kind with a nonce) says who signed in to a client, not what it may call
      return Future.failedFuture(SignInRefusal.invalidToken("an ID token is not an access token"));
    }
    if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token names no subject"));
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token has no expiry"));
    }
    if (revoked.test(claims)) return Future.failedFuture(SignInRefusal.invalidToken("the access token's grant has been revoked"));
    Set<String> granted = strings(claims.getValue("scope") != null ? claims.getValue("scope") : claims.getValue("scp"));
    if (!granted.containsAll(settings.scopes())) {
      return Future.failedFuture(new SignInRefusal(403, SignInRefusal.INSUFFICIENT_SCOPE,
          "the access token lacks a scope this gateway requires", String.join(" ", settings.scopes())));
    }
    return Future.succeededFuture(new Agent(Agent.USER_PREFIX + subject, Agent.Kind.USER, verifiedEmail(claims, settings.emailClaim()),
        strings(claims.getValue(settings.groupsClaim())), settings.accounts(), Agent.EVERY_SERVER));
  }

  String requiredScope() {
    return settings.scopes().isEmpty() ? null : String.join(" ", settings.scopes());
  }

  /** A signed-in user known by name only (a sealed ticket's holder): no e-mail or groups. */
  Agent userNamed(String name) {
    return new Agent(name, Agent.Kind.USER, null, Set.of(), settings.accounts(), Agent.EVERY_SERVER);
  }

  /**
   * The e-mail claim, unless the IdP says it is not verified ({@code email_verified: false}: some
   * let users type any address) — access policies match e-mails and domains, so an unverified one
   * must not pass for its owner. IdPs that send no {@code email_verified} (Entra) are taken at their word.
   */
  public static String verifiedEmail(JsonObject claims, String emailClaim) {
    if (Boolean.FALSE.equals(claims.getValue("email_verified")) || "false".equals(claims.getValue("email_verified"))) return null;
    return claims.getValue(emailClaim) instanceof String email ? email : null;
  }

  /** A claim that is a string or an array of strings (Okta's {@code scp} is either; an IdP's groups). */
  public static Set<String> strings(Object value) {
    Set<String> items = new LinkedHashSet<>();
    if (value instanceof String one) {
      for (String item : one.trim().split("\\s+")) if (!item.isEmpty()) items.add(item);
    } else if (value instanceof JsonArray many) {
      for (Object item : many) if (item instanceof String s) items.add(s);
    } else if (value instanceof List<?> many) {
      for (Object item : many) if (item instanceof String s) items.add(s);
    }
    return items;
  }
}
