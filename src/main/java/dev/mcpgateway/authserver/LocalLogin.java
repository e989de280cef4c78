package dev.mcpgateway.authserver;

import dev.mcpgateway.config.AuthServerSettings;
import dev.mcpgateway.security.PasswordHash;
import dev.mcpgateway.model.SignedInUser;
import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.security.AuthThrottle;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The login of the bootstrap {@code sign_in.local_users} (no upstream IdP): a form with Username and
 * Password posting the sealed login ticket to {@code POST /authorize/login}. The password is checked
 * against its configured hash on a worker thread (PBKDF2 costs real CPU); a wrong one shows the form
 * again with an alert, counts towards {@code limits.auth_failures_per_minute} (then 429), and is
 * never logged — nor is the name tried.
 */
final class LocalLogin implements Login {
  /**
   * Checked against the password an unknown name is sent with; matches nothing anyone can send (a
   * random password). Made on first use, on the worker that checks it (PBKDF2 takes a while).
   */
  private static final class UnknownUser {
    static final PasswordHash HASH = PasswordHash.parse(PasswordHash.pbkdf2(
        java.util.UUID.randomUUID().toString(), PasswordHash.ITERATIONS, new java.security.SecureRandom()));
  }

  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final List<AuthServerSettings.LocalUser> users;
  private final SignInTickets tickets;
  private final Consent consent;
  private final AuthThrottle failures;
  private final BiConsumer<String, String> events;

  LocalLogin(Vertx vertx, List<AuthServerSettings.LocalUser> users, SignInTickets tickets, Consent consent, AuthThrottle failures,
      BiConsumer<String, String> events) {
    this.vertx = vertx;
    this.users = users;
    this.tickets = tickets;
    this.consent = consent;
    this.failures = failures;
    this.events = events;
  }

  @Override
  public void begin(RoutingContext ctx, SignInTickets.Pending pending) {
    SignInPages.login(ctx, 200, pending.clientName(), tickets.seal(pending, SignInTickets.Stage.LOGIN), null, null);
  }

  @Override
  public void mount(Router router) {
    router.post(AuthServer.LOGIN_PATH).handler(this::submit);
  }

  private void submit(RoutingContext ctx) {
    if (failures.blocked(ctx.request())) {
      ctx.response().putHeader("Retry-After", "60");
      SignInPages.problem(ctx, 429, "Too many attempts", "Too many failed sign-ins from this address: try again in a minute.", null);
      return;
    }
    if (!OAuthReplies.isForm(ctx)) {
      SignInPages.problem(ctx, 415, "Bad request", "The sign-in accepts only its own form.", null);
      return;
    }
    BoundedBody.read(ctx.request(), MAX_FORM_BYTES).onComplete(read -> {
      if (read.failed()) {
        SignInPages.problem(ctx, 413, "Bad request", "The form is too large.", null);
        return;
      }
      Map<String, String> form;
      SignInTickets.Pending pending;
      try {
        form = OAuthReplies.form(read.result());
        pending = tickets.open(form.get("ticket"), SignInTickets.Stage.LOGIN, ctx);
      } catch (SignInTickets.Refused | OAuthReplies.Failure refused) {
        events.accept("login", "refused");
        SignInPages.problem(ctx, 400, "Sign-in refused", refused.getMessage(), null);
        return;
      }
      String name = form.getOrDefault("username", "");
      String password = form.getOrDefault("password", "");
      AuthServerSettings.LocalUser user = users.stream().filter(u -> u.name().equals(name)).findFirst().orElse(null);
      // an unknown name costs the same hashing as a known one: the time taken does not tell which names exist
      vertx.executeBlocking(() -> (user != null ? user.password() : UnknownUser.HASH).matches(password) && user != null, false)
          .onComplete(checked -> {
        if (checked.succeeded() && checked.result()) {
          events.accept("login", "ok");
          consent.show(ctx, pending.withUser(new SignedInUser(user.name(), user.email(), List.copyOf(user.groups()))));
        } else {
          failures.failed(ctx.request());
          events.accept("login", "access_denied");
          SignInPages.login(ctx, 401, pending.clientName(), form.get("ticket"), name, "Invalid username or password.");
        }
      });
    });
  }
}
