package dev.mcpgateway.model;

/**
 * A secret as stored: the AES-GCM ciphertext produced by {@code security.SecretCipher}, never the
 * plaintext. A distinct type so that a plaintext credential cannot be stored by mistake, and a
 * {@link #toString()} that prints nothing useful so it cannot leak into a log line either.
 */
public record SealedSecret(String ciphertext) {

  public SealedSecret {
    if (ciphertext == null || ciphertext.isEmpty()) throw new IllegalArgumentException("empty sealed secret");
  }

  @Override
  public String toString() {
    return "SealedSecret[redacted]";
  }
}
