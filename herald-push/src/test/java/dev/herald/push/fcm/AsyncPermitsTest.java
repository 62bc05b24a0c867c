package dev.herald.push.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncPermitsTest {
  private final List<String> ran = new ArrayList<>();
  private final AsyncPermits permits = new AsyncPermits(2, Runnable::run);

  @Test
  void tasksBeyondTheLimitWaitForARelease() {
    permits.acquire(() -> ran.add("a"));
    permits.acquire(() -> ran.add("b"));
    permits.acquire(() -> ran.add("c"));
    assertThat(ran).containsExactly("a", "b");

    permits.release();
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void waitingTasksRunInArrivalOrder() {
    permits.acquire(() -> ran.add("a"));
    permits.acquire(() -> ran.add("b"));
    permits.acquire(() -> ran.add("c"));
    permits.acquire(() -> ran.add("d"));
    permits.release();
    permits.release();
    assertThat(ran).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aReleasedPermitIsFreeForTheNextCaller() {
    permits.acquire(() -> ran.add("a"));
    permits.acquire(() -> ran.add("b"));
    permits.release();
    permits.release();
    permits.acquire(() -> ran.add("c"));
    permits.acquire(() -> ran.add("d"));
    permits.acquire(() -> ran.add("e"));
    assertThat(ran).containsExactly("a", "b", "c", "d");
  }
}
