package dev.mcpgateway.authserver;

import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.signin.ProtectedResources;
import dev.mcpgateway.store.PortalStore;
import io.vertx.core.Future;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code resource} (RFC 8707) the built-in authorization server issues tokens for: only this
 * gateway's MCP endpoints, by their canonical URLs as {@link ProtectedResources} names them — a
 * server ({@code <public base>/mcp/<account>/<server>}) or a portal by path
 * ({@code <public base>/mcp/<account>/portals/<portal>}) of an account signed-in users reach, or a
 * portal at its own hostname ({@code <scheme>://<portal hostname>/mcp}, a hostname some portal
 * has). A token is never minted for anything else.
 */
final class McpResources {
  private final String publicBaseUrl;
  private final String scheme;
  private final Set<String> accounts;
  private final PortalStore portals;

  McpResources(String publicBaseUrl, Set<String> accounts, PortalStore portals) {
    this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
    this.scheme = URI.create(this.publicBaseUrl).getScheme();
    this.accounts = accounts;
    this.portals = portals;
  }

  /** Whether {@code resource} is one of the gateway's MCP endpoints. */
  Future<Boolean> isEndpoint(String resource) {
    URI uri;
    try {
      uri = new URI(resource);
    } catch (java.net.URISyntaxException | NullPointerException e) {
      return Future.succeededFuture(false);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null || uri.getHost() == null) {
      return Future.succeededFuture(false);
    }
    String path = uri.getRawPath();
    if (resource.startsWith(publicBaseUrl + "/mcp/") && ProtectedResources.isMcpPath(path.substring(URI.create(publicBaseUrl).getRawPath().length()))) {
      String account = path.substring(path.indexOf("/mcp/") + 5).split("/")[0];
      return Future.succeededFuture(accounts.contains(ApiToken.ALL_ACCOUNTS) || accounts.contains(account));
    }
    if ("/mcp".equals(path) && scheme.equals(uri.getScheme())) {
      return portals.byHostname(uri.getHost().toLowerCase(Locale.ROOT))
          .map(portal -> portal.isPresent() && (accounts.contains(ApiToken.ALL_ACCOUNTS) || accounts.contains(portal.get().accountId())));
    }
    return Future.succeededFuture(false);
  }
}
