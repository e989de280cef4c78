package dev.mcpgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A service token's generated parts, in Cloudflare's shapes: the client id {@code <32 hex>.access}
 * (128 random bits) and the client secret, 64 hex digits (256 random bits). A secret that random
 * needs no slow hash: its SHA-256 is all that is kept ({@link TokenHash}), and a presented secret
 * is compared by hash in constant time.
 */
public final class ServiceTokenSecrets {
  public static final Pattern CLIENT_ID = Pattern.compile("[0-9a-f]{32}\\.access");
  /** Longer presented secrets are refused unread (ours are 64 characters). */
  public static final int MAX_SECRET_CHARS = 256;
  private static final HexFormat HEX = HexFormat.of();

  private final SecureRandom random;

  public ServiceTokenSecrets(SecureRandom random) {
    this.random = random;
  }

  public String newClientId() {
    return hex(16) + ".access";
  }

  public String newSecret() {
    return hex(32);
  }

  /** Whether {@code presented} hashes to {@code sha256Hex}, in time independent of where they differ. */
  public static boolean matches(String presented, String sha256Hex) {
    if (presented == null || sha256Hex == null) return false;
    byte[] expected = TokenHash.sha256Hex(presented).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, sha256Hex.getBytes(StandardCharsets.US_ASCII));
  }

  private String hex(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HEX.formatHex(value);
  }
}
