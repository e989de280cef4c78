package dev.mcpgateway.signin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An authorization server reduced to what a resource server reads of it: RFC 8414 metadata and a
 * JWKS, served over real HTTP, with RSA keys that sign real JWTs — so that every way a token can
 * be wrong (expired, another audience, {@code alg: none}, a forged HMAC, an unknown key) can be
 * made. The node IdP ({@code test-peers/company-idp.mjs}) covers the real provider's tokens.
 */
final class TestIdp {
  record Key(String kid, KeyPair pair) {}

  final AtomicInteger jwksReads = new AtomicInteger();
  final List<Key> published = new ArrayList<>();
  volatile boolean down;
  private HttpServer server;
  String issuer;

  static Key newKey(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new Key(kid, generator.generateKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Future<TestIdp> start(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(request -> {
      if (down) {
        request.response().setStatusCode(503).end();
        return;
      }
      switch (request.path()) {
        case "/.well-known/oauth-authorization-server" -> request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("issuer", issuer).put("jwks_uri", issuer + "/jwks").encode());
        case "/jwks" -> {
          jwksReads.incrementAndGet();
          JsonArray keys = new JsonArray();
          synchronized (published) {
            for (Key key : published) keys.add(jwk(key));
          }
          request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("keys", keys).encode());
        }
        default -> request.response().setStatusCode(404).end();
      }
    });
    return server.listen(0, "127.0.0.1").map(s -> {
      issuer = "http://127.0.0.1:" + s.actualPort();
      return this;
    });
  }

  void publish(Key... keys) {
    synchronized (published) {
      published.clear();
      published.addAll(List.of(keys));
    }
  }

  private static JsonObject jwk(Key key) {
    RSAPublicKey publicKey = (RSAPublicKey) key.pair().getPublic();
    return new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", key.kid())
        .put("n", unsigned(publicKey.getModulus())).put("e", unsigned(publicKey.getPublicExponent()));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0) bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Claims of a good token for {@code resource}, valid for five minutes. */
  JsonObject claims(String sub, String resource) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", issuer).put("sub", sub).put("aud", resource).put("iat", now).put("exp", now + 300)
        .put("scope", "openid mcp").put("email", sub + "@example.com").put("groups", new JsonArray().add("eng")).put("jti", "j-" + now);
  }

  static String rs256(Key key, JsonObject claims) {
    String input = segment(new JsonObject().put("alg", "RS256").put("typ", "at+jwt").put("kid", key.kid())) + "." + segment(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key.pair().getPrivate());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The classic forgery: HS256 keyed with the published public key's bytes. */
  static String hs256WithPublicKey(Key key, JsonObject claims) {
    String input = segment(new JsonObject().put("alg", "HS256").put("kid", key.kid())) + "." + segment(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.pair().getPublic().getEncoded(), "HmacSHA256"));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String unsigned(JsonObject claims) {
    return segment(new JsonObject().put("alg", "none")) + "." + segment(claims) + ".";
  }

  static String segment(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
