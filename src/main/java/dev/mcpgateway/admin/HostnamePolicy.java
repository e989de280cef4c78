package dev.mcpgateway.admin;

import dev.mcpgateway.upstream.OutboundAddresses;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which upstream URLs an admin may register. Hostnames are admin input that the gateway will
 * connect to, so: absolute http/https only, a host, no user-info (credentials belong in
 * {@code auth_credentials}, and the hostname is returned in responses), no fragment, and no
 * link-local or cloud-metadata address unless configured otherwise. Only literal addresses are
 * judged here (no DNS at validation time); connect-time checks belong to the upstream client.
 */
public final class HostnamePolicy {
  public static final int MAX_LENGTH = 2048;

  private final boolean allowLinkLocal;

  public HostnamePolicy(boolean allowLinkLocal) {
    this.allowLinkLocal = allowLinkLocal;
  }

  /** Empty when acceptable, else the problem in a few words. */
  public Optional<String> problem(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return Optional.of("must be an absolute http or https URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      return Optional.of("must be an absolute http or https URI");
    }
    if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("must name a host");
    }
    if (uri.getRawUserInfo() != null) return Optional.of("must not contain user info; put credentials in auth_credentials");
    if (uri.getPort() == 0 || uri.getPort() > 65535) return Optional.of("has a port outside 1-65535");
    if (looksNumeric(uri.getHost()) && NetUtil.createByteArrayFromIpAddressString(uri.getHost()) == null) {
      // 2852039166, 0251.254.169.254, 0xa9.254... are IPv4 addresses to some resolvers: refuse
      // every numeric host that is not a plain dotted quad instead of guessing how it resolves
      return Optional.of("has a numeric host that is not a dotted-quad IPv4 address");
    }
    if (uri.getRawFragment() != null) return Optional.of("must not contain a fragment");
    if (!allowLinkLocal && OutboundAddresses.isLinkLocalOrMetadata(uri.getHost())) {
      return Optional.of("points at a link-local or cloud metadata address, which is not allowed");
    }
    return Optional.empty();
  }

  /** The WHATWG URL rule: a host whose last label is numeric (or hex) is meant as an IPv4 address. */
  private static boolean looksNumeric(String host) {
    String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = trimmed.substring(trimmed.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return !last.isEmpty() && (last.chars().allMatch(Character::isDigit) || last.matches("0x[0-9a-f]*"));
  }


}
