package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInKey;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.SignInStore;
import dev.mcpgateway.upstream.oauth.Pkce;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The built-in authorization server's signing keys, kept in the store (private parts sealed with
 * the gateway's secret key, so every replica on the store signs with them and nothing else can),
 * held in memory and read again every {@code lead} ({@code sign_in.jwks_refresh_ms}).
 *
 * <p>A key's life: created and published at once → signs from {@code createdAt + lead}, by when
 * every replica's periodic read has seen it (until then the key before it signs) → a newer key is
 * made once it is {@code rotation} old → removed once that newer key has signed for longer than an
 * access token lives plus the clock skew, when no token of it can still be valid. The first key of
 * a fresh store signs at once: nobody holds a token yet. Two replicas rotating at once make two keys:
 * harmless, both are published and both retire.
 */
final class KeyRing {
  private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());

  /** A key with its private part opened. */
  private record Held(SignInKey key, PrivateKey privateKey) {}

  private final Vertx vertx;
  private final SignInStore store;
  private final SecretCipher cipher;
  private final Clock clock;
  private final Duration lead;
  private final Duration rotation;
  private final Duration retireAfter;
  private final AtomicBoolean maintaining = new AtomicBoolean();
  private volatile List<Held> keys = List.of();
  private volatile Runnable changed = () -> {};
  private long timer = -1;

  /** {@code retireAfter}: how long a key stays published after it stopped signing (access token TTL plus clock skew). */
  KeyRing(Vertx vertx, SignInStore store, SecretCipher cipher, Clock clock, Duration lead, Duration rotation, Duration retireAfter) {
    this.vertx = vertx;
    this.store = store;
    this.cipher = cipher;
    this.clock = clock;
    this.lead = lead;
    this.rotation = rotation;
    this.retireAfter = retireAfter;
  }

  /** Told when this replica changed the keys (a new one, a removed one): the local verifier reads them again at once. */
  void onChange(Runnable listener) {
    this.changed = listener;
  }

  /** Reads the keys, makes the first one on a fresh store, then keeps them current. */
  Future<Void> start() {
    return maintain().onSuccess(v -> timer = vertx.setPeriodic(lead.toMillis(), id -> maintain()));
  }

  void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** Every published key's public JWK, read again from the store: the verifier's source. */
  Future<List<JsonObject>> publicKeys() {
    return reload().map(v -> published());
  }

  /** The public JWKs held now: the JWKS endpoint. */
  List<JsonObject> published() {
    return keys.stream().map(k -> k.key().publicJwk()).toList();
  }

  /** The kid that signs now (null before the first read). */
  String signingKid() {
    Held signer = signer(clock.instant());
    return signer == null ? null : signer.key().kid();
  }

  /** {@code claims} as a compact JWS with {@code typ}, signed by the key that signs now. */
  String sign(String typ, JsonObject claims) {
    Instant now = clock.instant();
    Held signer = signer(now);
    if (signer == null) throw new IllegalStateException("no signing key");
    List<Held> held = keys;
    if (!held.get(held.size() - 1).key().createdAt().plus(rotation).isAfter(now)) maintain();
    JsonObject header = new JsonObject().put("alg", Jws.ALGORITHM).put("typ", typ).put("kid", signer.key().kid());
    return Jws.sign(header, claims, signer.privateKey());
  }

  /** The newest key old enough to sign; with none, the first key ever (a fresh store). */
  private Held signer(Instant now) {
    List<Held> held = keys;
    for (int i = held.size() - 1; i >= 0; i--) {
      if (!held.get(i).key().createdAt().plus(lead).isAfter(now)) return held.get(i);
    }
    return held.isEmpty() ? null : held.get(0);
  }

  /** Reads the keys; makes a new one when the newest is due for rotation (or there is none); removes retired ones. */
  Future<Void> maintain() {
    if (!maintaining.compareAndSet(false, true)) return Future.succeededFuture();
    return reload().compose(v -> {
      Instant now = clock.instant();
      List<Held> held = keys;
      if (held.isEmpty() || !held.get(held.size() - 1).key().createdAt().plus(rotation).isAfter(now)) return create(now);
      return retire(now);
    }).onFailure(e -> LOG.log(System.Logger.Level.WARNING, "sign-in: signing key maintenance failed: " + e.getMessage()))
        .eventually(() -> {
          maintaining.set(false);
          return Future.succeededFuture();
        });
  }

  private Future<Void> create(Instant now) {
    return vertx.executeBlocking(Jws::newRsaKey, false).compose(pair -> store.addKey(stored(pair, now)))
        .compose(v -> reload())
        .onSuccess(v -> {
          LOG.log(System.Logger.Level.INFO, "sign-in: new signing key " + keys.get(keys.size() - 1).key().kid()
              + (keys.size() > 1 ? ", signing from " + now.plus(lead) : ""));
          changed.run();
        });
  }

  private SignInKey stored(KeyPair pair, Instant now) {
    String kid = "k-" + Pkce.random(9);
    return new SignInKey(kid, Jws.publicJwk((RSAPublicKey) pair.getPublic(), kid),
        cipher.seal(Jws.pkcs8(pair.getPrivate()), SealedContexts.signInKey(kid)), now.truncatedTo(ChronoUnit.MILLIS));
  }

  /** Removes every key whose successor has signed for longer than {@code retireAfter}. */
  private Future<Void> retire(Instant now) {
    List<Held> held = keys;
    List<Future<Void>> removals = new ArrayList<>();
    for (int i = 0; i < held.size() - 1; i++) {
      Instant successorSigns = held.get(i + 1).key().createdAt().plus(lead);
      if (!successorSigns.plus(retireAfter).isAfter(now)) removals.add(store.removeKey(held.get(i).key().kid()));
    }
    if (removals.isEmpty()) return Future.succeededFuture();
    return Future.all(removals).compose(v -> reload()).onSuccess(v -> changed.run());
  }

  private Future<Void> reload() {
    return store.keys().map(stored -> {
      List<Held> opened = new ArrayList<>();
      for (SignInKey key : stored) {
        try {
          opened.add(new Held(key, Jws.privateKey(cipher.open(key.privateKey(), SealedContexts.signInKey(key.kid())))));
        } catch (RuntimeException e) {
          // another secret key sealed it (a replica misconfigured, or a store copied from elsewhere): unusable here
          LOG.log(System.Logger.Level.WARNING, "sign-in: signing key " + key.kid() + " does not open with this gateway's secret key; skipped");
        }
      }
      keys = List.copyOf(opened);
      return null;
    });
  }
}
