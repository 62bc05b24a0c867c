package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PublishQueueTest {
  private static List<BusMessage> messages(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> new BusMessage("app", "u", i, "{}")).toList();
  }

  @Test
  void aBacklogLosesItsBodiesAndAFullQueueKeepsOnlyEachSubscribersLatestSeq() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<BusMessage> sent = new CopyOnWriteArrayList<>();
    try (PublishQueue queue =
        new PublishQueue(
            "test",
            10,
            batch -> {
              sending.countDown();
              release.await(10, TimeUnit.SECONDS);
              sent.addAll(batch);
            })) {
      queue.offer(messages(0, 1));
      assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      queue.offer(messages(1, 16)); // the sender is stuck: 10 fit, 5 do not
      queue.offer(
          List.of(new BusMessage("app", "v", 7, "{}"), new BusMessage("app", "v", 3, "{}")));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(queue.dropped()).isZero();

      release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 13);
      assertThat(sent.getFirst()).isEqualTo(messages(0, 1).getFirst());
      // The backlog (more than half the queue) went out without bodies.
      assertThat(sent.subList(1, 11))
          .containsExactlyElementsOf(
              messages(1, 11).stream().map(BusMessage::withoutBody).toList());
      // What did not fit: one body-less hint per subscriber with its highest seq.
      assertThat(sent.subList(11, 13))
          .containsExactlyInAnyOrder(
              new BusMessage("app", "u", 15, null), new BusMessage("app", "v", 7, null));
    }
  }

  @Test
  void whatGathersWhileASendRunsGoesOutAsOneBatch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<List<BusMessage>> batches = new CopyOnWriteArrayList<>();
    try (PublishQueue queue =
        new PublishQueue(
            "test",
            10_000,
            batch -> {
              release.await(10, TimeUnit.SECONDS);
              batches.add(new ArrayList<>(batch));
            })) {
      queue.offer(messages(0, 1));
      for (int i = 1; i < 500; i += 7) queue.offer(messages(i, Math.min(500, i + 7)));
      release.countDown();

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> batches.stream().mapToInt(List::size).sum() == 500);
      assertThat(batches).hasSizeLessThanOrEqualTo(3);
      assertThat(batches.stream().flatMap(List::stream))
          .containsExactlyElementsOf(messages(0, 500));
    }
  }

  @Test
  void aFailedSendIsLoggedAndLaterMessagesStillGo() throws Exception {
    CountDownLatch failed = new CountDownLatch(1);
    List<BusMessage> sent = new CopyOnWriteArrayList<>();
    try (PublishQueue queue =
        new PublishQueue(
            "test",
            100,
            batch -> {
              if (batch.getFirst().seq() == 0) {
                failed.countDown();
                throw new IllegalStateException("connection reset");
              }
              sent.addAll(batch);
            })) {
      queue.offer(messages(0, 1));
      assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
      queue.offer(messages(1, 3));

      await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
      assertThat(sent).containsExactlyElementsOf(messages(1, 3));
    }
  }

  @Test
  void closingSendsWhatIsAlreadyQueued() {
    List<BusMessage> sent = new CopyOnWriteArrayList<>();
    PublishQueue queue =
        new PublishQueue(
            "test",
            100_000,
            batch -> {
              Thread.sleep(20);
              sent.addAll(batch);
            });
    queue.offer(messages(0, 5_000));

    queue.close();

    assertThat(sent).containsExactlyElementsOf(messages(0, 5_000));
  }
}
