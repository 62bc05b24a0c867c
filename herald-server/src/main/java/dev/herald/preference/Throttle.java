package dev.herald.preference;

import dev.herald.config.Durations;
import dev.herald.web.Validation;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * At most {@code max} notifications of a category per subscriber in each window of {@code per}; the
 * overflow is skipped ({@code skip}) or kept for a digest ({@code digest}). Windows are fixed and
 * aligned to multiples of their length since the epoch: an hour window starts on the hour, a day
 * window at midnight UTC.
 */
public record Throttle(Integer max, String per, String overflow) {
  public static final String SKIP = "skip";
  public static final String DIGEST = "digest";
  static final int MAX_MAX = 10_000;
  static final Duration SHORTEST = Duration.ofMinutes(1);
  static final Duration LONGEST = Duration.ofDays(7);
  private static final Pattern PER = Pattern.compile("[0-9]{1,6}[smhd]");

  public Throttle {
    if (overflow == null) overflow = SKIP;
  }

  /** Whether the overflow goes to a digest rather than being dropped. */
  public boolean digests() {
    return DIGEST.equals(overflow);
  }

  /** The start of the window that holds {@code now} (epoch milliseconds). */
  public long windowStart(long now) {
    long size = length().toMillis();
    return Math.floorDiv(now, size) * size;
  }

  /** How long each window lasts. */
  public Duration length() {
    return Durations.parse(per);
  }

  void check(Validation v) {
    v.check(
        max != null && max >= 1 && max <= MAX_MAX,
        "throttle.max",
        "must be a whole number from 1 to " + MAX_MAX);
    boolean perOk = per != null && PER.matcher(per).matches();
    if (perOk) {
      Duration d = Durations.parse(per);
      perOk = d.compareTo(SHORTEST) >= 0 && d.compareTo(LONGEST) <= 0;
    }
    v.check(perOk, "throttle.per", "must be a duration from 1m to 7d, such as 30m, 1h or 1d");
    v.check(Set.of(SKIP, DIGEST).contains(overflow), "throttle.overflow", "must be skip or digest");
  }
}
