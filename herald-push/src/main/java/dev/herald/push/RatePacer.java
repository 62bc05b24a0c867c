package dev.herald.push;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces sends to stay under a rate (GCRA: a theoretical arrival time that each reservation moves
 * on by its share of the period). It never refuses: it answers how long to wait. Thread-safe.
 */
public final class RatePacer {
  private final long nanosPerPermit;
  private final long burstNanos;
  private final LongSupplier nanoClock;
  private long nextFree;
  private boolean started;

  /**
   * @param permits how many per {@code period}
   * @param burst how far ahead of the steady pace a caller may go without waiting
   */
  public RatePacer(int permits, Duration period, Duration burst, LongSupplier nanoClock) {
    if (permits <= 0) throw new IllegalArgumentException("permits must be positive");
    this.nanosPerPermit = Math.ceilDiv(period.toNanos(), permits);
    this.burstNanos = burst.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Reserves {@code permits} and answers the nanoseconds to wait before using them (≥ 0). */
  public synchronized long reserve(int permits) {
    long now = nanoClock.getAsLong();
    long start = !started || nextFree - now < 0 ? now : nextFree;
    started = true;
    nextFree = start + permits * nanosPerPermit;
    return Math.max(0, start - burstNanos - now);
  }
}
