package dev.herald.preference;

import dev.herald.preference.SubscriberPreferences.QuietHours;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A subscriber's quiet hours placed in a time zone: the local times repeat every day. */
record QuietWindow(LocalTime start, LocalTime end, ZoneId zone) {
  static final ZoneId UTC = ZoneId.of("UTC");

  /**
   * The window of {@code hours} in its own time zone, else {@code subscriberZone}, else UTC (a zone
   * that no longer parses counts as absent).
   */
  static QuietWindow of(QuietHours hours, String subscriberZone) {
    ZoneId zone = zone(hours.timezone()).or(() -> zone(subscriberZone)).orElse(UTC);
    return new QuietWindow(LocalTime.parse(hours.start()), LocalTime.parse(hours.end()), zone);
  }

  /**
   * When the window holding {@code now} ends, or empty when {@code now} is outside it. The start is
   * inclusive and the end exclusive; an end before the start crosses midnight. An end time the
   * clocks skip (spring forward) moves later by the gap; one they repeat (fall back) is the first
   * occurrence still ahead of {@code now}.
   */
  Optional<Instant> endAfter(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    LocalDate day = local.toLocalDate();
    LocalDate endDay;
    if (start.isBefore(end)) {
      if (t.isBefore(start) || !t.isBefore(end)) return Optional.empty();
      endDay = day;
    } else if (!t.isBefore(start)) {
      endDay = day.plusDays(1);
    } else if (t.isBefore(end)) {
      endDay = day;
    } else {
      return Optional.empty();
    }
    ZonedDateTime ends = ZonedDateTime.of(endDay, end, zone);
    if (!ends.toInstant().isAfter(now)) ends = ends.withLaterOffsetAtOverlap();
    return ends.toInstant().isAfter(now) ? Optional.of(ends.toInstant()) : Optional.empty();
  }

  private static Optional<ZoneId> zone(String id) {
    if (id == null) return Optional.empty();
    try {
      return Optional.of(ZoneId.of(id));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
