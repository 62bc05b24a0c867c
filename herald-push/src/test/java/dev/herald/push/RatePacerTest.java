package dev.herald.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RatePacerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private RatePacer pacer(int perSecond, Duration burst) {
    return new RatePacer(perSecond, Duration.ofSeconds(1), burst, now::get);
  }

  @Test
  void withoutBurstEachPermitWaitsItsShareOfThePeriod() {
    RatePacer pacer = pacer(10, Duration.ZERO);
    assertThat(pacer.reserve(1)).isZero();
    assertThat(pacer.reserve(1)).isEqualTo(100_000_000L);
    assertThat(pacer.reserve(1)).isEqualTo(200_000_000L);
  }

  @Test
  void aBatchReservesItsSizeForTheNextCaller() {
    RatePacer pacer = pacer(600, Duration.ZERO);
    assertThat(pacer.reserve(100)).isZero();
    assertThat(pacer.reserve(100)).isEqualTo(100 * 1_666_667L); // 1/600 s, rounded up
  }

  @Test
  void theBurstGoesThroughAtOnceThenThePaceHolds() {
    RatePacer pacer = pacer(10, Duration.ofMillis(300));
    for (int i = 0; i < 4; i++) assertThat(pacer.reserve(1)).isZero();
    assertThat(pacer.reserve(1)).isEqualTo(100_000_000L);
  }

  @Test
  void idleTimeIsNotSavedUpBeyondTheBurst() {
    RatePacer pacer = pacer(10, Duration.ZERO);
    pacer.reserve(1);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(pacer.reserve(1)).isZero();
    assertThat(pacer.reserve(1)).isEqualTo(100_000_000L);
  }

  @Test
  void nothingIsEverRefusedOnlyDelayed() {
    RatePacer pacer = pacer(1, Duration.ZERO);
    long last = -1;
    for (int i = 0; i < 1_000; i++) {
      long wait = pacer.reserve(1);
      assertThat(wait).isGreaterThan(last);
      last = wait;
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(999).toNanos());
  }
}
