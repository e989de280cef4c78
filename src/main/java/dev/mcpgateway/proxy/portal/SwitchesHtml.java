package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.security.HtmlEscape;
import dev.mcpgateway.security.TokenHash;
import java.util.Base64;
import java.util.List;

/**
 * The switches page as HTML: plain server-rendered forms, no script. Its one stylesheet is inline
 * and allowed by its hash, so the page's {@link #CONTENT_SECURITY_POLICY} forbids everything else —
 * scripts, frames, images, other styles — and lets forms post only to the gateway itself. Every
 * text that came from an admin, an upstream or a URL is escaped.
 */
final class SwitchesHtml {
  /** A member's row: {@code name} null when the server cannot be read now. */
  record Row(String serverId, String name, String status, boolean on, String connectUrl) {}

  private static final String STYLE = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:46rem;padding:0 1rem;color:#1d1d1f}"
      + "table{border-collapse:collapse;width:100%}td,th{padding:.5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}"
      + "code{color:#555}.on{color:#0a7d32;font-weight:600}.off{color:#8a8a8a;font-weight:600}"
      + "button{font:inherit;padding:.25rem .75rem;cursor:pointer}a.connect{font-weight:600}.note{color:#555}";

  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-"
      + Base64.getEncoder().encodeToString(TokenHash.sha256(STYLE))
      + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private SwitchesHtml() {}

  /** The page: {@code action} is where its forms post (the page's own URL), {@code ticket} what they carry. */
  static String page(String portalName, String scope, List<Row> rows, String action, String ticket) {
    StringBuilder html = head(portalName + " — servers");
    html.append("<h1>").append(escape(portalName)).append("</h1>")
        .append("<p>Switch this portal's servers on or off for ").append(escape(scope)).append(". A server switched off is hidden from ")
        .append("your agent: its tools and prompts leave the agent's lists until you switch it back on. Nobody else is affected.</p>");
    if (rows.isEmpty()) {
      html.append("<p class=\"note\">This portal serves you no servers.</p>");
    } else {
      html.append("<table><thead><tr><th>Server</th><th>State</th><th></th><th></th></tr></thead><tbody>");
      for (Row row : rows) {
        html.append("<tr data-server=\"").append(escape(row.serverId())).append("\" data-state=\"").append(row.on() ? "on" : "off").append("\">")
            .append("<td><strong>").append(escape(row.name() == null ? row.serverId() : row.name())).append("</strong><br><code>")
            .append(escape(row.serverId())).append("</code>");
        if (row.name() == null) html.append("<br><span class=\"note\">unavailable now</span>");
        else if (row.status() != null && !row.status().equals("ready")) html.append("<br><span class=\"note\">").append(escape(row.status())).append("</span>");
        html.append("</td><td class=\"").append(row.on() ? "on\">On" : "off\">Off").append("</td><td>");
        form(html, action, ticket, row.serverId(), row.on() ? "off" : "on", row.on() ? "Switch off" : "Switch on");
        html.append("</td><td>");
        if (row.connectUrl() != null) {
          html.append("<a class=\"connect\" rel=\"noreferrer\" href=\"").append(escape(row.connectUrl())).append("\">Connect</a>");
        }
        html.append("</td></tr>");
      }
      html.append("</tbody></table><p>");
      form(html, action, ticket, null, "reset", "Switch all on");
      html.append("</p>");
    }
    html.append("<p class=\"note\">\"Connect\" signs you in to a server that acts on your behalf. This page works until its link expires; ")
        .append("ask your agent for a new one then.</p>");
    return html.append("</main></body></html>").toString();
  }

  /** A page saying why nothing happened. */
  static String problem(String title, String message) {
    return head(title).append("<h1>").append(escape(title)).append("</h1><p>").append(escape(message)).append("</p></main></body></html>")
        .toString();
  }

  private static StringBuilder head(String title) {
    return new StringBuilder(4096).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">")
        .append("<title>").append(escape(title)).append("</title><style>").append(STYLE).append("</style></head><body><main>");
  }

  private static void form(StringBuilder html, String action, String ticket, String serverId, String value, String label) {
    html.append("<form method=\"post\" action=\"").append(escape(action)).append("\">")
        .append("<input type=\"hidden\" name=\"ticket\" value=\"").append(escape(ticket)).append("\">");
    if (serverId != null) html.append("<input type=\"hidden\" name=\"server\" value=\"").append(escape(serverId)).append("\">");
    html.append("<button type=\"submit\" name=\"action\" value=\"").append(value).append("\">").append(label).append("</button></form>");
  }

  static String escape(String text) {
    return HtmlEscape.text(text);
  }
}
