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
    String collapseKey,
    TemplateRef template) {

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

  /**
   * The template a send renders: the version resolved when it was accepted, and the send's {@code
   * vars}. Explicit content fields of the send override what the template renders.
   */
  public record TemplateRef(String key, int version, Map<String, Object> vars) {}

  public boolean hasChannel(String channel) {
    return channels.contains(channel);
  }

  /**
   * The send as the client asked for it, which an Idempotency-Key fingerprints: at the time it
   * named, and with the template's key but not the version it resolved to (a retry after the
   * template changed is still the same request).
   */
  Send asRequested(Long requestedSendAt) {
    TemplateRef named = template == null ? null : new TemplateRef(template.key(), 0, template.vars());
    return new Send(
        audience, channels, platforms, lane, category, content, requestedSendAt, ttlSeconds, collapseKey, named);
  }
}
