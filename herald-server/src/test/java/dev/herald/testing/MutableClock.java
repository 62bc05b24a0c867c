package dev.herald.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand; starts at the real time so ids and schedules look normal. */
public final class MutableClock extends Clock {
  private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

  public void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  public void advanceTo(Instant at) {
    advance(Duration.between(instant(), at));
  }

  /** The start of the next hour (UTC). */
  public Instant nextHour() {
    return instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
  }

  /** The next time the clock shows {@code time} in {@code zone}. */
  public ZonedDateTime next(ZoneId zone, LocalTime time) {
    ZonedDateTime now = instant().atZone(zone);
    ZonedDateTime at = now.with(time);
    return at.isAfter(now) ? at : at.plusDays(1).with(time);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
