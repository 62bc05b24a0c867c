package dev.herald.notification;

import dev.herald.delivery.Content;
import java.util.List;
import java.util.Map;

/**
 * A validated send, stored with its notification; fan-out works from this alone. Lists are
 * deduplicated and sorted so equal requests normalise to equal sends.
 */
public record Send(
    Audience audience,
    List<String> channels,
    List<String> platforms,
    String lane,
    String category,
    Content content,
    Long sendAt,
    int ttlSeconds,
    String collapseKey) {

  /** Who receives it: the union of every selector, deduplicated per recipient. */
  public record Audience(
      List<String> subscribers,
      List<String> topics,
      List<String> devices,
      List<Token> tokens,
      Map<String, List<Object>> segment,
      boolean all) {

    /** True when subscribers are selected by more than an explicit list. */
    public boolean selectsBeyondList() {
      return all || !topics.isEmpty() || !segment.isEmpty();
    }
  }

  public record Token(String provider, String token) {}

  public boolean hasChannel(String channel) {
    return channels.contains(channel);
  }

  /** The same send at another time. */
  Send withSendAt(Long at) {
    return new Send(
        audience, channels, platforms, lane, category, content, at, ttlSeconds, collapseKey);
  }
}
