package dev.mcpgateway.authserver;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * RS256 signing keys and compact JWS (RFC 7515) with the JDK's own RSA: key generation, PKCS#8 for
 * storage, the public JWK for the JWKS, and the signature over {@code header.payload}. Vert.x's
 * {@code JWTAuth.generateToken} would do the signature but always writes {@code typ: JWT}, and an
 * RFC 9068 access token says {@code typ: at+jwt}; only the compact serialization is done here.
 */
final class Jws {
  static final String ALGORITHM = "RS256";
  private static final int RSA_BITS = 2048;

  private Jws() {}

  /** A new RSA key pair (blocking: CPU-bound, tens of milliseconds). */
  static KeyPair newRsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(RSA_BITS);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA unavailable", e);
    }
  }

  static String pkcs8(PrivateKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  static PrivateKey privateKey(String pkcs8) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a stored signing key does not parse");
    }
  }

  /** The public half as a JWK: what the JWKS publishes and verifiers trust. */
  static JsonObject publicJwk(RSAPublicKey key, String kid) {
    return new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", ALGORITHM).put("kid", kid)
        .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
  }

  /** {@code base64url(header).base64url(claims).base64url(RS256 signature)}. */
  static String sign(JsonObject header, JsonObject claims, PrivateKey key) {
    String input = segment(header) + "." + segment(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RS256 signing failed", e);
    }
  }

  private static String segment(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
