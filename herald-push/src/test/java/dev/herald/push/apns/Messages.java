package dev.herald.push.apns;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test messages that read like sentences: {@code aMessage().titled("Hi").withImage(url).build()}.
 */
final class Messages {
  private String id = "msg-1";
  private String title;
  private String body;
  private final Map<String, Object> data = new LinkedHashMap<>();
  private String url;
  private String image;
  private PushPriority priority = PushPriority.NORMAL;
  private Duration ttl = Duration.ofHours(1);
  private String collapseKey;

  static Messages aMessage() {
    return new Messages().titled("Order shipped").saying("Your parcel is on its way");
  }

  /** A message with neither title nor body: a background push. */
  static Messages aSilentMessage() {
    return new Messages();
  }

  Messages withId(String id) {
    this.id = id;
    return this;
  }

  Messages titled(String title) {
    this.title = title;
    return this;
  }

  Messages saying(String body) {
    this.body = body;
    return this;
  }

  Messages withData(String key, Object value) {
    data.put(key, value);
    return this;
  }

  Messages linkingTo(String url) {
    this.url = url;
    return this;
  }

  Messages withImage(String image) {
    this.image = image;
    return this;
  }

  Messages at(PushPriority priority) {
    this.priority = priority;
    return this;
  }

  Messages keptFor(Duration ttl) {
    this.ttl = ttl;
    return this;
  }

  Messages collapsingAs(String collapseKey) {
    this.collapseKey = collapseKey;
    return this;
  }

  PushMessage build() {
    return new PushMessage(id, title, body, data, url, image, priority, ttl, collapseKey);
  }
}
