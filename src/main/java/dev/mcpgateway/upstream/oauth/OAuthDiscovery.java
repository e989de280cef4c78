package dev.mcpgateway.upstream.oauth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Discovery as the MCP authorization specification (2025-06-18, 2025-11-25) orders it: an
 * unauthenticated request to the MCP endpoint; its 401's {@code WWW-Authenticate} names the
 * Protected Resource Metadata (RFC 9728) and maybe the scope, else the well-known URIs are tried
 * (path-inserted, then root); the metadata names the authorization server, whose metadata is
 * fetched from the RFC 8414 and OpenID Connect well-known URIs in the specification's order.
 */
public final class OAuthDiscovery {
  private final OAuthHttp http;

  public OAuthDiscovery(OAuthHttp http) {
    this.http = http;
  }

  /** The outcome: the resource indicator to request tokens for, the scope to ask, and the authorization server. */
  public record Discovered(String resource, String scope, AuthorizationServer server) {}

  public Future<Discovered> discover(String mcpUrl) {
    JsonObject probe = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "mcp-gateway").put("version", "0.1.0")));
    return http.probe(mcpUrl, probe).compose(answer -> {
      WwwAuthenticate challenge = answer.status() == 401 || answer.status() == 403
          ? WwwAuthenticate.bearer(answer.headers().getAll("WWW-Authenticate")).orElse(null) : null;
      List<String> candidates = new ArrayList<>();
      if (challenge != null) challenge.param("resource_metadata").ifPresent(candidates::add);
      candidates.addAll(wellKnown(mcpUrl, "oauth-protected-resource"));
      String challengedScope = challenge == null ? null : challenge.param("scope").orElse(null);
      return first(candidates.stream().distinct().toList(), OAuthDiscovery::isResourceMetadata)
          .recover(none -> Future.failedFuture(new OAuthException(
              "the MCP server publishes no OAuth protected resource metadata (RFC 9728) at " + OAuthException.shown(mcpUrl), false)))
          .compose(metadata -> safely(() -> resource(mcpUrl, metadata)).compose(resource -> {
            String issuer = metadata.getJsonArray("authorization_servers").getString(0);
            String scope = challengedScope != null ? challengedScope : scopes(metadata.getValue("scopes_supported"));
            return authorizationServer(issuer).map(server -> new Discovered(resource, scope, server));
          }));
    });
  }

  /** RFC 8414 §3 and OpenID Connect Discovery, in the MCP specification's order; the metadata's issuer must be the one asked for. */
  public Future<AuthorizationServer> authorizationServer(String issuer) {
    URI uri;
    try {
      uri = URI.create(issuer);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new OAuthException("the authorization server's issuer is not a URL", false));
    }
    if (uri.getHost() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
      return Future.failedFuture(new OAuthException("the authorization server's issuer is not an http(s) URL", false));
    }
    String origin = origin(uri);
    String path = trimSlash(uri.getRawPath());
    List<String> candidates = path.isEmpty()
        ? List.of(origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration")
        : List.of(origin + "/.well-known/oauth-authorization-server" + path, origin + "/.well-known/openid-configuration" + path,
            origin + path + "/.well-known/openid-configuration");
    return first(candidates, json -> json.getString("authorization_endpoint") != null || json.getString("token_endpoint") != null)
        .recover(none -> Future.failedFuture(new OAuthException(
            "no authorization server metadata found for issuer " + OAuthException.shown(issuer), false)))
        .compose(json -> {
          AuthorizationServer server = AuthorizationServer.fromJson(json);
          if (server.issuer() == null || !trimSlash(server.issuer()).equals(trimSlash(issuer))) {
            return Future.failedFuture(new OAuthException("the authorization server metadata names another issuer", false));
          }
          if (server.tokenEndpoint() == null) return Future.failedFuture(new OAuthException("the authorization server has no token endpoint", false));
          for (String endpoint : java.util.Arrays.asList(server.issuer(), server.authorizationEndpoint(), server.tokenEndpoint(),
              server.registrationEndpoint(), server.revocationEndpoint())) {
            if (endpoint != null && !secure(endpoint)) {
              return Future.failedFuture(new OAuthException(
                  "the authorization server's metadata names an endpoint that is not https (plain http is accepted on loopback only)", false));
            }
          }
          return Future.succeededFuture(server);
        });
  }

  /**
   * The MCP authorization specification wants every authorization server endpoint on https; plain
   * http is accepted for loopback hosts only (development and tests). Anything else (another
   * scheme, no host) is refused.
   */
  static boolean secure(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null || uri.getScheme() == null) return false;
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("https")) return true;
      if (!scheme.equals("http")) return false;
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The first candidate URL that answers 200 with a JSON object passing {@code accept}. */
  private Future<JsonObject> first(List<String> urls, Function<JsonObject, Boolean> accept) {
    Future<JsonObject> chain = Future.failedFuture("none");
    for (String url : urls) {
      chain = chain.recover(previous -> http.get(url).compose(answer -> {
        JsonObject json = answer.status() == 200 ? answer.json() : null;
        return json != null && accept.apply(json) ? Future.succeededFuture(json) : Future.failedFuture("not here");
      }));
    }
    return chain;
  }

  /** Upstream-supplied values that do not parse are the upstream's error, not the gateway's. */
  private static <T> Future<T> safely(java.util.function.Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException malformed) {
      return Future.failedFuture(new OAuthException("the protected resource metadata is malformed", false));
    }
  }

  private static boolean isResourceMetadata(JsonObject json) {
    return json.getValue("authorization_servers") instanceof JsonArray servers && !servers.isEmpty()
        && servers.getValue(0) instanceof String;
  }

  /** RFC 9728 §7.3: the metadata's resource must be this MCP server (or a URL it lies under, as the SDKs accept). */
  private static Future<String> resource(String mcpUrl, JsonObject metadata) {
    String canonical = canonical(mcpUrl);
    String declared = metadata.getString("resource");
    if (declared == null) return Future.succeededFuture(canonical);
    String normalized = canonical(declared);
    URI a = URI.create(canonical);
    URI b = URI.create(normalized);
    boolean sameOrigin = origin(a).equals(origin(b));
    String pathA = a.getRawPath() == null ? "" : a.getRawPath();
    String pathB = trimSlash(b.getRawPath() == null ? "" : b.getRawPath());
    if (!sameOrigin || !(pathA.equals(pathB) || pathA.startsWith(pathB + "/") || pathB.isEmpty())) {
      return Future.failedFuture(new OAuthException("the protected resource metadata is for another resource", false));
    }
    return Future.succeededFuture(normalized);
  }

  /** The MCP server's canonical URI (RFC 8707 as the MCP spec uses it): lower-case scheme and host, no fragment. */
  public static String canonical(String url) {
    URI uri = URI.create(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.equals("/")) path = "";
    return origin(uri) + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  static List<String> wellKnown(String url, String suffix) {
    URI uri = URI.create(url);
    String origin = origin(uri);
    String path = trimSlash(uri.getRawPath() == null ? "" : uri.getRawPath());
    return path.isEmpty() ? List.of(origin + "/.well-known/" + suffix)
        : List.of(origin + "/.well-known/" + suffix + path, origin + "/.well-known/" + suffix);
  }

  static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String scopes(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) return null;
    return String.join(" ", array.stream().map(String::valueOf).toList());
  }
}
