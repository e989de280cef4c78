package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignedInUser;
import dev.mcpgateway.signin.AccessTokens;
import dev.mcpgateway.signin.SignInRefusal;
import dev.mcpgateway.upstream.oauth.Pkce;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The login at the upstream OpenID Connect provider (the way Cloudflare Access delegates it): the
 * browser goes to the provider's authorization endpoint with the gateway's own PKCE (S256), a
 * {@code nonce}, and as {@code state} the sealed pending sign-in (stage {@code idp}, holding the
 * verifier and nonce); the provider sends it back to {@code GET /authorize/callback}, where the
 * gateway redeems the code and accepts the ID token only when signed by the provider's key, issued by
 * it, unexpired, for the gateway's client id ({@code aud}, and {@code azp} when there are several
 * audiences) and with the nonce. The user is its {@code sub}, with the e-mail and groups of
 * {@code sign_in.email_claim} / {@code groups_claim} (from userinfo when the ID token leaves them out).
 * A provider that cannot be reached is a page saying so, with a link that tells the client.
 */
final class IdpLogin implements Login {
  private static final System.Logger LOG = System.getLogger(IdpLogin.class.getName());

  private final UpstreamIdp idp;
  private final SignInTickets tickets;
  private final Consent consent;
  private final String issuer;
  private final String callbackUrl;
  private final String emailClaim;
  private final String groupsClaim;
  private final BiConsumer<String, String> events;

  IdpLogin(UpstreamIdp idp, SignInTickets tickets, Consent consent, String issuer, String emailClaim, String groupsClaim,
      BiConsumer<String, String> events) {
    this.idp = idp;
    this.tickets = tickets;
    this.consent = consent;
    this.issuer = issuer;
    this.callbackUrl = issuer + AuthServer.CALLBACK_PATH;
    this.emailClaim = emailClaim;
    this.groupsClaim = groupsClaim;
    this.events = events;
  }

  @Override
  public void mount(Router router) {
    router.get(AuthServer.CALLBACK_PATH).handler(this::callback);
  }

  @Override
  public void begin(RoutingContext ctx, SignInTickets.Pending pending) {
    idp.endpoints().onComplete(found -> {
      if (found.failed()) {
        unavailable(ctx, pending, found.cause());
        return;
      }
      String verifier = Pkce.verifier();
      String nonce = Pkce.random(16);
      String state = tickets.seal(pending.withIdpLogin(verifier, nonce), SignInTickets.Stage.IDP);
      String authorization = found.result().authorization();
      String url = authorization + (authorization.contains("?") ? "&" : "?") + "response_type=code&client_id=" + encode(idp.settings().clientId())
          + "&redirect_uri=" + encode(callbackUrl) + "&scope=" + encode(idp.settings().scopes()) + "&state=" + encode(state)
          + "&nonce=" + encode(nonce) + "&code_challenge=" + encode(Pkce.challenge(verifier)) + "&code_challenge_method=S256";
      ctx.response().setStatusCode(302).putHeader("Location", url).putHeader("Cache-Control", "no-store")
          .putHeader("Referrer-Policy", "no-referrer").end();
    });
  }

  private void callback(RoutingContext ctx) {
    SignInTickets.Pending pending;
    try {
      pending = tickets.open(ctx.queryParams().get("state"), SignInTickets.Stage.IDP, ctx);
    } catch (SignInTickets.Refused refused) {
      events.accept("login", "refused");
      SignInPages.problem(ctx, 400, "Sign-in refused", refused.getMessage(), null);
      return;
    }
    String error = ctx.queryParams().get("error");
    String code = ctx.queryParams().get("code");
    if (error != null || code == null) {
      String answered = error == null ? "no code" : error.replaceAll("[^A-Za-z0-9_.-]", "");
      events.accept("login", "access_denied");
      tickets.finish(ctx, pending);
      ctx.response().setStatusCode(302).putHeader("Cache-Control", "no-store").putHeader("Location", ClientRedirect.error(pending.redirectUri(),
          issuer, pending.state(), "access_denied", "the identity provider answered " + answered)).end();
      return;
    }
    idp.exchange(code, pending.idpVerifier(), callbackUrl)
        .compose(tokens -> user(tokens, pending.idpNonce()))
        .onSuccess(user -> {
          events.accept("login", "ok");
          consent.show(ctx, pending.withUser(user));
        })
        .onFailure(e -> {
          if (e instanceof UpstreamIdp.Unavailable) {
            unavailable(ctx, pending, e);
            return;
          }
          events.accept("login", "invalid_grant");
          LOG.log(System.Logger.Level.WARNING, "sign-in: the identity provider's ID token was refused: " + e.getMessage());
          SignInPages.problem(ctx, 502, "Sign-in failed", "The identity provider's answer could not be verified: " + e.getMessage(),
              ClientRedirect.error(pending.redirectUri(), issuer, pending.state(), "server_error", "the identity provider's answer was refused"));
        });
  }

  /** The signed-in user of a token response, once its ID token checks out. */
  private Future<SignedInUser> user(JsonObject tokens, String nonce) {
    return idp.verified(tokens.getString("id_token")).recover(e -> Future.failedFuture(new IllegalStateException(
        e instanceof SignInRefusal ? e.getMessage().replace("access token", "ID token") : "its signature could not be checked")))
        .compose(claims -> {
          Set<String> audience = AccessTokens.strings(claims.getValue("aud"));
          String clientId = idp.settings().clientId();
          if (!audience.contains(clientId)) return Future.failedFuture(new IllegalStateException("the ID token is for another client"));
          if (audience.size() > 1 && claims.containsKey("azp") && !clientId.equals(claims.getValue("azp"))) {
            return Future.failedFuture(new IllegalStateException("the ID token was issued to another party"));
          }
          if (!nonce.equals(claims.getValue("nonce"))) return Future.failedFuture(new IllegalStateException("the ID token's nonce is not this sign-in's"));
          if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
            return Future.failedFuture(new IllegalStateException("the ID token names no subject"));
          }
          if (claims.getValue(emailClaim) instanceof String && claims.containsKey(groupsClaim)) return Future.succeededFuture(user(subject, claims));
          return idp.userinfo(tokens.getString("access_token"))
              .map(info -> subject.equals(info.getValue("sub")) ? user(subject, info.copy().mergeIn(claims)) : user(subject, claims));
        });
  }

  private SignedInUser user(String subject, JsonObject claims) {
    return new SignedInUser(subject, AccessTokens.verifiedEmail(claims, emailClaim), List.copyOf(AccessTokens.strings(claims.getValue(groupsClaim))));
  }

  private void unavailable(RoutingContext ctx, SignInTickets.Pending pending, Throwable cause) {
    events.accept("login", "temporarily_unavailable");
    LOG.log(System.Logger.Level.WARNING, "sign-in: the identity provider " + idp.settings().issuer() + " cannot be used: " + cause.getMessage());
    SignInPages.problem(ctx, 503, "Sign-in unavailable", "The sign-in provider (" + idp.settings().issuer()
        + ") cannot be reached right now. Try again in a few minutes.",
        ClientRedirect.error(pending.redirectUri(), issuer, pending.state(), "temporarily_unavailable", "the identity provider cannot be reached"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
