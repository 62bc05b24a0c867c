package dev.herald.queue;

/** A job that used all its attempts (or failed permanently), kept for inspection and re-drive. */
public record DeadLetter(
    String id,
    String appId,
    Lane lane,
    String kind,
    String notificationId,
    String payload,
    int attempts,
    String lastError,
    long createdAt,
    long expiresAt) {}
