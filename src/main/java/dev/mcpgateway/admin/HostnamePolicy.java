package dev.mcpgateway.admin;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
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
    if (uri.getRawFragment() != null) return Optional.of("must not contain a fragment");
    if (!allowLinkLocal && isLinkLocalOrMetadata(uri.getHost())) {
      return Optional.of("points at a link-local or cloud metadata address, which is not allowed");
    }
    return Optional.empty();
  }

  private static boolean isLinkLocalOrMetadata(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (METADATA_HOSTS.contains(bare.toLowerCase(Locale.ROOT))) return true;
    byte[] address = NetUtil.createByteArrayFromIpAddressString(bare);
    if (address == null) return false;
    if (address.length == 16 && isIpv4Mapped(address)) {
      address = new byte[] {address[12], address[13], address[14], address[15]};
    }
    if (address.length == 4) return (address[0] & 0xff) == 169 && (address[1] & 0xff) == 254;
    return (address[0] & 0xff) == 0xfe && (address[1] & 0xc0) == 0x80
        || (address[0] & 0xff) == 0xfd && (address[1] & 0xff) == 0x00 && isAwsIpv6Metadata(address);
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
    return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
  }

  /** fd00:ec2::254, the IPv6 address of AWS's instance metadata service. */
  private static boolean isAwsIpv6Metadata(byte[] a) {
    byte[] metadata = NetUtil.createByteArrayFromIpAddressString("fd00:ec2::254");
    return java.util.Arrays.equals(a, metadata);
  }
}
