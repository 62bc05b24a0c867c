package dev.herald.push.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

  @Test
  void tasksBeyondTheLimitWaitUntilASlotIsReleased() {
    InFlightLimit limit = new InFlightLimit(3);
    List<Integer> started = new ArrayList<>();

    for (int i = 0; i < 5; i++) {
      int task = i;
      limit.submit(() -> started.add(task));
    }

    assertThat(started).containsExactly(0, 1, 2);
    assertThat(limit.waiting()).isEqualTo(2);
    limit.release();
    assertThat(started).containsExactly(0, 1, 2, 3);
    limit.release();
    limit.release();
    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    assertThat(limit.waiting()).isZero();
  }

  @Test
  void aTaskThatThrowsGivesItsSlotBack() {
    InFlightLimit limit = new InFlightLimit(1);
    AtomicInteger ran = new AtomicInteger();

    limit.submit(
        () -> {
          throw new IllegalStateException("boom");
        });
    limit.submit(ran::incrementAndGet);

    assertThat(ran).hasValue(1);
  }

  @Test
  void tasksThatFinishAtOnceDoNotNestCalls() {
    InFlightLimit limit = new InFlightLimit(1);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 100_000; i++)
      limit.submit(
          () -> {
            ran.incrementAndGet();
            limit.release(); // as a request that fails synchronously does
          });

    assertThat(ran).hasValue(100_000);
  }

  @Test
  void manyThreadsNeverRunMoreThanTheLimitAtOnce() throws Exception {
    InFlightLimit limit = new InFlightLimit(4);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(2_000);
    ConcurrentLinkedQueue<Runnable> toFinish = new ConcurrentLinkedQueue<>();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 2_000; i++)
      threads.execute(
          () ->
              limit.submit(
                  () -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    toFinish.add(
                        () -> {
                          running.decrementAndGet();
                          done.countDown();
                          limit.release();
                        });
                  }));
    ExecutorService finisher = Executors.newSingleThreadExecutor();
    finisher.execute(
        () -> {
          while (done.getCount() > 0) {
            Runnable finish = toFinish.poll();
            if (finish != null) finish.run();
          }
        });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(most.get()).isBetween(1, 4);
    threads.shutdown();
    finisher.shutdown();
  }
}
