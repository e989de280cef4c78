package dev.mcpgateway.proxy.http;

import dev.mcpgateway.mcp.McpProtocol;
import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection, on by default (the 2025-11-25 transport: servers MUST validate
 * {@code Origin}). A request with a browser {@code Origin} is refused (403) unless the origin is
 * allowed: with {@code proxy.allowed_origins} configured, exactly those; without, the gateway's own
 * origin ({@code oauth.public_base_url}), a loopback origin when the request itself came over
 * loopback (a local tool such as the MCP Inspector), and on a portal's own hostname that
 * hostname's origin. A gateway bound to loopback also refuses a {@code Host} that is neither a
 * loopback name nor its public URL's host: a rebound name reaches it with the attacker's
 * {@code Host}. (A portal's hostname route needs no such check: only registered hostnames
 * resolve there.) Requests without {@code Origin} (agents that are not browsers) pass.
 */
public final class OriginCheck implements Handler<RoutingContext> {
  /** What is allowed: configured origins (empty: the defaults above), the gateway's own origin and host, how it is bound. */
  public record Policy(Set<String> configured, String ownOrigin, String ownHost, boolean loopbackBound) {
    public Policy {
      configured = Set.copyOf(configured);
    }

    public static Policy of(Set<String> configured, String publicBaseUrl, boolean loopbackBound) {
      String origin = normalize(publicBaseUrl);
      String host = origin == null ? null : URI.create(origin).getHost();
      return new Policy(configured, origin, host, loopbackBound);
    }
  }

  private final Policy policy;
  private final boolean portalHost;

  /** {@code portalHost}: the route of portals by hostname, where the {@code Host} names the portal. */
  public OriginCheck(Policy policy, boolean portalHost) {
    this.policy = policy;
    this.portalHost = portalHost;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? null : bare(authority.host());
    if (!portalHost && policy.loopbackBound() && !(isLoopbackName(host) || (host != null && host.equals(policy.ownHost())))) {
      refuse(ctx, "host not allowed: this gateway listens on loopback and answers loopback names and its public URL's host only");
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !allowed(origin, host, ctx.request().localAddress())) {
      refuse(ctx, "origin not allowed");
      return;
    }
    ctx.next();
  }

  private boolean allowed(String origin, String host, SocketAddress local) {
    if (!policy.configured().isEmpty()) return policy.configured().contains(origin);
    String normalized = normalize(origin);
    if (normalized == null) return false; // "null" (sandboxed frames, files) and anything that is not an origin
    if (normalized.equals(policy.ownOrigin())) return true;
    String originHost = URI.create(normalized).getHost();
    if (isLoopbackName(originHost) && local != null && isLoopbackAddress(local.hostAddress())) return true;
    return portalHost && originHost.equals(host);
  }

  private static void refuse(RoutingContext ctx, String message) {
    Exchange.of(ctx).outcome("rejected");
    McpReplies.error(ctx.response(), 403, null, McpProtocol.ErrorCodes.INVALID_REQUEST, message);
  }

  /** {@code scheme://host[:port]} lower-cased, the default port left out; null when {@code value} is not an http(s) origin. */
  static String normalize(String value) {
    if (value == null) return null;
    try {
      URI uri = new URI(value.trim());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) return null;
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  static boolean isLoopbackName(String host) {
    if (host == null) return false;
    String h = bare(host).toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || isLoopbackAddress(h);
  }

  private static boolean isLoopbackAddress(String address) {
    if (address == null) return false;
    String a = bare(address);
    return a.startsWith("127.") && a.chars().allMatch(c -> c == '.' || Character.isDigit(c)) || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
  }

  private static String bare(String host) {
    return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
