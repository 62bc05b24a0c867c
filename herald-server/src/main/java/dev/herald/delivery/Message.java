package dev.herald.delivery;

import dev.herald.queue.Lane;
import java.util.Map;

/**
 * One delivery as a sender sees it: where it goes and what it says.
 *
 * @param address the provider token, Web Push endpoint, email address or phone number
 * @param keys Web Push {@code p256dh} and {@code auth}, empty otherwise
 * @param category the notification's category, or null (email unsubscribe links name it)
 */
public record Message(
    String deliveryId,
    String notificationId,
    String appId,
    String subscriberId,
    String channel,
    String provider,
    String deviceId,
    String address,
    Map<String, String> keys,
    Content content,
    Lane lane,
    int ttlSeconds,
    String collapseKey,
    int attempt,
    String category) {}
