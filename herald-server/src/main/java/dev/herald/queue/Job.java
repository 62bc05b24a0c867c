package dev.herald.queue;

/** A claimed job. {@code attempts} counts this attempt: 1 on the first run. */
public record Job(
    long id,
    Lane lane,
    String kind,
    String appId,
    String notificationId,
    String payload,
    int attempts,
    long runAt,
    long createdAt) {}
