package dev.mcpgateway.support;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.net.URI;

/**
 * A user's browser in the upstream OAuth flows against {@code test-peers/oauth-server.mjs}: opens
 * the gateway's authorization link, logs in at the authorization server as a given user, and
 * follows the redirects back to the gateway's callback.
 *
 * @param gateway a client of the gateway under test
 * @param web a client for the authorization server (no redirects followed)
 * @param callback the redirect URI the authorization server sends the browser back to
 */
public record OAuthBrowser(WebClient gateway, WebClient web, String callback) {

  /** The user opens the gateway link, is sent to the authorization server, logs in as {@code user}, and comes back. */
  public void authorizeAs(String link, String user) {
    assertEquals(200, authorizeAs(link, user, true).statusCode());
  }

  /** With {@code sameBrowser} false the callback arrives from a browser without the cookie the link set. */
  public HttpResponse<Buffer> authorizeAs(String link, String user, boolean sameBrowser) {
    URI uri = URI.create(link);
    WebClientSession gatewayBrowser = WebClientSession.create(gateway);
    HttpResponse<Buffer> start = result(gatewayBrowser.get(uri.getRawPath() + "?" + uri.getRawQuery()).followRedirects(false).send());
    assertEquals(302, start.statusCode(), start.bodyAsString());
    assertTrue(start.cookies().stream().anyMatch(c -> c.startsWith("mcpgw_oauth=") && c.toLowerCase(java.util.Locale.ROOT).contains("httponly")),
        start.cookies().toString());
    String back = browse(URI.create(start.getHeader("Location")), user);
    return result((sameBrowser ? gatewayBrowser.get(back) : gateway.get(back)).send());
  }

  /** A browser at the authorization server: keeps cookies, logs in as {@code user}, follows redirects back to the gateway. */
  public String browse(URI start, String user) {
    WebClientSession browser = WebClientSession.create(web);
    URI at = start;
    for (int hop = 0; hop < 10; hop++) {
      HttpResponse<Buffer> answer = result(browser.getAbs(at.toString()).send());
      String location = answer.getHeader("Location");
      assertNotNull(location, "hop " + hop + ": HTTP " + answer.statusCode() + " " + answer.bodyAsString());
      URI next = at.resolve(location);
      if (next.toString().startsWith(callback)) return next.getRawPath() + "?" + next.getRawQuery();
      if (next.getPath().startsWith("/interaction/")) next = URI.create(next + (next.getRawQuery() == null ? "?" : "&") + "as_user=" + user);
      at = next;
    }
    throw new AssertionError("no way back to the gateway");
  }
}
