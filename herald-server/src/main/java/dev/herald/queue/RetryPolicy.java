package dev.herald.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Backoff per {@code HERALD_RETRY_BACKOFF}: after attempt n the delay is step n (the last step
 * repeats) with ±20 % jitter so retries of one burst do not return together; a provider's
 * Retry-After wins when longer.
 */
public record RetryPolicy(List<Duration> steps) {
  static final double JITTER = 0.2;

  public int maxAttempts() {
    return 1 + steps.size();
  }

  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts();
  }

  public Duration delayAfter(int attempt, Duration atLeast) {
    if (steps.isEmpty()) return atLeast == null ? Duration.ZERO : atLeast;
    Duration base = steps.get(Math.min(Math.max(attempt, 1), steps.size()) - 1);
    double factor = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
    Duration jittered = Duration.ofMillis(Math.round(base.toMillis() * factor));
    return atLeast != null && atLeast.compareTo(jittered) > 0 ? atLeast : jittered;
  }
}
