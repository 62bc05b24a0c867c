package dev.herald.delivery;

/** Hears delivery outcomes (for metrics); domain code never sees the metrics library. */
public interface DeliveryObserver {
  DeliveryObserver NONE = new DeliveryObserver() {};

  /** One delivery reached a final or provider-answered state: sent, failed, skipped, dead. */
  default void outcome(String channel, String provider, String outcome, long count) {}

  /**
   * Seconds from acceptance (or the scheduled time) to the provider's answer, for {@code count}
   * deliveries.
   */
  default void latency(String lane, double seconds, long count) {}

  default void notificationAccepted(String lane) {}

  default void notificationFinished(String status) {}

  default void deviceDeactivated(String provider, String reason) {}
}
