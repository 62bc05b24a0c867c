package dev.herald.delivery;

/** One recipient × channel (× device for push) of a notification, and what became of it. */
public record Delivery(
    String id,
    String appId,
    String notificationId,
    String recipientKey,
    String subscriberId,
    String channel,
    String provider,
    String deviceId,
    String address,
    String status,
    String reason,
    int attempts,
    String providerMessageId,
    long createdAt,
    long updatedAt) {}
