package dev.herald.push.expo;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test messages that read like sentences: {@code aMessage().titled("Hi").saying("there")}. */
final class MessageFixture {
  private String id = "msg-1";
  private String title = "Your order shipped";
  private String body = "It arrives on Tuesday";
  private final Map<String, Object> data = new LinkedHashMap<>();
  private String url;
  private String image;
  private PushPriority priority = PushPriority.NORMAL;
  private Duration ttl = Duration.ofHours(1);
  private String collapseKey;

  static MessageFixture aMessage() {
    return new MessageFixture();
  }

  static MessageFixture aDataOnlyMessage() {
    return new MessageFixture().titled(null).saying(null);
  }

  MessageFixture id(String id) {
    this.id = id;
    return this;
  }

  MessageFixture titled(String title) {
    this.title = title;
    return this;
  }

  MessageFixture saying(String body) {
    this.body = body;
    return this;
  }

  MessageFixture with(String key, Object value) {
    data.put(key, value);
    return this;
  }

  MessageFixture linkingTo(String url) {
    this.url = url;
    return this;
  }

  MessageFixture showing(String image) {
    this.image = image;
    return this;
  }

  MessageFixture priority(PushPriority priority) {
    this.priority = priority;
    return this;
  }

  MessageFixture keptFor(Duration ttl) {
    this.ttl = ttl;
    return this;
  }

  MessageFixture collapsing(String collapseKey) {
    this.collapseKey = collapseKey;
    return this;
  }

  PushMessage build() {
    return new PushMessage(id, title, body, data, url, image, priority, ttl, collapseKey);
  }
}
