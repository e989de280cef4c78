package dev.mcpgateway.authserver;

import static dev.mcpgateway.security.HtmlEscape.text;

import dev.mcpgateway.security.TokenHash;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Base64;

/**
 * The built-in authorization server's browser pages: the local login form, the consent page and
 * the page that says why a sign-in stopped. Plain server-rendered HTML, no script; the one
 * stylesheet is inline and allowed by its hash, so the Content-Security-Policy forbids everything
 * else, and forms post only to the gateway — the consent form also to its client's redirect URI's
 * origin, where the approval's redirect goes (browsers check a form's redirects against
 * {@code form-action} too). Every text that came from a client, an IdP or a URL is escaped.
 */
final class SignInPages {
  private static final String STYLE = "body{font:15px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:30rem;padding:0 1rem;color:#1d1d1f}"
      + "label{display:block;margin-top:1rem}input{width:100%;padding:.45rem;box-sizing:border-box;font:inherit}"
      + "button{font:inherit;margin-top:1.2rem;margin-right:.6rem;padding:.45rem 1.4rem;cursor:pointer}"
      + ".error{color:#b00020;border:1px solid #b00020;padding:.5rem}code{color:#555;overflow-wrap:anywhere}.note{color:#555}";
  private static final String STYLE_SOURCE = "'sha256-" + Base64.getEncoder().encodeToString(TokenHash.sha256(STYLE)) + "'";

  private SignInPages() {}

  /** The local users' login form, posting {@code ticket} with the credentials; {@code error} shown as an alert. */
  static void login(RoutingContext ctx, int status, String clientName, String ticket, String username, String error) {
    StringBuilder html = head("Sign in").append("<h1>Sign in</h1><p>Sign in to continue to <strong>").append(text(clientName)).append("</strong>.</p>");
    if (error != null) html.append("<p class=\"error\" role=\"alert\">").append(text(error)).append("</p>");
    html.append("<form id=\"login\" method=\"post\" action=\"").append(AuthServer.LOGIN_PATH).append("\">")
        .append(hidden("ticket", ticket))
        .append("<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" autofocus value=\"")
        .append(text(username == null ? "" : username)).append("\">")
        .append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">")
        .append("<button type=\"submit\">Sign in</button></form>");
    send(ctx, status, html, null);
  }

  /** The consent page: who, which client, which MCP endpoint, where the answer goes; Approve or Deny post {@code ticket} back. */
  static void consent(RoutingContext ctx, SignInTickets.Pending pending, String ticket) {
    String who = pending.user().email() != null ? pending.user().email() : pending.user().subject();
    StringBuilder html = head("Allow access").append("<h1>Allow access?</h1><p>Signed in as <strong>").append(text(who)).append("</strong>.</p>")
        .append("<p><strong>").append(text(pending.clientName())).append("</strong>").append(vouchedBy(pending.clientId()))
        .append(" asks to use the MCP server <code>")
        .append(text(pending.resource())).append("</code> as you")
        .append(pending.scope() == null || pending.scope().isEmpty() ? "" : " (scope <code>" + text(pending.scope()) + "</code>)")
        .append(".</p><p class=\"note\">Approving sends you back to <code>").append(text(pending.redirectUri())).append("</code>.</p>")
        .append("<form id=\"consent\" method=\"post\" action=\"").append(AuthServer.CONSENT_PATH).append("\">").append(hidden("ticket", ticket))
        .append("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>")
        .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>");
    send(ctx, 200, html, formTarget(pending.redirectUri()));
  }

  /**
   * A client named by its metadata document's URL names itself: the page says whose site vouches
   * for that name, so "Claude" served from elsewhere does not pass for Claude.
   */
  private static String vouchedBy(String clientId) {
    if (!ClientMetadataDocuments.isDocumentUrl(clientId)) return "";
    return " (<code>" + text(java.net.URI.create(clientId).getHost()) + "</code>)";
  }

  /** Why the sign-in stopped; {@code back}, when the client can be told, a link returning the error to it. */
  static void problem(RoutingContext ctx, int status, String title, String message, String back) {
    StringBuilder html = head(title).append("<h1>").append(text(title)).append("</h1><p role=\"alert\">").append(text(message)).append("</p>");
    if (back != null) html.append("<p><a rel=\"noreferrer\" href=\"").append(text(back)).append("\">Return to the application</a></p>");
    send(ctx, status, html, null);
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + text(value) + "\">";
  }

  private static StringBuilder head(String title) {
    return new StringBuilder(4096).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">")
        .append("<title>").append(text(title)).append(" — mcp-gateway</title><style>").append(STYLE).append("</style></head><body><main>");
  }

  /** The CSP source for where an approved form's redirect goes: an http(s) origin, or a private-use scheme ({@code cursor:}). */
  static String formTarget(String redirectUri) {
    try {
      URI uri = URI.create(redirectUri);
      String source = uri.getScheme().equals("http") || uri.getScheme().equals("https")
          ? uri.getScheme() + "://" + uri.getRawAuthority() : uri.getScheme() + ":";
      // a CSP source list is space- and semicolon-delimited: anything but plain URI characters is left out
      return source.matches("[A-Za-z0-9+.:/\\[\\]-]+") ? source : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void send(RoutingContext ctx, int status, StringBuilder html, String formTarget) {
    String csp = "default-src 'none'; style-src " + STYLE_SOURCE + "; form-action 'self'" + (formTarget == null ? "" : " " + formTarget)
        + "; frame-ancestors 'none'; base-uri 'none'";
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", csp)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .end(html.append("</main></body></html>").toString());
  }
}
