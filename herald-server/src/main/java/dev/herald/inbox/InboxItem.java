package dev.herald.inbox;

/** One notification in one subscriber's inbox. */
public record InboxItem(
    String id,
    String appId,
    String subscriberId,
    String notificationId,
    String title,
    String body,
    String data,
    String url,
    String image,
    String category,
    Long readAt,
    Long archivedAt,
    long createdAt,
    Long expiresAt) {}
