package dev.mcpgateway.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A signing key of the built-in authorization server: its {@code kid}, the public JWK it publishes
 * (RSA, RS256), its private key (PKCS#8, sealed with the gateway's secret key: any replica on the
 * same store and key signs with it, nothing else can) and when it was made — which decides when it
 * starts signing and when it may go (see {@code authserver.KeyRing}).
 */
public record SignInKey(String kid, JsonObject publicJwk, SealedSecret privateKey, Instant createdAt) {

  public JsonObject toJson() {
    return new JsonObject().put("kid", kid).put("public_jwk", publicJwk).put("private_key_sealed", privateKey.ciphertext())
        .put("created_at", createdAt.toString());
  }

  public static SignInKey fromJson(JsonObject json) {
    return new SignInKey(json.getString("kid"), json.getJsonObject("public_jwk"), new SealedSecret(json.getString("private_key_sealed")),
        Instant.parse(json.getString("created_at")));
  }

  @Override
  public String toString() {
    return "SignInKey[" + kid + ", " + createdAt + "]";
  }
}
