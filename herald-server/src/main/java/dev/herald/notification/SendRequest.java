package dev.herald.notification;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/notifications} as the client sends it; validated into a {@link Send}. */
record SendRequest(
    To to,
    List<String> channels,
    List<String> platforms,
    String priority,
    String category,
    String title,
    String body,
    @JsonAlias("metadata") Map<String, Object> data,
    String url,
    String image,
    String template,
    Map<String, Object> vars,
    String sendAt,
    Integer ttlSeconds,
    String collapseKey,
    Boolean dryRun,
    Boolean sync,
    List<Step> escalation) {

  record To(
      List<String> subscribers,
      List<String> topics,
      List<String> devices,
      List<RawToken> tokens,
      Segment segment,
      Boolean all) {}

  record RawToken(String provider, String token) {}

  record Segment(Map<String, Object> attributes) {}

  /** One escalation step: a channel, a delay such as "5m" (none: at once), and "unless". */
  record Step(String channel, String after, String unless) {}
}
