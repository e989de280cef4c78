package dev.mcpgateway.authserver;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * How a user proves who they are once {@code /authorize} has accepted the request: at the upstream
 * IdP ({@link IdpLogin}) or with a configured local user's password ({@link LocalLogin}). Either
 * ends in the consent page with the user in the pending sign-in.
 */
interface Login {
  /** Answers {@code ctx} with the first step of the login for {@code pending}. */
  void begin(RoutingContext ctx, SignInTickets.Pending pending);

  /** The login's own routes (the IdP's callback, the login form's POST). */
  void mount(Router router);
}
