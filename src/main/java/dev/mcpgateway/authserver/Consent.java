package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.model.SignInGrant;
import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.store.DuplicateGrantException;
import dev.mcpgateway.store.SignInStore;
import dev.mcpgateway.upstream.oauth.Pkce;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The consent step: once the user has logged in, a page naming the client, the MCP endpoint and
 * where the answer goes, whose form posts the sealed consent ticket back to
 * {@code POST /authorize/consent} with {@code decision} {@code approve} or {@code deny}. Approval
 * opens the grant (its id the ticket's: once, across replicas) with a single-use authorization
 * code — valid for {@link #CODE_TTL}, bound to the client, redirect URI, PKCE challenge, resource
 * and user — and redirects (303) to the client with {@code code}, {@code state} and {@code iss}.
 * Denial redirects with {@code access_denied}.
 */
final class Consent {
  static final Duration CODE_TTL = Duration.ofSeconds(60);
  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final SignInTickets tickets;
  private final SignInStore store;
  private final Clock clock;
  private final String issuer;
  private final BiConsumer<String, String> events;

  Consent(SignInTickets tickets, SignInStore store, Clock clock, String issuer, BiConsumer<String, String> events) {
    this.tickets = tickets;
    this.store = store;
    this.clock = clock;
    this.issuer = issuer;
    this.events = events;
  }

  /** The consent page for a logged-in user. */
  void show(RoutingContext ctx, SignInTickets.Pending pending) {
    SignInPages.consent(ctx, pending, tickets.seal(pending, SignInTickets.Stage.CONSENT));
  }

  /** {@code POST /authorize/consent}. */
  void decide(RoutingContext ctx) {
    if (!OAuthReplies.isForm(ctx)) {
      SignInPages.problem(ctx, 415, "Bad request", "The consent accepts only its own form.", null);
      return;
    }
    BoundedBody.read(ctx.request(), MAX_FORM_BYTES).onComplete(read -> {
      if (read.failed()) {
        SignInPages.problem(ctx, 413, "Bad request", "The form is too large.", null);
        return;
      }
      SignInTickets.Pending pending;
      Map<String, String> form;
      try {
        form = OAuthReplies.form(read.result());
        pending = tickets.open(form.get("ticket"), SignInTickets.Stage.CONSENT, ctx);
      } catch (SignInTickets.Refused | OAuthReplies.Failure refused) {
        events.accept("consent", "refused");
        SignInPages.problem(ctx, 400, "Sign-in refused", refused.getMessage(), null);
        return;
      }
      tickets.finish(ctx, pending);
      if (!"approve".equals(form.get("decision"))) {
        events.accept("consent", "access_denied");
        redirect(ctx, ClientRedirect.error(pending.redirectUri(), issuer, pending.state(), "access_denied", "the user denied access"));
        return;
      }
      approve(pending).onSuccess(code -> {
        events.accept("consent", "ok");
        redirect(ctx, ClientRedirect.to(pending.redirectUri(), issuer, pending.state(), "code", code));
      }).onFailure(e -> {
        if (e instanceof DuplicateGrantException) {
          events.accept("consent", "replayed");
          SignInPages.problem(ctx, 400, "Already answered", "This consent was given already. Start again from your application if it did not sign you in.", null);
        } else {
          events.accept("consent", "temporarily_unavailable");
          SignInPages.problem(ctx, 503, "Unavailable", "The gateway cannot record the approval now. Try again from your application.",
              ClientRedirect.error(pending.redirectUri(), issuer, pending.state(), "temporarily_unavailable", "the gateway's store is unavailable"));
        }
      });
    });
  }

  /** Opens the grant with its code; answers the code (the only place its value exists). */
  private Future<String> approve(SignInTickets.Pending pending) {
    String code = Pkce.random(32);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expires = now.plus(CODE_TTL);
    SignInGrant grant = new SignInGrant(pending.id(), pending.clientId(), pending.user(), pending.resource(), pending.scope(), now, expires, null);
    return store.openGrant(grant, SignInCredential.code(TokenHash.sha256Hex(code), grant.id(), expires, pending.redirectUri(), pending.codeChallenge()))
        .map(code);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer").end();
  }
}
