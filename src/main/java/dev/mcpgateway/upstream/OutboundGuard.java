package dev.mcpgateway.upstream;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * Resolves an upstream's host itself, judges the address, and pins the request to exactly that
 * address ({@code RequestOptions.setServer}; the Host header, SNI and certificate check still use
 * the name). So the address checked is the address connected to: a DNS answer that changes
 * between a check and a connect (rebinding) cannot steer the gateway to a forbidden address.
 */
public final class OutboundGuard {
  /** {@code allowLinkLocal}: permit link-local/metadata addresses; {@code denyPrivate}: refuse private and loopback ones. */
  public record Policy(boolean allowLinkLocal, boolean denyPrivate) {}

  /** The address an upstream name resolved to is not one the gateway may connect to. */
  public static final class ForbiddenAddressException extends RuntimeException {
    public ForbiddenAddressException(String message) {
      super(message, null, false, false);
    }
  }

  private final Policy policy;
  private final Function<String, Future<InetAddress>> resolver;

  public OutboundGuard(Policy policy, Function<String, Future<InetAddress>> resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  /** With Vert.x's own non-blocking resolver (the one its HTTP client would use). */
  public static OutboundGuard create(Vertx vertx, Policy policy) {
    return new OutboundGuard(policy, host -> ((VertxInternal) vertx).nameResolver().resolve(host));
  }

  public Future<RequestOptions> pin(RequestOptions options) {
    String host = options.getHost();
    if (host == null) return Future.succeededFuture(options);
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    Future<InetAddress> address;
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(bare);
    if (literal != null) {
      try {
        address = Future.succeededFuture(InetAddress.getByAddress(bare, literal)); // no lookup for a literal
      } catch (UnknownHostException e) {
        return Future.failedFuture(e);
      }
    } else {
      address = resolver.apply(bare);
    }
    return address.compose(resolved -> {
      if (!policy.allowLinkLocal() && OutboundAddresses.isLinkLocalOrMetadata(resolved)) {
        return Future.failedFuture(new ForbiddenAddressException("the upstream host resolves to a link-local or metadata address"));
      }
      if (policy.denyPrivate() && OutboundAddresses.isPrivateOrLoopback(resolved)) {
        return Future.failedFuture(new ForbiddenAddressException("the upstream host resolves to a private or loopback address"));
      }
      int port = options.getPort() != null ? options.getPort() : Boolean.TRUE.equals(options.isSsl()) ? 443 : 80;
      return Future.succeededFuture(options.setServer(SocketAddress.inetSocketAddress(port, resolved.getHostAddress())));
    });
  }
}
