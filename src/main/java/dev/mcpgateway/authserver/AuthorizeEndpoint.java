package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * {@code GET /authorize}: the start of a sign-in (RFC 6749 §4.1 with OAuth 2.1's rules). The client
 * and its redirect URI come first — an unknown client, or a redirect URI it did not register, is
 * answered with an HTML page, never a redirect (RFC 6749 §4.1.2.1). Then, redirected back to the
 * client with {@code error}, {@code state} and {@code iss}: {@code response_type} must be
 * {@code code}; PKCE is required, S256 only ({@code plain}, or no method, is refused); {@code resource}
 * is required, once, and must be one of the gateway's MCP endpoints ({@link McpResources};
 * otherwise {@code invalid_target}, RFC 8707). What was asked is then carried by a sealed
 * {@link SignInTickets.Pending} through the {@link Login} and the consent page. The scope granted is
 * the gateway's: {@code sign_in.scopes}, or {@code mcp} when none are configured.
 */
final class AuthorizeEndpoint implements Handler<RoutingContext> {
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final int MAX_STATE_CHARS = 1024;

  private final Clients clients;
  private final McpResources resources;
  private final SignInTickets tickets;
  private final Login login;
  private final String issuer;
  private final String scope;
  private final BiConsumer<String, String> events;

  AuthorizeEndpoint(Clients clients, McpResources resources, SignInTickets tickets, Login login, String issuer, List<String> scopes,
      BiConsumer<String, String> events) {
    this.clients = clients;
    this.resources = resources;
    this.tickets = tickets;
    this.login = login;
    this.issuer = issuer;
    this.scope = String.join(" ", scopes);
    this.events = events;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Map<String, String> p;
    try {
      Map<String, List<String>> query = new HashMap<>();
      for (String name : ctx.queryParams().names()) query.put(name, ctx.queryParams().getAll(name));
      p = OAuthReplies.single(query);
    } catch (OAuthReplies.Failure failure) {
      page(ctx, failure.getMessage());
      return;
    }
    clients.find(p.get("client_id")).onComplete(found -> {
      if (found.failed()) {
        events.accept("authorize", "temporarily_unavailable");
        SignInPages.problem(ctx, 503, "Unavailable", "The gateway cannot read its clients now. Try again in a moment.", null);
        return;
      }
      SignInClient client = found.result().orElse(null);
      if (client == null) {
        page(ctx, "This application (client_id) is not registered with this gateway. Ask it to register again.");
        return;
      }
      String redirectUri = redirectUri(client, p.get("redirect_uri"));
      if (redirectUri == null) {
        page(ctx, "The redirect_uri is not one this application registered.");
        return;
      }
      authorize(ctx, p, client, redirectUri);
    });
  }

  private void authorize(RoutingContext ctx, Map<String, String> p, SignInClient client, String redirectUri) {
    String state = p.get("state");
    if (state != null && state.length() > MAX_STATE_CHARS) {
      refuse(ctx, redirectUri, null, "invalid_request", "state is longer than " + MAX_STATE_CHARS + " characters");
      return;
    }
    String problem = null;
    String error = "invalid_request";
    if (!"code".equals(p.get("response_type"))) {
      error = "unsupported_response_type";
      problem = "response_type must be code";
    } else if (p.get("code_challenge") == null) {
      problem = "PKCE is required: send code_challenge with code_challenge_method S256";
    } else if (!"S256".equals(p.get("code_challenge_method"))) {
      problem = "code_challenge_method must be S256 (plain is not accepted)";
    } else if (!CHALLENGE.matcher(p.get("code_challenge")).matches()) {
      problem = "code_challenge must be the base64url SHA-256 of the verifier (43 characters)";
    } else if (p.get("resource") == null) {
      error = "invalid_target";
      problem = "resource is required: the URL of the gateway's MCP endpoint the token is for";
    }
    if (problem != null) {
      refuse(ctx, redirectUri, state, error, problem);
      return;
    }
    String resource = p.get("resource");
    resources.isEndpoint(resource).onComplete(checked -> {
      if (checked.failed()) {
        refuse(ctx, redirectUri, state, "temporarily_unavailable", "the gateway cannot check the resource now");
      } else if (!checked.result()) {
        refuse(ctx, redirectUri, state, "invalid_target", "resource is not one of this gateway's MCP endpoints");
      } else {
        events.accept("authorize", "ok");
        String name = client.name() == null || client.name().isBlank() ? client.id() : client.name();
        login.begin(ctx, tickets.start(ctx, client.id(), name, redirectUri, state, p.get("code_challenge"), resource, scope));
      }
    });
  }

  /** The registered redirect URI the request names (a loopback one on any port), or the only one when it names none; else null. */
  private static String redirectUri(SignInClient client, String requested) {
    if (requested == null) return client.redirectUris().size() == 1 ? client.redirectUris().get(0) : null;
    return client.redirectUris().stream().anyMatch(registered -> RedirectUris.matches(registered, requested)) ? requested : null;
  }

  private void refuse(RoutingContext ctx, String redirectUri, String state, String error, String description) {
    events.accept("authorize", error);
    ctx.response().setStatusCode(302).putHeader("Location", ClientRedirect.error(redirectUri, issuer, state, error, description))
        .putHeader("Cache-Control", "no-store").end();
  }

  private void page(RoutingContext ctx, String message) {
    events.accept("authorize", "invalid_request");
    SignInPages.problem(ctx, 400, "Sign-in refused", message, null);
  }
}
