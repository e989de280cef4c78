package dev.mcpgateway.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A local user's password as configured: never the password, only a hash the JDK computes.
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>} (PBKDF2WithHmacSHA256, what
 * {@code mint-password} prints), or {@code sha256$<hex>} (a plain SHA-256 — for throwaway
 * bootstrap users only). Checked in constant time; PBKDF2 costs real CPU, so callers check on a
 * worker thread, never an event loop.
 */
public final class PasswordHash {
  public static final int ITERATIONS = 600_000;
  private static final String PBKDF2 = "pbkdf2-sha256";
  private static final String SHA256 = "sha256";

  private final String scheme;
  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(String scheme, int iterations, byte[] salt, byte[] hash) {
    this.scheme = scheme;
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** Parses a configured hash; {@link IllegalArgumentException} (not echoing it) when it has neither form. */
  public static PasswordHash parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("\\$");
    try {
      if (parts.length == 4 && parts[0].equals(PBKDF2)) {
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] hash = Base64.getDecoder().decode(parts[3]);
        if (iterations >= 1 && salt.length >= 8 && hash.length >= 16) return new PasswordHash(PBKDF2, iterations, salt, hash);
      } else if (parts.length == 2 && parts[0].equals(SHA256) && parts[1].length() == 64) {
        return new PasswordHash(SHA256, 0, null, HexFormat.of().parseHex(parts[1].toLowerCase(java.util.Locale.ROOT)));
      }
    } catch (IllegalArgumentException malformed) {
      // answered below, without the text
    }
    throw new IllegalArgumentException("a password hash is pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash> or sha256$<hex>");
  }

  /** A new PBKDF2 hash of {@code password} with a random salt (blocking: CPU-bound). */
  public static String pbkdf2(String password, int iterations, SecureRandom random) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return PBKDF2 + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
        + Base64.getEncoder().encodeToString(derive(password, salt, iterations, 32));
  }

  /** Whether {@code password} is the one hashed (blocking: CPU-bound for PBKDF2). */
  public boolean matches(String password) {
    if (password == null) return false;
    byte[] given = scheme.equals(SHA256) ? TokenHash.sha256(password) : derive(password, salt, iterations, hash.length);
    return MessageDigest.isEqual(given, hash);
  }

  private static byte[] derive(String password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public String toString() {
    return "PasswordHash[" + scheme + ", redacted]";
  }
}
