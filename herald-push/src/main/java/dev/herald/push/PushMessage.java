package dev.herald.push;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One notification as every push client takes it. {@code id} identifies the message to the provider
 * where it supports that (APNs {@code apns-id} must be a UUID; others use it as a correlation id),
 * so a resend is recognisable as a duplicate.
 *
 * @param data custom key-value data delivered to the app; values are strings, numbers, booleans or
 *     nested objects
 * @param ttl how long the provider may keep an undelivered message; zero means deliver now or drop
 * @param collapseKey messages with the same key replace each other (APNs collapse id, FCM collapse
 *     key, Web Push Topic); null for none
 */
public record PushMessage(
    String id,
    String title,
    String body,
    Map<String, Object> data,
    String url,
    String image,
    PushPriority priority,
    Duration ttl,
    String collapseKey) {

  public PushMessage {
    // JSON data may hold nulls, which Map.copyOf refuses.
    data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    if (priority == null) priority = PushPriority.NORMAL;
    if (ttl == null || ttl.isNegative())
      throw new IllegalArgumentException("ttl must be zero or more");
  }
}
