package dev.mcpgateway.security;

import dev.mcpgateway.model.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest with AES-256-GCM.
 *
 * <p>Wire format of a sealed value: {@code v1.<base64url(nonce[12] || ciphertext || tag[16])>}.
 * The associated data binds the ciphertext to what it belongs to (e.g. account and server id), so
 * a sealed value copied onto another server does not open there.
 */
public final class SecretCipher {
  public static final int KEY_BYTES = 32;
  private static final String PREFIX = "v1.";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final SecureRandom random;

  public SecretCipher(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) throw new IllegalArgumentException("secret key must be " + KEY_BYTES + " bytes");
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.random = random;
  }

  /**
   * A cipher under a key derived for one purpose (HMAC-SHA256 of the purpose under this key), so
   * that one configured secret can serve several uses without one use's ciphertexts opening in
   * another.
   */
  public SecretCipher derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return new SecretCipher(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)), random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public SealedSecret seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return new SealedSecret(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Opens a sealed value; fails (without echoing any of it) when the key or associated data differ. */
  public String open(SealedSecret sealed, String associatedData) {
    String text = sealed.ciphertext();
    if (!text.startsWith(PREFIX)) throw new IllegalArgumentException("unknown sealed secret format");
    try {
      byte[] in = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
      if (in.length < NONCE_BYTES + TAG_BITS / 8) throw new IllegalArgumentException("sealed secret too short");
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("sealed secret cannot be opened with this key");
    }
  }
}
