package dev.herald.inbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change to a subscriber's inbox, as clients receive it: {@code {"type", "seq", "unread",
 * "item"}}. {@code item} is the item after the change ({@code {"id"}} only once deleted, null for
 * read-all).
 */
public record InboxEvent(
    String appId,
    String subscriberId,
    long seq,
    String type,
    long unread,
    Map<String, Object> item) {
  public static final String RECEIVED = "notification_received";
  public static final String UPDATED = "notification_updated";
  public static final String ARCHIVED = "notification_archived";
  public static final String DELETED = "notification_deleted";
  public static final String ALL_READ = "all_notifications_read";

  /** The event's JSON object. */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("seq", seq);
    m.put("unread", unread);
    m.put("item", item);
    return m;
  }

  /** The notification an item event concerns, when the item still carries it. */
  public String notificationId() {
    return item == null ? null : (String) item.get("notification_id");
  }
}
