package dev.herald.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  final RetryPolicy policy =
      new RetryPolicy(
          List.of(
              Duration.ofSeconds(1),
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              Duration.ofMinutes(5)));

  @Test
  void attemptsAreOnePlusTheSteps() {
    assertThat(policy.maxAttempts()).isEqualTo(5);
    assertThat(policy.exhausted(4)).isFalse();
    assertThat(policy.exhausted(5)).isTrue();
  }

  @RepeatedTest(50)
  void delaysFollowTheStepsWithinTwentyPercentJitter() {
    long[] steps = {1_000, 5_000, 30_000, 300_000};
    for (int attempt = 1; attempt <= 4; attempt++) {
      long d = policy.delayAfter(attempt, null).toMillis();
      assertThat(d).isBetween((long) (steps[attempt - 1] * 0.8), (long) (steps[attempt - 1] * 1.2));
    }
  }

  @Test
  void aLongerRetryAfterWinsAndAShorterOneDoesNot() {
    assertThat(policy.delayAfter(1, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.delayAfter(4, Duration.ofSeconds(10)).toMillis())
        .isGreaterThanOrEqualTo(240_000);
  }
}
