package dev.herald.realtime;

/** Told when a live connection has written a {@code notification_received} event to its client. */
@FunctionalInterface
interface Delivered {
  void received(String appId, String subscriberId, String notificationId);
}
