package dev.mcpgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a token, in lowercase hex: the only form in which API tokens are configured or kept. */
public final class TokenHash {
  private TokenHash() {}

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }
}
