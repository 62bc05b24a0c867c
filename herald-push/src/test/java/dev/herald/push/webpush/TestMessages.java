package dev.herald.push.webpush;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Test messages that read like sentences: {@code aMessage().titled("Hi").urgent().build()}. */
final class TestMessages {
  private String id = UUID.randomUUID().toString();
  private String title = "Hello";
  private String body = "A message from Herald";
  private Map<String, Object> data = Map.of();
  private String url;
  private String image;
  private PushPriority priority = PushPriority.NORMAL;
  private Duration ttl = Duration.ofHours(1);
  private String collapseKey;

  private TestMessages() {}

  static TestMessages aMessage() {
    return new TestMessages();
  }

  TestMessages titled(String title) {
    this.title = title;
    return this;
  }

  TestMessages saying(String body) {
    this.body = body;
    return this;
  }

  TestMessages withData(Map<String, Object> data) {
    this.data = data;
    return this;
  }

  TestMessages linkingTo(String url) {
    this.url = url;
    return this;
  }

  TestMessages showing(String image) {
    this.image = image;
    return this;
  }

  TestMessages withPriority(PushPriority priority) {
    this.priority = priority;
    return this;
  }

  TestMessages keptFor(Duration ttl) {
    this.ttl = ttl;
    return this;
  }

  TestMessages collapsingAs(String collapseKey) {
    this.collapseKey = collapseKey;
    return this;
  }

  TestMessages withId(String id) {
    this.id = id;
    return this;
  }

  PushMessage build() {
    return new PushMessage(id, title, body, data, url, image, priority, ttl, collapseKey);
  }
}
