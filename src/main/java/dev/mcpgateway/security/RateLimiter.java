package dev.mcpgateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client token's name, an account, a remote address): {@code ratePerSecond}
 * refill, {@code burst} capacity. Bounded (idle keys are forgotten), time injected, thread-safe.
 * A rate of zero or less means unlimited.
 */
public final class RateLimiter {
  private final double ratePerSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Cache<String, Bucket> buckets;

  public RateLimiter(double ratePerSecond, double burst, LongSupplier nanoTime) {
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(1, burst);
    this.nanoTime = nanoTime;
    this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();
  }

  public boolean unlimited() {
    return ratePerSecond <= 0;
  }

  /** Takes one token; when none is left, answers how long until one will be. */
  public Optional<Duration> tryAcquire(String key) {
    if (unlimited()) return Optional.empty();
    Bucket bucket = buckets.get(key, k -> new Bucket(burst, nanoTime.getAsLong()));
    synchronized (bucket) {
      long now = nanoTime.getAsLong();
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) / 1e9 * ratePerSecond);
      bucket.updatedNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Optional.empty();
      }
      long waitNanos = (long) Math.ceil((1 - bucket.tokens) / ratePerSecond * 1e9);
      return Optional.of(Duration.ofNanos(waitNanos));
    }
  }

  /** Whether a key has tokens left, without taking one. */
  public boolean exhausted(String key) {
    if (unlimited()) return false;
    Bucket bucket = buckets.getIfPresent(key);
    if (bucket == null) return false;
    synchronized (bucket) {
      double tokens = Math.min(burst, bucket.tokens + (nanoTime.getAsLong() - bucket.updatedNanos) / 1e9 * ratePerSecond);
      return tokens < 1;
    }
  }

  /** Seconds for a Retry-After header: at least 1. */
  public static long retryAfterSeconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }
}
