package dev.herald.device;

/**
 * A push destination: a provider token, or for Web Push the subscription endpoint with its keys.
 * Inactive devices are never sent to until registered again.
 */
public record Device(
    String id,
    String appId,
    String subscriberId,
    String provider,
    String platform,
    String token,
    String p256dh,
    String auth,
    String deviceInfo,
    boolean active,
    Long deactivatedAt,
    String deactivatedReason,
    long lastSeenAt,
    long createdAt) {}
