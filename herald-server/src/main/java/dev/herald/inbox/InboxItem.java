package dev.herald.inbox;

import dev.herald.web.Json;
import dev.herald.web.Times;
import java.util.LinkedHashMap;
import java.util.Map;

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
    Long expiresAt) {

  /** The item as the API and events show it. */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("notification_id", notificationId);
    m.put("title", title);
    m.put("body", body);
    m.put("data", data == null ? Map.of() : Json.map(data));
    m.put("url", url);
    m.put("image", image);
    m.put("category", category);
    m.put("read_at", Times.iso(readAt));
    m.put("archived_at", Times.iso(archivedAt));
    m.put("created_at", Times.iso(createdAt));
    return m;
  }

  public boolean unread() {
    return readAt == null && archivedAt == null;
  }

  InboxItem withReadAt(Long at) {
    return new InboxItem(
        id,
        appId,
        subscriberId,
        notificationId,
        title,
        body,
        data,
        url,
        image,
        category,
        at,
        archivedAt,
        createdAt,
        expiresAt);
  }

  InboxItem withArchivedAt(Long at) {
    return new InboxItem(
        id,
        appId,
        subscriberId,
        notificationId,
        title,
        body,
        data,
        url,
        image,
        category,
        readAt,
        at,
        createdAt,
        expiresAt);
  }
}
