package dev.herald.push;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test messages that read like sentences: {@code aMessage().titled("Hi").saying("there")}. */
public final class MessageFixture {
  private String id = "msg-1";
  private String title = "Your order shipped";
  private String body = "It arrives on Tuesday";
  private final Map<String, Object> data = new LinkedHashMap<>();
  private String url;
  private String image;
  private PushPriority priority = PushPriority.NORMAL;
  private Duration ttl = Duration.ofHours(1);
  private String collapseKey;

  public static MessageFixture aMessage() {
    return new MessageFixture();
  }

  public static MessageFixture aDataOnlyMessage() {
    return new MessageFixture().titled(null).saying(null);
  }

  public MessageFixture id(String id) {
    this.id = id;
    return this;
  }

  public MessageFixture titled(String title) {
    this.title = title;
    return this;
  }

  public MessageFixture saying(String body) {
    this.body = body;
    return this;
  }

  public MessageFixture with(String key, Object value) {
    data.put(key, value);
    return this;
  }

  public MessageFixture linkingTo(String url) {
    this.url = url;
    return this;
  }

  public MessageFixture showing(String image) {
    this.image = image;
    return this;
  }

  public MessageFixture priority(PushPriority priority) {
    this.priority = priority;
    return this;
  }

  public MessageFixture keptFor(Duration ttl) {
    this.ttl = ttl;
    return this;
  }

  public MessageFixture collapsing(String collapseKey) {
    this.collapseKey = collapseKey;
    return this;
  }

  public PushMessage build() {
    return new PushMessage(id, title, body, data, url, image, priority, ttl, collapseKey);
  }
}
