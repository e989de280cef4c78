package dev.mcpgateway.signin;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.concurrency.Contexts;
import dev.mcpgateway.model.ServiceToken;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.ServiceTokenSecrets;
import dev.mcpgateway.store.ServiceTokenNotFoundException;
import dev.mcpgateway.store.ServiceTokenStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An agent's {@code CF-Access-Client-Id} and {@code CF-Access-Client-Secret}, checked against the
 * account's service tokens: the id must name a token, the secret hash to its current secret (or to
 * the previous one while a rotation's grace lasts), and the token must not have expired.
 *
 * <p>Tokens are read through a per-replica cache by client id, so an agent's messages do not each
 * cost a store round trip. A change is forgotten at once where it was made and, with PostgreSQL, on
 * every other replica as soon as it hears the store's notification (well under a second); entries
 * also lapse after {@link #CACHE_TTL}, so a deleted or rotated token stops working everywhere within
 * that even if a notification were lost. Expiry is judged per request, by the clock.
 *
 * <p>{@code last_seen_at} is written lazily, at most once per {@link #SEEN_EVERY} per token and
 * replica, never on the request's path: a failed write costs nothing but that timestamp.
 */
public final class ServiceTokenCredentials {
  public static final String CLIENT_ID_HEADER = "CF-Access-Client-Id";
  public static final String CLIENT_SECRET_HEADER = "CF-Access-Client-Secret";
  static final Duration CACHE_TTL = Duration.ofSeconds(5);
  static final Duration SEEN_EVERY = Duration.ofHours(1);
  private static final System.Logger LOG = System.getLogger(ServiceTokenCredentials.class.getName());
  private static final long MAX_ENTRIES = 100_000;

  private final Vertx vertx;
  private final ServiceTokenStore store;
  private final Clock clock;
  private final AsyncLoadingCache<String, Optional<ServiceToken>> byClientId;
  /** Tokens whose use this replica recorded within {@link #SEEN_EVERY}. */
  private final Cache<String, Instant> marked;

  public ServiceTokenCredentials(Vertx vertx, ServiceTokenStore store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.byClientId = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(CACHE_TTL)
        .executor(Contexts.executor(vertx.getOrCreateContext()))
        .buildAsync((clientId, executor) -> store.byClientId(clientId).toCompletionStage().toCompletableFuture());
    this.marked = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(SEEN_EVERY).build();
    store.onChange(clientId -> {
      if (clientId.equals(ServiceTokenStore.EVERYTHING)) byClientId.synchronous().invalidateAll();
      else byClientId.synchronous().invalidate(clientId);
    });
  }

  /** The agent these headers name, or a {@link SignInRefusal} (401 {@code invalid_token}) saying why not. */
  public Future<Agent> authenticate(String clientId, String secret) {
    if (clientId == null || secret == null) {
      return Future.failedFuture(SignInRefusal.invalidToken("a service token needs both " + CLIENT_ID_HEADER + " and " + CLIENT_SECRET_HEADER));
    }
    if (!ServiceTokenSecrets.CLIENT_ID.matcher(clientId).matches() || secret.length() > ServiceTokenSecrets.MAX_SECRET_CHARS) {
      return Future.failedFuture(SignInRefusal.invalidToken("invalid service token"));
    }
    return Future.fromCompletionStage(byClientId.get(clientId), vertx.getOrCreateContext()).compose(found -> {
      Instant now = clock.instant();
      ServiceToken token = found.orElse(null);
      if (token == null || !holdsSecret(token, secret, now)) return Future.failedFuture(SignInRefusal.invalidToken("invalid service token"));
      // told only to whoever holds the secret: an expired token is not a wrong one
      if (token.expired(now)) return Future.failedFuture(SignInRefusal.invalidToken("the service token has expired"));
      recordUse(token, now);
      return Future.succeededFuture(agent(token));
    });
  }

  /** The agent of the service token {@code id} of {@code accountId} (a sealed ticket's holder); empty once it is gone or expired. */
  public Future<Optional<Agent>> named(String accountId, String id) {
    return store.get(accountId, id)
        .map(token -> token.expired(clock.instant()) ? Optional.<Agent>empty() : Optional.of(agent(token)))
        .recover(e -> e instanceof ServiceTokenNotFoundException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  static Agent agent(ServiceToken token) {
    // a token's servers: empty means every server of its account
    return new Agent(Agent.SERVICE_TOKEN_PREFIX + token.id(), Agent.Kind.SERVICE_TOKEN, null, Set.of(), Set.of(token.accountId()),
        token.servers().isEmpty() ? Agent.EVERY_SERVER : Set.copyOf(token.servers()));
  }

  /** Both hashes are compared whatever the first says, so the time taken tells nothing about which matched. */
  private static boolean holdsSecret(ServiceToken token, String secret, Instant now) {
    boolean current = ServiceTokenSecrets.matches(secret, token.secretSha256());
    boolean previous = token.previousSecretSha256() != null && ServiceTokenSecrets.matches(secret, token.previousSecretSha256());
    return current || previous && token.previousSecretValid(now);
  }

  private void recordUse(ServiceToken token, Instant now) {
    if (token.lastSeenAt() != null && token.lastSeenAt().isAfter(now.minus(SEEN_EVERY))) return;
    if (marked.asMap().putIfAbsent(token.id(), now) != null) return;
    store.markSeen(token.accountId(), token.id(), now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).onFailure(e -> {
      marked.invalidate(token.id());
      LOG.log(System.Logger.Level.DEBUG, "last_seen_at of service token " + token.id() + " not recorded: " + e.getMessage());
    });
  }
}
