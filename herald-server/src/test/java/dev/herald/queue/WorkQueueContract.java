package dev.herald.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.store.Database;
import dev.herald.testing.MutableClock;
import dev.herald.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link WorkQueue} storage must do, run against {@link SqlWorkQueue} on each database
 * Herald supports. Subclasses only say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkQueueContract {
  private static final long LEASE_MS = 30_000;

  private TestDatabase database;
  private Database db;
  private MutableClock clock;
  private RecordingSignal signal;
  private SqlWorkQueue queue;

  /** A fresh, empty database for this class. */
  protected abstract TestDatabase newDatabase();

  @BeforeAll
  void open() {
    database = newDatabase();
    db = database.open();
  }

  @AfterAll
  void close() {
    db.close();
    database.close();
  }

  @BeforeEach
  void emptyQueue() {
    db.write(
        tx -> {
          for (String table : List.of("jobs", "dead_letters", "queue_totals")) {
            tx.handle().execute("DELETE FROM " + table);
          }
          return null;
        });
    clock = new MutableClock();
    signal = new RecordingSignal();
    queue = new SqlWorkQueue(db, signal, clock);
  }

  @Test
  void claimTakesOnlyDueJobsOfItsLane() {
    enqueue(job(Lane.IMPORTANT, "a1", "n1"), job(Lane.BULK, "a1", "n2"));
    enqueue(job(Lane.IMPORTANT, "a1", "n3", clock.millis() + 60_000));

    List<Job> important = claim(Lane.IMPORTANT, 10);
    assertThat(important).extracting(Job::notificationId).containsExactly("n1");
    assertThat(important.getFirst().attempts()).isEqualTo(1);
    assertThat(important.getFirst().lane()).isEqualTo(Lane.IMPORTANT);
    assertThat(claim(Lane.IMPORTANT, 10)).as("the scheduled job is not due yet").isEmpty();
    assertThat(claim(Lane.CRITICAL, 10)).isEmpty();

    clock.advance(Duration.ofSeconds(60));
    assertThat(claim(Lane.IMPORTANT, 10)).extracting(Job::notificationId).containsExactly("n3");
    assertThat(claim(Lane.BULK, 10)).extracting(Job::notificationId).containsExactly("n2");
  }

  @Test
  void claimedJobsCarryWhatWasEnqueued() {
    long runAt = clock.millis() - 5;
    enqueue(new NewJob(Lane.CRITICAL, "deliver", "a1", "n1", "{\"ids\":[\"d1\"]}", runAt));

    Job job = claim(Lane.CRITICAL, 1).getFirst();

    assertThat(job.kind()).isEqualTo("deliver");
    assertThat(job.appId()).isEqualTo("a1");
    assertThat(job.notificationId()).isEqualTo("n1");
    assertThat(job.payload()).isEqualTo("{\"ids\":[\"d1\"]}");
    assertThat(job.runAt()).isEqualTo(runAt);
    assertThat(job.createdAt()).isEqualTo(clock.millis());
  }

  @Test
  void claimsTakeBatchesOldestFirst() {
    for (int i = 0; i < 10; i++) {
      enqueue(job(Lane.BULK, "a1", "n" + i, clock.millis() + i));
    }
    clock.advance(Duration.ofMillis(10));

    List<String> order = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (List<Job> batch = claim(Lane.BULK, 4); !batch.isEmpty(); batch = claim(Lane.BULK, 4)) {
      sizes.add(batch.size());
      batch.stream()
          .sorted((x, y) -> Long.compare(x.runAt(), y.runAt()))
          .forEach(j -> order.add(j.notificationId()));
    }

    assertThat(sizes).containsExactly(4, 4, 2);
    assertThat(order).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9");
  }

  @Test
  void concurrentClaimersNeverTakeTheSameJob() throws Exception {
    int jobs = 3_000;
    List<NewJob> all = new ArrayList<>();
    for (int i = 0; i < jobs; i++) all.add(job(Lane.IMPORTANT, "a1", "n" + i));
    for (int i = 0; i < jobs; i += 500) enqueue(all.subList(i, i + 500).toArray(NewJob[]::new));
    enqueue(job(Lane.BULK, "a1", "other-lane"));

    ConcurrentLinkedQueue<Job> claimed = new ConcurrentLinkedQueue<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> claimers =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    Thread.ofPlatform()
                        .start(
                            () -> {
                              try {
                                start.await();
                                for (var b = claim(Lane.IMPORTANT, 16);
                                    !b.isEmpty();
                                    b = claim(Lane.IMPORTANT, 16)) {
                                  claimed.addAll(b);
                                }
                              } catch (Throwable e) {
                                failures.add(e);
                              }
                            }))
            .toList();
    start.countDown();
    for (Thread t : claimers) t.join(Duration.ofSeconds(60));

    assertThat(failures).isEmpty();
    assertThat(claimed).hasSize(jobs);
    assertThat(claimed.stream().map(Job::id).distinct()).hasSize(jobs);
    assertThat(claimed).allSatisfy(j -> assertThat(j.attempts()).isEqualTo(1));
    assertThat(claimed).noneMatch(j -> j.notificationId().equals("other-lane"));
    assertThat(counts(Optional.empty()).get(Lane.IMPORTANT).active()).isEqualTo(jobs);
  }

  @Test
  void expiredLeasesReturnToTheLaneAndAreClaimedAgainWithAnotherAttempt() {
    enqueue(job(Lane.CRITICAL, "a1", "n1"));
    Job first = claim(Lane.CRITICAL, 1, clock.millis() + 1_000).getFirst();
    signal.woken.clear();

    assertThat(releaseExpired()).as("the lease still runs").isZero();
    clock.advance(Duration.ofMillis(1_001));
    assertThat(releaseExpired()).isEqualTo(1);
    assertThat(signal.woken).contains(Lane.CRITICAL);

    Job again = claim(Lane.CRITICAL, 1).getFirst();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.attempts()).isEqualTo(2);
  }

  @Test
  void anExtendedLeaseDoesNotExpire() {
    enqueue(job(Lane.CRITICAL, "a1", "n1"));
    Job job = claim(Lane.CRITICAL, 1, clock.millis() + 1_000).getFirst();
    db.write(
        tx -> {
          queue.extendLease(tx, job.id(), clock.millis() + 10_000);
          return null;
        });

    clock.advance(Duration.ofSeconds(2));

    assertThat(releaseExpired()).isZero();
    assertThat(claim(Lane.CRITICAL, 1)).isEmpty();
  }

  @Test
  void releasedJobsAreClaimedAgainWithoutUsingAnAttempt() {
    enqueue(job(Lane.IMPORTANT, "a1", "n1"), job(Lane.IMPORTANT, "a1", "n2"));
    List<Job> jobs = claim(Lane.IMPORTANT, 2);

    db.write(
        tx -> {
          queue.release(tx, List.of(jobs.getFirst().id()));
          return null;
        });
    Job again = claim(Lane.IMPORTANT, 2).getFirst();
    assertThat(again.id()).isEqualTo(jobs.getFirst().id());
    assertThat(again.attempts()).isEqualTo(1);

    assertThat(db.<Integer>write(tx -> queue.releaseAll(tx))).isEqualTo(2);
    assertThat(claim(Lane.IMPORTANT, 5)).hasSize(2);
  }

  @Test
  void rescheduledJobWaitsForItsTimeAndRunsWithTheNewPayload() {
    enqueue(job(Lane.IMPORTANT, "a1", "n1"));
    Job job = claim(Lane.IMPORTANT, 1).getFirst();

    db.write(
        tx -> {
          queue.reschedule(tx, job, clock.millis() + 5_000, "timeout", "{\"left\":[\"d2\"]}");
          return null;
        });

    assertThat(claim(Lane.IMPORTANT, 1)).isEmpty();
    assertThat(counts(Optional.of("a1")).get(Lane.IMPORTANT))
        .isEqualTo(new QueueCounts(0, 0, 1, 0, 0));
    assertThat(queue.nextRunAt(Lane.IMPORTANT)).hasValue(clock.millis() + 5_000);
    clock.advance(Duration.ofSeconds(5));
    Job again = claim(Lane.IMPORTANT, 1).getFirst();
    assertThat(again.id()).isEqualTo(job.id());
    assertThat(again.payload()).isEqualTo("{\"left\":[\"d2\"]}");
    assertThat(again.attempts()).isEqualTo(2);
  }

  @Test
  void aPostponedJobWaitsForItsTimeWithoutUsingAnAttempt() {
    enqueue(job(Lane.CRITICAL, "a1", "n1"));
    Job job = claim(Lane.CRITICAL, 1).getFirst();
    db.write(
        tx -> {
          queue.postpone(tx, job, clock.millis() + 1_000);
          return null;
        });
    assertThat(claim(Lane.CRITICAL, 1)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    Job again = claim(Lane.CRITICAL, 1).getFirst();
    assertThat(again.id()).isEqualTo(job.id());
    assertThat(again.attempts()).isEqualTo(1);
  }

  @Test
  void rescheduleWithoutPayloadKeepsThePayload() {
    enqueue(new NewJob(Lane.BULK, "test", "a1", "n1", "{\"keep\":true}", clock.millis()));
    Job job = claim(Lane.BULK, 1).getFirst();

    db.write(
        tx -> {
          queue.reschedule(tx, job, clock.millis(), "again", null);
          return null;
        });

    assertThat(claim(Lane.BULK, 1).getFirst().payload()).isEqualTo("{\"keep\":true}");
  }

  @Test
  void buriedJobIsADeadLetterOfItsAppAndRedriveStartsItOver() {
    enqueue(new NewJob(Lane.BULK, "deliver", "a1", "n1", "{\"p\":1}", clock.millis()));
    enqueue(job(Lane.BULK, "a2", "n2"));
    Job job = claim(Lane.BULK, 1).getFirst();
    Job again = retryOnce(job);

    DeadLetter letter =
        db.write(tx -> queue.bury(tx, again, "provider said no", clock.millis() + 60_000));

    List<DeadLetter> listed = queue.deadLetters("a1", Optional.empty(), 10);
    assertThat(listed).containsExactly(letter);
    assertThat(letter.attempts()).isEqualTo(2);
    assertThat(letter.lastError()).isEqualTo("provider said no");
    assertThat(letter.payload()).isEqualTo("{\"p\":1}");
    assertThat(letter.notificationId()).isEqualTo("n1");
    assertThat(queue.deadLetters("a2", Optional.empty(), 10)).isEmpty();
    assertThat(db.<Optional<DeadLetter>>write(tx -> queue.deadLetter(tx, "a2", letter.id())))
        .isEmpty();
    assertThat(counts(Optional.of("a1")).get(Lane.BULK)).isEqualTo(new QueueCounts(0, 0, 0, 1, 0));

    Job redriven =
        db.write(
            tx ->
                queue.redrive(
                    tx, queue.deadLetter(tx, "a1", letter.id()).orElseThrow(), clock.millis()));
    assertThat(redriven.attempts()).isZero();
    assertThat(queue.deadLetters("a1", Optional.empty(), 10)).isEmpty();
    assertThat(signal.woken).contains(Lane.BULK);

    List<Job> due = claim(Lane.BULK, 10);
    assertThat(due).extracting(Job::appId).containsExactlyInAnyOrder("a1", "a2");
    Job rerun = due.stream().filter(j -> j.appId().equals("a1")).findFirst().orElseThrow();
    assertThat(rerun.id()).isEqualTo(redriven.id());
    assertThat(rerun.attempts()).isEqualTo(1);
    assertThat(rerun.payload()).isEqualTo("{\"p\":1}");
    assertThat(rerun.kind()).isEqualTo("deliver");
    assertThat(rerun.appId()).isEqualTo("a1");
  }

  @Test
  void deadLettersPageNewestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      enqueue(job(Lane.CRITICAL, "a1", "n" + i));
      Job job = claim(Lane.CRITICAL, 1).getFirst();
      ids.add(db.write(tx -> queue.bury(tx, job, "e" + job.id(), clock.millis() + 60_000)).id());
      clock.advance(Duration.ofMillis(2));
    }

    List<DeadLetter> first = queue.deadLetters("a1", Optional.empty(), 3);
    List<DeadLetter> second = queue.deadLetters("a1", Optional.of(first.getLast().id()), 3);

    assertThat(first)
        .extracting(DeadLetter::id)
        .containsExactly(ids.reversed().subList(0, 3).toArray(String[]::new));
    assertThat(second).extracting(DeadLetter::id).containsExactly(ids.get(1), ids.get(0));
  }

  @Test
  void purgeRemovesOnlyExpiredDeadLetters() {
    enqueue(job(Lane.BULK, "a1", "n1"), job(Lane.BULK, "a1", "n2"));
    List<Job> jobs = claim(Lane.BULK, 2);
    db.write(tx -> queue.bury(tx, jobs.get(0), "old", clock.millis() + 1_000));
    DeadLetter kept = db.write(tx -> queue.bury(tx, jobs.get(1), "new", clock.millis() + 5_000));

    clock.advance(Duration.ofSeconds(2));

    assertThat(db.<Integer>write(tx -> queue.purgeDeadLetters(tx, clock.millis()))).isEqualTo(1);
    assertThat(queue.deadLetters("a1", Optional.empty(), 10)).containsExactly(kept);
  }

  @Test
  void cancelDeletesOnlyWaitingJobsOfThatNotification() {
    enqueue(job(Lane.IMPORTANT, "a1", "n1"));
    Job running = claim(Lane.IMPORTANT, 1).getFirst();
    enqueue(
        job(Lane.IMPORTANT, "a1", "n1"),
        job(Lane.BULK, "a1", "n1", clock.millis() + 60_000),
        job(Lane.IMPORTANT, "a1", "n2"));

    assertThat(db.<Integer>write(tx -> queue.cancel(tx, "n1"))).isEqualTo(2);

    assertThat(counts(Optional.empty()).get(Lane.IMPORTANT))
        .as("the running job is left to finish")
        .isEqualTo(new QueueCounts(1, 1, 0, 0, 0));
    assertThat(claim(Lane.IMPORTANT, 10)).extracting(Job::notificationId).containsExactly("n2");
    clock.advance(Duration.ofMinutes(2));
    assertThat(claim(Lane.BULK, 10)).isEmpty();
    db.write(
        tx -> {
          queue.complete(tx, running);
          return null;
        });
    assertThat(counts(Optional.empty()).get(Lane.IMPORTANT).active()).isEqualTo(1);
  }

  @Test
  void countsAreKeptPerLaneStateAndApp() {
    enqueue(job(Lane.IMPORTANT, "a1", "active"));
    claim(Lane.IMPORTANT, 1);
    enqueue(
        job(Lane.IMPORTANT, "a1", "w1"),
        job(Lane.IMPORTANT, "a1", "w2"),
        job(Lane.IMPORTANT, "a1", "later", clock.millis() + 60_000),
        job(Lane.CRITICAL, "a2", "w3"),
        job(Lane.BULK, "a1", "dead"));
    Job dead = claim(Lane.BULK, 1).getFirst();
    db.write(tx -> queue.bury(tx, dead, "gone", clock.millis() + 60_000));
    db.write(
        tx -> {
          queue.addCompleted(tx, Lane.BULK, Map.of("a1", 3L, "a2", 4L));
          return null;
        });

    Map<Lane, QueueCounts> all = counts(Optional.empty());
    assertThat(all.get(Lane.IMPORTANT)).isEqualTo(new QueueCounts(2, 1, 1, 0, 0));
    assertThat(all.get(Lane.CRITICAL)).isEqualTo(new QueueCounts(1, 0, 0, 0, 0));
    assertThat(all.get(Lane.BULK)).isEqualTo(new QueueCounts(0, 0, 0, 1, 7));

    Map<Lane, QueueCounts> a1 = counts(Optional.of("a1"));
    assertThat(a1.get(Lane.IMPORTANT)).isEqualTo(new QueueCounts(2, 1, 1, 0, 0));
    assertThat(a1.get(Lane.CRITICAL)).isEqualTo(new QueueCounts(0, 0, 0, 0, 0));
    assertThat(a1.get(Lane.BULK)).isEqualTo(new QueueCounts(0, 0, 0, 1, 3));
    assertThat(counts(Optional.of("nobody")).values())
        .allSatisfy(c -> assertThat(c).isEqualTo(new QueueCounts(0, 0, 0, 0, 0)));
  }

  @Test
  void completedTotalsAddUp() {
    for (int i = 0; i < 3; i++) {
      db.write(
          tx -> {
            queue.addCompleted(tx, Lane.CRITICAL, Map.of("a1", 2L));
            queue.addCompleted(tx, Lane.BULK, Map.of("a1", 1L, "a2", 10L));
            return null;
          });
    }

    assertThat(counts(Optional.empty()).get(Lane.CRITICAL).completed()).isEqualTo(6);
    assertThat(counts(Optional.empty()).get(Lane.BULK).completed()).isEqualTo(33);
    assertThat(counts(Optional.of("a2")).get(Lane.BULK).completed()).isEqualTo(30);
  }

  @Test
  void nextRunAtIsTheEarliestWaitingJobOfTheLane() {
    assertThat(queue.nextRunAt(Lane.BULK)).isEmpty();
    enqueue(
        job(Lane.BULK, "a1", "n1", clock.millis() + 9_000),
        job(Lane.BULK, "a1", "n2", clock.millis() + 3_000),
        job(Lane.CRITICAL, "a1", "n3", clock.millis() + 1_000));

    assertThat(queue.nextRunAt(Lane.BULK)).hasValue(clock.millis() + 3_000);
  }

  @Test
  void enqueueWakesTheLaneOnlyOnceCommitted() {
    assertThatThrownBy(
            () ->
                db.write(
                    tx -> {
                      queue.enqueue(tx, List.of(job(Lane.CRITICAL, "a1", "n1")));
                      throw new IllegalStateException("rolled back");
                    }))
        .hasMessage("rolled back");
    assertThat(signal.woken).isEmpty();
    assertThat(claim(Lane.CRITICAL, 1)).as("the enqueue rolled back").isEmpty();

    enqueue(job(Lane.CRITICAL, "a1", "n2"));
    assertThat(signal.woken).containsExactly(Lane.CRITICAL);
  }

  // --- helpers

  private NewJob job(Lane lane, String app, String notification) {
    return job(lane, app, notification, clock.millis());
  }

  private NewJob job(Lane lane, String app, String notification, long runAt) {
    return new NewJob(lane, "test", app, notification, "{}", runAt);
  }

  private void enqueue(NewJob... jobs) {
    db.write(
        tx -> {
          queue.enqueue(tx, List.of(jobs));
          return null;
        });
  }

  private List<Job> claim(Lane lane, int max) {
    return claim(lane, max, clock.millis() + LEASE_MS);
  }

  private List<Job> claim(Lane lane, int max, long leaseUntil) {
    return db.write(tx -> queue.claim(tx, lane, max, leaseUntil));
  }

  private int releaseExpired() {
    return db.write(tx -> queue.releaseExpired(tx, clock.millis()));
  }

  private Job retryOnce(Job job) {
    db.write(
        tx -> {
          queue.reschedule(tx, job, clock.millis(), "first failure", null);
          return null;
        });
    return claim(job.lane(), 1).getFirst();
  }

  private Map<Lane, QueueCounts> counts(Optional<String> app) {
    return queue.counts(app, clock.millis());
  }

  /** Records wake-ups instead of waking anyone. */
  private static final class RecordingSignal implements WakeSignal {
    final List<Lane> woken = new CopyOnWriteArrayList<>();

    @Override
    public void wake(Lane lane) {
      woken.add(lane);
    }

    @Override
    public void await(Lane lane, long maxMillis) {}
  }
}
