package dev.mcpgateway.upstream.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** PKCE (RFC 7636) with S256 only: a 43-character verifier of 32 random bytes and its SHA-256 challenge. */
public final class Pkce {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Pkce() {}

  public static String verifier() {
    return random(32);
  }

  public static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** base64url of {@code bytes} random bytes, no padding: verifiers and state nonces. */
  public static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
