package dev.mcpgateway.admin;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which upstream URLs an admin may register. Hostnames are admin input that the gateway will
 * connect to, so: absolute http/https only, a host, no user-info (credentials belong in
 * {@code auth_credentials}, and the hostname is returned in responses), no fragment, and no
 * link-local or cloud-metadata address unless configured otherwise. Only literal addresses are
 * judged here (no DNS at validation time); connect-time checks belong to the upstream client.
 */
public final class HostnamePolicy {
  public static final int MAX_LENGTH = 2048;
  private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog");
  /** fd00:ec2::254, the IPv6 address of AWS's instance metadata service. */
  private static final byte[] AWS_IPV6_METADATA = NetUtil.createByteArrayFromIpAddressString("fd00:ec2::254");
  /** 100.100.100.200, Alibaba Cloud's metadata service (outside the link-local range). */
  private static final byte[] ALIBABA_METADATA = {100, 100, 100, (byte) 200};
  private static final byte[] NAT64_PREFIX = Arrays.copyOf(NetUtil.createByteArrayFromIpAddressString("64:ff9b::"), 12);

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
    if (!allowLinkLocal && isLinkLocalOrMetadata(uri.getHost())) {
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

  static boolean isLinkLocalOrMetadata(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    String name = bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
    if (METADATA_HOSTS.contains(name.toLowerCase(Locale.ROOT))) return true;
    byte[] address = NetUtil.createByteArrayFromIpAddressString(name);
    if (address == null) return false;
    if (address.length == 16 && Arrays.equals(address, AWS_IPV6_METADATA)) return true;
    if (address.length == 16 && embedsIpv4(address)) address = Arrays.copyOfRange(address, 12, 16);
    if (address.length == 4) {
      return (address[0] & 0xff) == 169 && (address[1] & 0xff) == 254 || Arrays.equals(address, ALIBABA_METADATA);
    }
    return (address[0] & 0xff) == 0xfe && (address[1] & 0xc0) == 0x80;
  }

  /** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms. */
  private static boolean embedsIpv4(byte[] a) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) zeroPrefix &= a[i] == 0;
    if (zeroPrefix && ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff || a[10] == 0 && a[11] == 0)) return true;
    return Arrays.equals(Arrays.copyOfRange(a, 0, 12), NAT64_PREFIX);
  }
}
