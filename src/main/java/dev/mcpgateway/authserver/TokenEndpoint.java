package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.store.SignInStore;
import dev.mcpgateway.upstream.oauth.Pkce;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * {@code POST /token} (RFC 6749 §3.2 with OAuth 2.1's rules), after {@link ClientAuthentication}:
 * <ul>
 *   <li>{@code authorization_code}: the code must be this client's, the redirect URI the one it was
 *   issued for, and S256 of {@code code_verifier} its challenge (constant-time); then it is redeemed
 *   once across replicas ({@link SignInStore#redeem}) — a code used a second time revokes its grant,
 *   and so every token it issued (access tokens too: {@link RevokedGrants});
 *   <li>{@code refresh_token}: this client's, of a grant not revoked, rotated on every use (the old one
 *   is spent; presenting it again revokes the whole grant), {@code scope} narrowed at most;
 * </ul>
 * a {@code resource} sent with either must be the grant's. Answers the access token (JWT) and, for
 * clients registered with the refresh_token grant, a refresh token.
 */
final class TokenEndpoint implements Handler<RoutingContext> {
  private static final System.Logger LOG = System.getLogger(TokenEndpoint.class.getName());
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final ClientAuthentication clients;
  private final SignInStore store;
  private final TokenIssuer issuer;
  private final Clock clock;
  private final BiConsumer<String, String> events;
  private final RevokedGrants revokedGrants;
  private final Duration sessionMaxAge;

  /** {@code sessionMaxAge}: how long after the login a grant's refresh tokens work at all. */
  TokenEndpoint(ClientAuthentication clients, SignInStore store, TokenIssuer issuer, RevokedGrants revokedGrants, Clock clock,
      Duration sessionMaxAge, BiConsumer<String, String> events) {
    this.revokedGrants = revokedGrants;
    this.sessionMaxAge = sessionMaxAge;
    this.clients = clients;
    this.store = store;
    this.issuer = issuer;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!OAuthReplies.isForm(ctx)) {
      fail(ctx, OAuthReplies.invalidRequest("the token request must be application/x-www-form-urlencoded"));
      return;
    }
    BoundedBody.read(ctx.request(), MAX_FORM_BYTES).compose(body -> {
      Map<String, String> form = OAuthReplies.form(body);
      return clients.authenticate(ctx, form).compose(client -> switch (String.valueOf(form.get("grant_type"))) {
        case "authorization_code" -> code(client, form);
        case "refresh_token" -> refresh(client, form);
        default -> Future.failedFuture(new OAuthReplies.Failure(400, "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token"));
      });
    }).onSuccess(answer -> {
      events.accept("token", "ok");
      OAuthReplies.json(ctx, 200, answer);
    }).onFailure(e -> fail(ctx, e));
  }

  private Future<JsonObject> code(SignInClient client, Map<String, String> form) {
    String code = form.get("code");
    String verifier = form.get("code_verifier");
    if (code == null || verifier == null) return Future.failedFuture(OAuthReplies.invalidRequest("code and code_verifier are required"));
    String hash = TokenHash.sha256Hex(code);
    return store.find(hash).compose(found -> {
      SignInStore.Held held = found.filter(h -> h.credential().kind() == SignInCredential.Kind.CODE).orElse(null);
      if (held == null || !held.grant().clientId().equals(client.id())) return Future.failedFuture(invalidGrant("the code is unknown or expired"));
      if (!held.credential().redirectUri().equals(form.get("redirect_uri"))) {
        return Future.failedFuture(invalidGrant("redirect_uri is not the one the code was issued for"));
      }
      if (!VERIFIER.matcher(verifier).matches() || !MessageDigest.isEqual(Pkce.challenge(verifier).getBytes(StandardCharsets.US_ASCII),
          held.credential().codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
        return Future.failedFuture(invalidGrant("code_verifier does not match the code_challenge (PKCE)"));
      }
      String resource = form.get("resource");
      if (resource != null && !resource.equals(held.grant().resource())) {
        return Future.failedFuture(new OAuthReplies.Failure(400, "invalid_target", "resource is not the one the code was issued for"));
      }
      TokenIssuer.Refresh next = client.mayRefresh() ? issuer.refresh(held.grant().id()) : null;
      return redeem(hash, next, "code");
    });
  }

  private Future<JsonObject> refresh(SignInClient client, Map<String, String> form) {
    String token = form.get("refresh_token");
    if (token == null) return Future.failedFuture(OAuthReplies.invalidRequest("refresh_token is required"));
    if (!client.mayRefresh()) return Future.failedFuture(new OAuthReplies.Failure(400, "unauthorized_client", "this client did not register the refresh_token grant"));
    String hash = TokenHash.sha256Hex(token);
    return store.find(hash).compose(found -> {
      SignInStore.Held held = found.filter(h -> h.credential().kind() == SignInCredential.Kind.REFRESH).orElse(null);
      if (held == null || !held.grant().clientId().equals(client.id())) return Future.failedFuture(invalidGrant("the refresh token is unknown or expired"));
      if (!held.grant().createdAt().plus(sessionMaxAge).isAfter(clock.instant())) {
        return Future.failedFuture(invalidGrant("the sign-in is older than the session limit: sign in again"));
      }
      String scope = form.get("scope");
      if (scope != null && !new HashSet<>(Arrays.asList(held.grant().scope().split(" "))).containsAll(Arrays.asList(scope.trim().split("\\s+")))) {
        return Future.failedFuture(new OAuthReplies.Failure(400, "invalid_scope", "scope may only narrow what was granted"));
      }
      String resource = form.get("resource");
      if (resource != null && !resource.equals(held.grant().resource())) {
        return Future.failedFuture(new OAuthReplies.Failure(400, "invalid_target", "resource is not the one the refresh token was issued for"));
      }
      return redeem(hash, issuer.refresh(held.grant().id()), "refresh token");
    });
  }

  /** Redeems the credential once; a replay revokes its grant. */
  private Future<JsonObject> redeem(String hash, TokenIssuer.Refresh next, String what) {
    return store.redeem(hash, clock.instant(), next == null ? null : next.credential()).compose(redemption -> switch (redemption.outcome()) {
      case REDEEMED -> Future.succeededFuture(issuer.response(redemption.grant(), next));
      case REPLAYED -> {
        LOG.log(System.Logger.Level.WARNING, "sign-in: a " + what + " of grant " + redemption.grant().id() + " (client "
            + redemption.grant().clientId() + ", " + redemption.grant().user() + ") was used twice: the grant is revoked");
        events.accept("token", "replayed");
        revokedGrants.revoke(redemption.grant().id())
            .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "sign-in: the access tokens of a revoked grant stay valid until they expire: " + e));
        yield Future.failedFuture(invalidGrant("the " + what + " was used already: every token of its grant is revoked"));
      }
      case REVOKED -> Future.failedFuture(invalidGrant("the " + what + "'s grant is revoked"));
      default -> Future.failedFuture(invalidGrant("the " + what + " is unknown or expired"));
    });
  }

  private static OAuthReplies.Failure invalidGrant(String description) {
    return new OAuthReplies.Failure(400, "invalid_grant", description);
  }

  private void fail(RoutingContext ctx, Throwable e) {
    OAuthReplies.Failure failure = OAuthReplies.failure(e, "the token request is too large");
    if (failure.status == 503) LOG.log(System.Logger.Level.WARNING, "sign-in: token request failed: " + e);
    events.accept("token", failure.error);
    if (failure.status == 401) ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"mcp-gateway\"");
    OAuthReplies.error(ctx, failure);
  }
}
