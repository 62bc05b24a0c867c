package dev.herald.preference;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * How long a category's notifications gather before their digest goes out. Hourly windows close on
 * the hour (UTC: one sweep an hour serves every subscriber); daily ones at {@link #DAILY_AT} in the
 * subscriber's time zone, so the digest arrives in their morning.
 */
enum DigestWindow {
  HOURLY,
  DAILY;

  /** When daily digests go out, local time: early enough for the morning, late enough to read. */
  static final LocalTime DAILY_AT = LocalTime.of(9, 0);

  static final String OFF = "off";
  private static final long HOUR = Duration.ofHours(1).toMillis();

  /** The window a setting names; empty for null and {@code off}. */
  static Optional<DigestWindow> of(String setting) {
    if (setting == null) return Optional.empty();
    return switch (setting) {
      case "hourly" -> Optional.of(HOURLY);
      case "daily" -> Optional.of(DAILY);
      default -> Optional.empty();
    };
  }

  /** Whether {@code setting} is a valid choice; {@code off} only where {@code offAllowed}. */
  static boolean valid(String setting, boolean offAllowed) {
    return setting == null || of(setting).isPresent() || (offAllowed && OFF.equals(setting));
  }

  /** The end of the window holding {@code now} (epoch millis), always later than {@code now}. */
  long endAfter(long now, ZoneId zone) {
    if (this == HOURLY) return Math.floorDiv(now, HOUR) * HOUR + HOUR;
    Instant at = Instant.ofEpochMilli(now);
    ZonedDateTime local = at.atZone(zone);
    ZonedDateTime end = local.toLocalDate().atTime(DAILY_AT).atZone(zone);
    if (!end.toInstant().isAfter(at))
      end = local.toLocalDate().plusDays(1).atTime(DAILY_AT).atZone(zone);
    return end.toInstant().toEpochMilli();
  }

  String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A subscriber's time zone, UTC when absent or no longer valid. */
  static ZoneId zone(String id) {
    if (id == null) return QuietWindow.UTC;
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      return QuietWindow.UTC;
    }
  }
}
