package dev.mcpgateway.signin;

import dev.mcpgateway.config.SignInSettings;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a JWT access token from the configured authorization server for one MCP endpoint: signed
 * by one of its keys with an asymmetric algorithm ({@code none} and shared-secret algorithms are
 * refused before any key is looked at), its issuer, not expired (nor issued or valid only in the
 * future, within {@code clock_skew_ms}), for this resource (RFC 8707: {@code aud} holds the
 * endpoint's URL, or a configured audience), with the required scopes — and maps its claims to the
 * signed-in {@link Agent}.
 */
public final class AccessTokens {
  private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA");
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final SignInSettings settings;
  private final SigningKeys keys;

  public AccessTokens(SignInSettings settings, SigningKeys keys) {
    this.settings = settings;
    this.keys = keys;
  }

  /** Whether {@code token} is shaped like a JWT (three base64url parts): a static client token never is. */
  public static boolean looksLikeJwt(String token) {
    return token.length() <= MAX_TOKEN_CHARS && token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
  }

  /** The signed-in agent, or a failed future holding a {@link SignInRefusal}. */
  public Future<Agent> verify(String token, String resource) {
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token is malformed"));
    }
    if (!ALGORITHMS.contains(header.getValue("alg"))) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token is not signed with an accepted algorithm"));
    }
    return check(token, resource, true);
  }

  private Future<Agent> check(String token, String resource, boolean mayReadKeys) {
    JWTAuth verifier = keys.verifier();
    if (verifier == null) {
      if (!mayReadKeys) return Future.failedFuture(new SignInRefusal(503, null, "the authorization server's keys are unavailable; retry later", null));
      return keys.readAgain().compose(read -> check(token, resource, false));
    }
    return verifier.authenticate(new TokenCredentials(token)).transform(checked -> {
      if (checked.succeeded()) return claims(checked.result().attributes().getJsonObject("accessToken"), resource);
      if (checked.cause() instanceof NoSuchKeyIdException && mayReadKeys) {
        // a key not seen yet: the authorization server may have rotated its keys
        return keys.readAgain().compose(read -> read ? check(token, resource, false) : Future.failedFuture(refusal(checked.cause())));
      }
      return Future.failedFuture(refusal(checked.cause()));
    });
  }

  private static SignInRefusal refusal(Throwable e) {
    if (e instanceof SignInRefusal refusal) return refusal;
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof NoSuchKeyIdException) return SignInRefusal.invalidToken("the access token is signed with an unknown key");
    if (message.contains("expired")) return SignInRefusal.invalidToken("the access token has expired or is not valid yet");
    if (message.contains("issuer")) return SignInRefusal.invalidToken("the access token was issued by another authorization server");
    if (message.contains("Signature")) return SignInRefusal.invalidToken("the access token's signature does not verify");
    return SignInRefusal.invalidToken("the access token is malformed");
  }

  private Future<Agent> claims(JsonObject claims, String resource) {
    Set<String> audience = strings(claims.getValue("aud"));
    if (!audience.contains(resource) && audience.stream().noneMatch(settings.audiences()::contains)) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token is not for this resource"));
    }
    if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token names no subject"));
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token has no expiry"));
    }
    Set<String> granted = strings(claims.getValue("scope") != null ? claims.getValue("scope") : claims.getValue("scp"));
    if (!granted.containsAll(settings.scopes())) {
      return Future.failedFuture(new SignInRefusal(403, SignInRefusal.INSUFFICIENT_SCOPE,
          "the access token lacks a scope this gateway requires", String.join(" ", settings.scopes())));
    }
    Object email = claims.getValue(settings.emailClaim());
    return Future.succeededFuture(new Agent(Agent.USER_PREFIX + subject, Agent.Kind.USER, email instanceof String e ? e : null,
        strings(claims.getValue(settings.groupsClaim())), settings.accounts(), Agent.EVERY_SERVER));
  }

  String requiredScope() {
    return settings.scopes().isEmpty() ? null : String.join(" ", settings.scopes());
  }

  /** A signed-in user known by name only (a sealed ticket's holder): no e-mail or groups. */
  Agent userNamed(String name) {
    return new Agent(name, Agent.Kind.USER, null, Set.of(), settings.accounts(), Agent.EVERY_SERVER);
  }

  /** A claim that is a string or an array of strings (Okta's {@code scp} is either). */
  private static Set<String> strings(Object value) {
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
