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
    TemplateRef template,
    List<Step> escalation) {

  public Send {
    escalation = escalation == null ? List.of() : List.copyOf(escalation);
  }

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

  /**
   * One step of an escalation: {@code channel} {@code afterMs} after the send (0: at once), and,
   * with {@code unless} "read", not for recipients who have read the in-app item by then.
   */
  public record Step(String channel, long afterMs, String unless) {
    public boolean delayed() {
      return afterMs > 0;
    }
  }

  /** True when steps wait for their time after the first delivery. */
  public boolean escalates() {
    return escalation.stream().anyMatch(Step::delayed);
  }

  /** How long after the send the step of {@code channel} is due: 0 unless it escalates. */
  public long delayOf(String channel) {
    for (Step s : escalation) if (s.channel().equals(channel)) return s.afterMs();
    return 0;
  }

  public boolean hasChannel(String channel) {
    return channels.contains(channel);
  }

  /**
   * The send as the client asked for it, which an Idempotency-Key fingerprints: at the time it
   * named, and with the template's key but not the version it resolved to (a retry after the
   * template changed is still the same request).
   */
  Send asRequested(Long requestedSendAt) {
    TemplateRef named =
        template == null ? null : new TemplateRef(template.key(), 0, template.vars());
    return new Send(
        audience,
        channels,
        platforms,
        lane,
        category,
        content,
        requestedSendAt,
        ttlSeconds,
        collapseKey,
        named,
        escalation);
  }

  /** This send as one escalation step plans it: the step's channel for some of its subscribers. */
  Send forStep(String channel, List<String> subscribers) {
    Audience listed = new Audience(subscribers, List.of(), List.of(), List.of(), Map.of(), false);
    return with(listed, List.of(channel));
  }

  /** This send with every step's channel at once: what a dry run counts if nobody reads. */
  Send everyStep() {
    return with(audience, escalation.stream().map(Step::channel).sorted().toList());
  }

  private Send with(Audience to, List<String> on) {
    return new Send(
        to,
        on,
        platforms,
        lane,
        category,
        content,
        sendAt,
        ttlSeconds,
        collapseKey,
        template,
        escalation);
  }
}
