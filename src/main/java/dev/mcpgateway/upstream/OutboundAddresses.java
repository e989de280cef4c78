package dev.mcpgateway.upstream;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses the gateway refuses to connect to on an admin's say-so: link-local and cloud
 * metadata addresses always (unless allowed by configuration), private and loopback ranges when
 * configured. Judged on the hostname when the admin registers it, and again on the resolved
 * address at every connection, so DNS that changes its answer (rebinding) gains nothing.
 */
public final class OutboundAddresses {
  private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog");
  /** fd00:ec2::254, the IPv6 address of AWS's instance metadata service. */
  private static final byte[] AWS_IPV6_METADATA = NetUtil.createByteArrayFromIpAddressString("fd00:ec2::254");
  /** 100.100.100.200, Alibaba Cloud's metadata service (outside the link-local range). */
  private static final byte[] ALIBABA_METADATA = {100, 100, 100, (byte) 200};
  private static final byte[] NAT64_PREFIX = Arrays.copyOf(NetUtil.createByteArrayFromIpAddressString("64:ff9b::"), 12);

  private OutboundAddresses() {}

  /** A metadata host name, or a literal address in a link-local or metadata range (any spelling of IPv4 in IPv6). */
  public static boolean isLinkLocalOrMetadata(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    String name = bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
    if (METADATA_HOSTS.contains(name.toLowerCase(Locale.ROOT))) return true;
    byte[] address = NetUtil.createByteArrayFromIpAddressString(name);
    return address != null && isLinkLocalOrMetadata(address);
  }

  public static boolean isLinkLocalOrMetadata(InetAddress address) {
    return isLinkLocalOrMetadata(address.getAddress());
  }

  /** Loopback, RFC 1918 / unique-local, CGNAT and unspecified addresses. */
  public static boolean isPrivateOrLoopback(InetAddress address) {
    byte[] a = ipv4View(address.getAddress());
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isAnyLocalAddress()) return true;
    if (a.length == 4) {
      int b0 = a[0] & 0xff;
      int b1 = a[1] & 0xff;
      return b0 == 127 || b0 == 10 || b0 == 0 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)
          || (b0 == 100 && b1 >= 64 && b1 <= 127);
    }
    return (a[0] & 0xfe) == 0xfc; // fc00::/7
  }

  private static boolean isLinkLocalOrMetadata(byte[] raw) {
    if (raw.length == 16 && Arrays.equals(raw, AWS_IPV6_METADATA)) return true;
    byte[] address = ipv4View(raw);
    if (address.length == 4) {
      return (address[0] & 0xff) == 169 && (address[1] & 0xff) == 254 || Arrays.equals(address, ALIBABA_METADATA);
    }
    return (address[0] & 0xff) == 0xfe && (address[1] & 0xc0) == 0x80;
  }

  /** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms as IPv4. */
  private static byte[] ipv4View(byte[] a) {
    if (a.length != 16) return a;
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) zeroPrefix &= a[i] == 0;
    boolean embeds = zeroPrefix && ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff || a[10] == 0 && a[11] == 0 && !allZero(a))
        || Arrays.equals(Arrays.copyOfRange(a, 0, 12), NAT64_PREFIX);
    return embeds ? Arrays.copyOfRange(a, 12, 16) : a;
  }

  private static boolean allZero(byte[] a) {
    for (byte b : a) if (b != 0) return false;
    return true;
  }
}
