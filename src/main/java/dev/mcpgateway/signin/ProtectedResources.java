package dev.mcpgateway.signin;

import dev.mcpgateway.config.SignInSettings;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The MCP endpoints as OAuth protected resources (RFC 9728, as the MCP authorization specification
 * uses it): each endpoint's canonical URL is its resource — what RFC 8707's {@code resource}
 * parameter names and its tokens' {@code aud} must hold — and its metadata is served at the
 * well-known path inserted before the endpoint's path, naming the authorization server and scopes.
 * A portal at its own hostname is {@code <scheme>://<that host>/mcp}; every other endpoint is under
 * {@code oauth.public_base_url}.
 */
public final class ProtectedResources {
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
  /** The MCP routes: a server, a portal by path, a portal at its own hostname. */
  private static final Pattern MCP_PATH = Pattern.compile("/mcp(/[A-Za-z0-9_-]{1,64}/[A-Za-z0-9_-]{1,64}|/[A-Za-z0-9_-]{1,64}/portals/[A-Za-z0-9_-]{1,64})?");

  private final SignInSettings settings;
  private final String publicBaseUrl;
  private final String scheme;

  public ProtectedResources(SignInSettings settings, String publicBaseUrl) {
    this.settings = settings;
    this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
    this.scheme = URI.create(this.publicBaseUrl).getScheme();
  }

  /** The canonical URL of the MCP endpoint {@code request} reached. */
  public String resource(HttpServerRequest request) {
    return resource(request.path(), request.authority() == null ? null : request.authority().toString());
  }

  private String resource(String path, String authority) {
    if (path.equals("/mcp") && authority != null) return scheme + "://" + authority + path;
    return publicBaseUrl + path;
  }

  /** Whether {@code path} is an MCP endpoint's: a server's, a portal's by path, or {@code /mcp} (a portal at its own hostname). */
  public static boolean isMcpPath(String path) {
    return MCP_PATH.matcher(path).matches();
  }

  /** Where {@code resource}'s metadata is: the well-known path inserted between its origin and its path. */
  public static String metadataUrl(String resource) {
    URI uri = URI.create(resource);
    return uri.getScheme() + "://" + uri.getRawAuthority() + WELL_KNOWN + uri.getRawPath();
  }

  /** {@code GET /.well-known/oauth-protected-resource/mcp/...}: public, cacheable, readable from any origin (browser-based clients). */
  public void mount(Router router) {
    router.get(WELL_KNOWN + "/*").handler(this::metadata);
  }

  private void metadata(RoutingContext ctx) {
    String path = ctx.request().path().substring(WELL_KNOWN.length());
    if (!settings.enabled() || !MCP_PATH.matcher(path).matches()) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "not_found").put("error_description", "no protected resource here").encode());
      return;
    }
    JsonObject metadata = new JsonObject()
        .put("resource", resource(path, ctx.request().authority() == null ? null : ctx.request().authority().toString()))
        .put("authorization_servers", new JsonArray().add(settings.issuer()))
        .put("bearer_methods_supported", new JsonArray().add("header"))
        .put("resource_name", "mcp-gateway");
    if (!settings.scopes().isEmpty()) metadata.put("scopes_supported", new JsonArray(settings.scopes()));
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "public, max-age=300")
        .putHeader("Access-Control-Allow-Origin", "*").end(metadata.encode());
  }
}
