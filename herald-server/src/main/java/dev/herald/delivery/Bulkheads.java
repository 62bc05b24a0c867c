package dev.herald.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps how many batches one app's provider sends at once in one lane, so a provider that is slow or
 * timing out holds at most that many of the lane's workers and never stalls other providers or
 * other lanes. A batch that finds its provider full is postponed, not failed. Thread-safe.
 */
public final class Bulkheads {
  private final int perProvider;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

  public Bulkheads(int perProvider) {
    this.perProvider = perProvider;
  }

  /** A held slot; closing it frees the slot. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /** A slot for one batch, or empty when the provider is at its limit in this lane. */
  public Optional<Slot> tryEnter(String appId, String provider, String lane) {
    Semaphore s =
        slots.computeIfAbsent(appId + "/" + provider + "/" + lane, k -> new Semaphore(perProvider));
    if (!s.tryAcquire()) return Optional.empty();
    return Optional.of(s::release);
  }
}
