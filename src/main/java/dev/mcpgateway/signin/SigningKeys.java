package dev.mcpgateway.signin;

import dev.mcpgateway.config.SignInSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The authorization server's signing keys, read from its JWKS and held as a Vert.x {@link JWTAuth}
 * that checks signature, algorithm and {@code kid}, the issuer and the time claims. Read at start,
 * again every {@code jwks_refresh_ms}, and when a token names a key not yet seen (a rotation) — at
 * most once per {@code unknown_key_cooldown_ms}, so tokens with made-up {@code kid}s cannot make
 * the gateway hammer its IdP. Never read per request. A failed read keeps the keys already held:
 * an IdP that is down does not stop agents with valid tokens. With a {@code source} (the built-in
 * authorization server's own keys, from the store), that is read instead of a JWKS over HTTP.
 */
public final class SigningKeys {
  private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
  /** Signature algorithms of asymmetric keys: a JWKS is public, so a shared-secret key in it signs nothing. */
  private static final Set<String> KEY_TYPES = Set.of("RSA", "EC", "OKP");
  private static final int MAX_JWKS_BYTES = 1 << 20;
  private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA");

  private final Vertx vertx;
  private final SignInSettings settings;
  private final WebClient web;
  private final LongSupplier nanoTime;
  private final Consumer<String> readOutcome;
  private final Supplier<Future<List<JsonObject>>> source;
  private volatile JWTAuth verifier;
  private volatile String jwksUri;
  private Future<Boolean> reading;
  private long lastPromptedNanos;
  private boolean prompted;
  private long timer = -1;

  public SigningKeys(Vertx vertx, SignInSettings settings, LongSupplier nanoTime, Consumer<String> readOutcome) {
    this(vertx, settings, null, nanoTime, readOutcome);
  }

  /** {@code source}: the public JWKs to trust, read instead of the issuer's JWKS (null: over HTTP). */
  public SigningKeys(Vertx vertx, SignInSettings settings, Supplier<Future<List<JsonObject>>> source, LongSupplier nanoTime,
      Consumer<String> readOutcome) {
    this.source = source;
    this.vertx = vertx;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.readOutcome = readOutcome;
    this.jwksUri = settings.jwksUri();
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(30)
        .setFollowRedirects(false).setUserAgent("mcp-gateway"));
  }

  /** Reads the keys, then again every {@code jwks_refresh_ms}. Never fails: without keys, tokens are refused until a read works. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(settings.jwksRefresh().toMillis(), id -> read());
    return read().mapEmpty();
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    web.close();
  }

  /** The keys held now; null before the first read that worked. */
  JWTAuth verifier() {
    return verifier;
  }

  /**
   * The claims of {@code token} once its algorithm is an asymmetric one ({@code none} and
   * shared-secret algorithms are refused before any key is looked at), its signature (by a key held, or by one a new read finds: a
   * rotation), issuer and time claims check out; else a failed future holding a {@link SignInRefusal}.
   * The caller checks the audience and the rest.
   */
  public Future<JsonObject> verified(String token) {
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token is malformed"));
    }
    if (!ALGORITHMS.contains(header.getValue("alg"))) {
      return Future.failedFuture(SignInRefusal.invalidToken("the access token is not signed with an accepted algorithm"));
    }
    return verified(token, true);
  }

  private Future<JsonObject> verified(String token, boolean mayRead) {
    JWTAuth held = verifier;
    if (held == null) {
      if (!mayRead) return Future.failedFuture(new SignInRefusal(503, null, "the authorization server's keys are unavailable; retry later", null));
      return readAgain().compose(read -> verified(token, false));
    }
    return held.authenticate(new TokenCredentials(token)).transform(checked -> {
      if (checked.succeeded()) return Future.succeededFuture(checked.result().attributes().getJsonObject("accessToken"));
      if (checked.cause() instanceof NoSuchKeyIdException && mayRead) {
        // a key not seen yet: the authorization server may have rotated its keys
        return readAgain().compose(read -> read ? verified(token, false) : Future.failedFuture(refusal(checked.cause())));
      }
      return Future.failedFuture(refusal(checked.cause()));
    });
  }

  private static SignInRefusal refusal(Throwable e) {
    if (e instanceof SignInRefusal refusal) return refusal;
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof NoSuchKeyIdException) return SignInRefusal.invalidToken("the access token is signed with an unknown key");
    if (message.contains("expired")) return SignInRefusal.invalidToken("the access token has expired or is not valid yet");
    if (message.contains("issuer")) return SignInRefusal.invalidToken("the access token was issued by another authorization server");
    if (message.contains("Signature")) return SignInRefusal.invalidToken("the access token's signature does not verify");
    return SignInRefusal.invalidToken("the access token is malformed");
  }

  /** Reads the keys again now (no cool-down): the built-in authorization server changed its own. */
  public Future<Boolean> reload() {
    return read();
  }

  /**
   * Reads the keys again for a token they cannot check, unless a read was prompted so within the
   * cool-down (then joins a read under way, or answers false); true when a new read worked.
   */
  Future<Boolean> readAgain() {
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (prompted && now - lastPromptedNanos < settings.unknownKeyCooldown().toNanos()) {
        return reading != null ? reading : Future.succeededFuture(false);
      }
      prompted = true;
      lastPromptedNanos = now;
    }
    return read();
  }

  private Future<Boolean> read() {
    Promise<Boolean> done;
    synchronized (this) {
      if (reading != null) return reading;
      done = Promise.promise();
      reading = done.future();
    }
    Future<JWTAuth> keys;
    if (source != null) {
      keys = source.get().compose(jwks -> verifierOf(jwks, "the authorization server's own keys"));
    } else {
      Future<String> uri = jwksUri != null ? Future.succeededFuture(jwksUri) : discoverJwksUri();
      keys = uri.compose(this::fetchKeys);
    }
    keys.onComplete(result -> {
      synchronized (this) {
        reading = null;
      }
      if (result.succeeded()) {
        verifier = result.result();
        readOutcome.accept("ok");
        done.complete(true);
      } else {
        readOutcome.accept("failed");
        LOG.log(System.Logger.Level.WARNING, "sign-in: could not read the authorization server's keys ("
            + result.cause().getMessage() + "); " + (verifier == null ? "agents' tokens are refused until a read works" : "keeping the keys held"));
        done.complete(false);
      }
    });
    return done.future();
  }

  /** RFC 8414's location first (well-known inserted before the issuer's path), then OpenID discovery's (appended). */
  private Future<String> discoverJwksUri() {
    URI issuer = URI.create(settings.issuer());
    String path = issuer.getRawPath() == null || issuer.getRawPath().equals("/") ? "" : issuer.getRawPath();
    String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
    String oauth = origin + "/.well-known/oauth-authorization-server" + path;
    String openId = settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    return metadataJwksUri(oauth).recover(e -> metadataJwksUri(openId))
        .onSuccess(found -> jwksUri = found)
        .recover(e -> Future.failedFuture(new IllegalStateException("no usable metadata at " + oauth + " or " + openId)));
  }

  private Future<String> metadataJwksUri(String url) {
    return get(url).compose(body -> {
      JsonObject metadata = new JsonObject(body);
      if (!settings.issuer().equals(metadata.getString("issuer"))) {
        // RFC 8414 §3.3: metadata naming another issuer must not be used
        return Future.failedFuture("metadata at " + url + " names another issuer");
      }
      String uri = metadata.getString("jwks_uri");
      return uri == null ? Future.failedFuture("metadata at " + url + " has no jwks_uri") : Future.succeededFuture(uri);
    });
  }

  private Future<JWTAuth> fetchKeys(String uri) {
    return get(uri).compose(body -> {
      JsonArray keys = new JsonObject(body).getJsonArray("keys");
      if (keys == null) return Future.failedFuture("the JWKS at " + uri + " has no keys");
      List<JsonObject> jwks = new ArrayList<>();
      for (Object key : keys) if (key instanceof JsonObject jwk) jwks.add(jwk);
      return verifierOf(jwks, "the JWKS at " + uri);
    });
  }

  private Future<JWTAuth> verifierOf(List<JsonObject> keys, String where) {
    List<JsonObject> usable = new ArrayList<>();
    for (JsonObject jwk : keys) {
      if (KEY_TYPES.contains(jwk.getString("kty")) && !"enc".equals(jwk.getString("use"))) usable.add(jwk);
    }
    if (usable.isEmpty()) return Future.failedFuture(where + " has no signature keys");
    return Future.succeededFuture(JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable).setJWTOptions(new JWTOptions()
        .setIssuer(settings.issuer()).setLeeway((int) settings.clockSkew().toSeconds()))));
  }

  private Future<String> get(String url) {
    return web.getAbs(url).timeout(10_000).putHeader("Accept", "application/json").send().compose((HttpResponse<?> response) -> {
      if (response.statusCode() != 200) return Future.failedFuture(url + " answered HTTP " + response.statusCode());
      if (response.body() == null || response.bodyAsBuffer().length() > MAX_JWKS_BYTES) return Future.failedFuture(url + " answered no usable body");
      return Future.succeededFuture(response.bodyAsString());
    });
  }
}
