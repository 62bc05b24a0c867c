package dev.herald.web;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key: {@code perSecond} sustained with a burst of twice that. Over the limit
 * the caller gets 429 with the seconds until a token is free in {@code Retry-After}. Zero disables
 * it.
 */
public final class RateLimiter {
  private final int perSecond;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int perSecond, Clock clock) {
    this.perSecond = perSecond;
    this.clock = clock;
  }

  public void acquire(String key) {
    if (perSecond <= 0) return;
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(2.0 * perSecond, clock.millis()));
    double waitSeconds;
    synchronized (b) {
      long now = clock.millis();
      b.tokens = Math.min(2.0 * perSecond, b.tokens + (now - b.lastMillis) * perSecond / 1000.0);
      b.lastMillis = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      waitSeconds = (1 - b.tokens) / perSecond;
    }
    long retryAfter = Math.max(1, (long) Math.ceil(waitSeconds));
    throw new ApiException(
        ErrorCode.RATE_LIMITED,
        "rate limit of " + perSecond + " requests per second exceeded",
        java.util.List.of(),
        Map.of("Retry-After", String.valueOf(retryAfter)));
  }

  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }
}
