package dev.herald.preference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.preference.SubscriberPreferences.QuietHours;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuietWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final QuietWindow NIGHT =
      new QuietWindow(LocalTime.of(22, 0), LocalTime.of(7, 0), BERLIN);

  @Test
  void aWindowAcrossMidnightEndsTheNextMorningWhenEnteredInTheEvening() {
    assertThat(NIGHT.endAfter(Instant.parse("2026-01-14T21:30:00Z"))) // 22:30 in Berlin
        .contains(Instant.parse("2026-01-15T06:00:00Z")); // 07:00 in Berlin
  }

  @Test
  void aWindowAcrossMidnightEndsThatSameMorningAfterMidnight() {
    assertThat(NIGHT.endAfter(Instant.parse("2026-01-15T05:59:00Z")))
        .contains(Instant.parse("2026-01-15T06:00:00Z"));
  }

  @Test
  void theStartIsInsideAndTheEndIsOutside() {
    assertThat(NIGHT.endAfter(Instant.parse("2026-01-14T21:00:00Z"))).isPresent(); // 22:00
    assertThat(NIGHT.endAfter(Instant.parse("2026-01-14T20:59:59Z"))).isEmpty(); // 21:59:59
    assertThat(NIGHT.endAfter(Instant.parse("2026-01-15T06:00:00Z"))).isEmpty(); // 07:00
    assertThat(NIGHT.endAfter(Instant.parse("2026-01-15T12:00:00Z"))).isEmpty(); // 13:00
  }

  @Test
  void aDaytimeWindowEndsTheSameDay() {
    QuietWindow lunch = new QuietWindow(LocalTime.of(12, 0), LocalTime.of(13, 30), BERLIN);
    assertThat(lunch.endAfter(Instant.parse("2026-07-01T10:15:00Z"))) // 12:15 CEST
        .contains(Instant.parse("2026-07-01T11:30:00Z"));
    assertThat(lunch.endAfter(Instant.parse("2026-07-01T11:30:00Z"))).isEmpty();
  }

  @Test
  void theNightClocksSpringForwardIsAnHourShorter() {
    // 2026-03-29: Berlin goes from 02:00 CET to 03:00 CEST.
    assertThat(NIGHT.endAfter(Instant.parse("2026-03-28T22:00:00Z"))) // 23:00 CET
        .contains(Instant.parse("2026-03-29T05:00:00Z")); // 07:00 CEST
  }

  @Test
  void anEndTimeTheClocksSkipMovesLaterByTheGap() {
    QuietWindow w = new QuietWindow(LocalTime.of(1, 0), LocalTime.of(2, 30), BERLIN);
    assertThat(w.endAfter(Instant.parse("2026-03-29T00:30:00Z"))) // 01:30 CET
        .contains(Instant.parse("2026-03-29T01:30:00Z")); // 02:30 does not exist: 03:30 CEST
  }

  @Test
  void anEndTimeTheClocksRepeatIsTheNextOneAhead() {
    // 2026-10-25: Berlin goes from 03:00 CEST back to 02:00 CET; 02:00-03:00 happens twice.
    QuietWindow w = new QuietWindow(LocalTime.of(1, 0), LocalTime.of(2, 30), BERLIN);
    assertThat(w.endAfter(Instant.parse("2026-10-25T00:15:00Z"))) // first 02:15 (CEST)
        .contains(Instant.parse("2026-10-25T00:30:00Z")); // first 02:30
    assertThat(w.endAfter(Instant.parse("2026-10-25T01:15:00Z"))) // second 02:15 (CET)
        .contains(Instant.parse("2026-10-25T01:30:00Z")); // second 02:30
  }

  @Test
  void theWindowsOwnZoneWinsThenTheSubscribersThenUtc() {
    assertThat(
            QuietWindow.of(new QuietHours("22:00", "07:00", "Asia/Tokyo"), "Europe/Berlin").zone())
        .isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(QuietWindow.of(new QuietHours("22:00", "07:00", null), "Europe/Berlin").zone())
        .isEqualTo(BERLIN);
    assertThat(QuietWindow.of(new QuietHours("22:00", "07:00", null), null).zone())
        .isEqualTo(ZoneId.of("UTC"));
    assertThat(QuietWindow.of(new QuietHours("22:00", "07:00", null), "Not/AZone").zone())
        .isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void anyInstantIsEitherOutsideOrHeldToTheNextLocalEndWithinADay() {
    Random random = new Random(7);
    List<ZoneId> zones =
        List.of(
            BERLIN,
            ZoneId.of("America/New_York"),
            ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("Asia/Kolkata"),
            ZoneId.of("UTC"));
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 20_000; i++) {
      ZoneId zone = zones.get(random.nextInt(zones.size()));
      LocalTime start = LocalTime.of(random.nextInt(24), random.nextInt(4) * 15);
      LocalTime end = LocalTime.of(random.nextInt(24), random.nextInt(4) * 15);
      if (start.equals(end)) continue;
      Instant now = from.plusSeconds(random.nextLong(366L * 24 * 3600));
      Optional<Instant> ends = new QuietWindow(start, end, zone).endAfter(now);
      LocalTime t = now.atZone(zone).toLocalTime();
      boolean inside =
          start.isBefore(end)
              ? !t.isBefore(start) && t.isBefore(end)
              : !t.isBefore(start) || t.isBefore(end);
      String why = "%s-%s %s at %s".formatted(start, end, zone, now);
      assertThat(ends.isPresent()).as(why).isEqualTo(inside);
      if (ends.isEmpty()) continue;
      assertThat(ends.get()).as(why).isAfter(now);
      assertThat(Duration.between(now, ends.get()))
          .as(why)
          .isLessThanOrEqualTo(Duration.ofHours(25));
      ZonedDateTime local = ends.get().atZone(zone);
      // The end's local time is the window's end, unless the clocks skipped it (then a little
      // later).
      int secondsLate =
          Math.floorMod(local.toLocalTime().toSecondOfDay() - end.toSecondOfDay(), 24 * 3600);
      assertThat(secondsLate).as(why).isBetween(0, 3600);
    }
  }
}
