package dev.herald.queue;

/** Work to enqueue; {@code runAt} in epoch milliseconds (in the future for scheduled work). */
public record NewJob(
    Lane lane, String kind, String appId, String notificationId, String payload, long runAt) {}
