package dev.herald.push;

/**
 * How urgent a message is, from Herald's lanes: critical → HIGH, important → NORMAL, bulk → LOW.
 * Each provider maps it: APNs priority 10/10/5, FCM high/high/normal, Web Push Urgency
 * high/normal/low.
 */
public enum PushPriority {
  HIGH,
  NORMAL,
  LOW
}
