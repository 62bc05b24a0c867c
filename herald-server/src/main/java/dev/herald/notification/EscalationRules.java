package dev.herald.notification;

import dev.herald.config.Durations;
import dev.herald.web.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of {@code escalation}: steps go out at once (no {@code after}) or after a delay counted
 * from the send (acceptance, or {@code send_at}). Steps at once come first, delays increase, each
 * channel appears once, and delayed steps follow the in-app item, so in_app must go out at once.
 */
final class EscalationRules {
  static final Duration MAX_AFTER = Duration.ofDays(30);
  static final String UNLESS_READ = "read";

  private EscalationRules() {}

  /** The steps of {@code r} (empty without escalation); every problem is added to {@code v}. */
  static List<Send.Step> validate(SendRequest r, Send.Audience audience, Validation v) {
    List<SendRequest.Step> raw = r.escalation();
    if (raw == null) return List.of();
    v.check(
        r.channels() == null,
        "channels",
        "cannot be combined with escalation: name each channel as a step");
    v.check(
        audience.devices().isEmpty(),
        "to.devices",
        "cannot be combined with escalation: its steps follow subscribers' in-app items");
    v.check(
        audience.tokens().isEmpty(),
        "to.tokens",
        "cannot be combined with escalation: its steps follow subscribers' in-app items");
    if (raw.isEmpty() || raw.size() > SendValidator.CHANNELS.size()) {
      v.check(false, "escalation", "must have 1 to 4 steps, one per channel");
      return List.of();
    }
    List<Send.Step> steps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long previous = 0;
    for (int i = 0; i < raw.size(); i++) {
      String field = "escalation[" + i + "]";
      SendRequest.Step s = raw.get(i);
      if (s == null) {
        v.check(false, field, "must be an object with a channel");
        continue;
      }
      v.check(
          s.channel() != null && SendValidator.CHANNELS.contains(s.channel()),
          field + ".channel",
          "must be push, in_app, email or sms");
      v.check(
          s.channel() == null || seen.add(s.channel()),
          field + ".channel",
          "'" + s.channel() + "' is already a step: each channel escalates once");
      Long parsed = after(s.after(), field + ".after", v);
      long after = parsed == null ? 0 : parsed;
      if (parsed != null) checkOrder(i, after, previous, field + ".after", v);
      if ("in_app".equals(s.channel())) {
        v.check(
            after == 0, field + ".after", "in_app goes out at once: later steps follow its item");
      }
      if (s.unless() != null) {
        v.check(UNLESS_READ.equals(s.unless()), field + ".unless", "must be \"read\"");
        v.check(after > 0, field + ".unless", "only a step with after can be canceled by a read");
      }
      previous = Math.max(previous, after);
      steps.add(new Send.Step(s.channel(), after, s.unless()));
    }
    boolean delayed = steps.stream().anyMatch(Send.Step::delayed);
    v.check(
        !delayed || seen.contains("in_app"),
        "escalation",
        "needs an in_app step that goes out at once: later steps follow its item");
    return List.copyOf(steps);
  }

  /** The channels of the steps that go out at once: what the send delivers when accepted. */
  static List<String> immediateChannels(List<Send.Step> steps) {
    TreeSet<String> out = new TreeSet<>();
    for (Send.Step s : steps) {
      if (!s.delayed() && s.channel() != null && SendValidator.CHANNELS.contains(s.channel()))
        out.add(s.channel());
    }
    return List.copyOf(out);
  }

  /** The first step goes out at once; then steps at once, then strictly later delays. */
  private static void checkOrder(int i, long after, long previous, String field, Validation v) {
    if (i == 0) {
      v.check(after == 0, field, "the first step goes out at once: leave after out");
    } else if (after > 0) {
      v.check(
          after > previous,
          field,
          "must be later than the step before it ("
              + Durations.format(Duration.ofMillis(previous))
              + ")");
    } else {
      v.check(previous == 0, field, "is required after a step with after");
    }
  }

  /** The delay in milliseconds, 0 when absent, null when invalid (and reported). */
  private static Long after(String text, String field, Validation v) {
    if (text == null) return 0L;
    try {
      Duration d = Durations.parse(text);
      v.check(d.compareTo(MAX_AFTER) <= 0, field, "must be at most 30d");
      return d.toMillis();
    } catch (IllegalArgumentException e) {
      v.check(false, field, "must be a duration such as 30s, 5m, 2h or 1d");
      return null;
    }
  }
}
