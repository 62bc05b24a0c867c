package dev.herald.queue;

import dev.herald.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One runner per lane: it claims batches of due jobs when workers are free, runs each on a virtual
 * thread, and records the outcome with the job's own state changes in one transaction. Idle runners
 * sleep until woken or until the lane's next scheduled job is due; no busy polling.
 */
public final class Workers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);
  // A safety net for wake-ups lost between nodes (e.g. a dropped LISTEN connection).
  private static final long MAX_IDLE_MS = 5_000;
  private static final int MAX_CLAIM = 256;
  private static final long BATCH_WAIT_MS = 2;

  private final Database db;
  private final WorkQueue queue;
  private final WakeSignal signal;
  private final JobRunner runner;
  private final Duration lease;
  private final Clock clock;
  private final Map<Lane, Integer> sizes;
  private final List<LaneRunner> runners = new ArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private Thread reaper;
  private volatile boolean running;

  public Workers(
      Database db,
      WorkQueue queue,
      WakeSignal signal,
      JobRunner runner,
      Map<Lane, Integer> sizes,
      Duration lease,
      Clock clock) {
    this.db = db;
    this.queue = queue;
    this.signal = signal;
    this.runner = runner;
    this.sizes = Map.copyOf(sizes);
    this.lease = lease;
    this.clock = clock;
  }

  public void start() {
    running = true;
    for (Lane lane : Lane.values()) {
      LaneRunner r = new LaneRunner(lane, sizes.get(lane));
      runners.add(r);
      r.thread = Thread.ofPlatform().name("herald-lane-" + lane.key()).start(r::loop);
    }
    reaper = Thread.ofPlatform().name("herald-lease-reaper").daemon().start(this::reap);
  }

  /** Stops claiming, lets in-flight jobs finish for up to {@code grace}, then releases the rest. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  public void stop(Duration grace) {
    if (!running) return;
    running = false;
    for (Lane lane : Lane.values()) signal.wake(lane);
    for (LaneRunner r : runners) join(r.thread);
    if (reaper != null) reaper.interrupt();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        List<Long> unfinished = runners.stream().flatMap(r -> r.inFlight.stream()).toList();
        log.warn(
            "{} jobs still running after {}; releasing their leases", unfinished.size(), grace);
        db.write(
            tx -> {
              queue.release(tx, unfinished);
              return null;
            });
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (LaneRunner r : runners) r.flushCompleted();
  }

  private void join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void reap() {
    long every = Math.max(1000, lease.toMillis() / 2);
    while (running) {
      try {
        Thread.sleep(every);
        int n = db.write(tx -> queue.releaseExpired(tx, clock.millis()));
        if (n > 0)
          log.warn("Released {} jobs whose lease expired (a worker stopped without finishing)", n);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("Lease reaper failed; it will keep running", e);
      }
    }
  }

  private final class LaneRunner {
    final Lane lane;
    final Semaphore free;
    final int size;
    final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    final Map<String, LongAdder> completed = new ConcurrentHashMap<>();
    Thread thread;

    LaneRunner(Lane lane, int size) {
      this.lane = lane;
      this.free = new Semaphore(size);
      this.size = size;
    }

    void loop() {
      boolean backlog = false;
      while (running) {
        try {
          free.acquire();
          int slots = 1 + free.drainPermits();
          // With a backlog, wait a moment for a quarter of the workers to be free: one claim
          // (and one write) per few jobs instead of per job, at most BATCH_WAIT_MS later.
          int want = Math.max(1, Math.min(size / 4, MAX_CLAIM));
          if (backlog
              && slots < want
              && free.tryAcquire(want - slots, BATCH_WAIT_MS, TimeUnit.MILLISECONDS)) {
            slots = want;
          }
          slots += free.drainPermits();
          List<Job> jobs = claim(Math.min(slots, MAX_CLAIM));
          free.release(slots - jobs.size());
          backlog = jobs.size() == Math.min(slots, MAX_CLAIM);
          if (jobs.isEmpty()) {
            idle();
            continue;
          }
          for (Job job : jobs) {
            inFlight.add(job.id());
            executor.execute(() -> run(job));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          log.error("Lane {} runner failed; it will keep running", lane.key(), e);
          sleepQuietly(1000);
        }
      }
    }

    private List<Job> claim(int max) {
      long leaseUntil = clock.millis() + lease.toMillis();
      Map<String, Long> done = drainCompleted();
      try {
        return db.write(
            tx -> {
              queue.addCompleted(tx, lane, done);
              return queue.claim(tx, lane, max, leaseUntil);
            });
      } catch (RuntimeException e) {
        done.forEach((app, n) -> completed.computeIfAbsent(app, k -> new LongAdder()).add(n));
        throw e;
      }
    }

    /** Completion totals ride along with the next claim: no hot row written per job. */
    private Map<String, Long> drainCompleted() {
      Map<String, Long> done = new HashMap<>();
      completed.forEach(
          (app, adder) -> {
            long n = adder.sumThenReset();
            if (n > 0) done.put(app, n);
          });
      return done;
    }

    void flushCompleted() {
      Map<String, Long> done = drainCompleted();
      if (!done.isEmpty()) {
        db.write(
            tx -> {
              queue.addCompleted(tx, lane, done);
              return null;
            });
      }
    }

    private void idle() throws InterruptedException {
      long wait = MAX_IDLE_MS;
      var next = queue.nextRunAt(lane);
      if (next.isPresent()) wait = Math.max(20, Math.min(wait, next.getAsLong() - clock.millis()));
      if (wait > 0) signal.await(lane, wait);
    }

    private void run(Job job) {
      MDC.put("job_id", String.valueOf(job.id()));
      if (job.notificationId() != null) MDC.put("notification_id", job.notificationId());
      try {
        if (runner.run(job)) {
          completed
              .computeIfAbsent(job.appId() == null ? "" : job.appId(), k -> new LongAdder())
              .increment();
        }
      } catch (RuntimeException e) {
        log.error("Could not record the outcome of job {}; its lease will return it", job.id(), e);
      } finally {
        inFlight.remove(job.id());
        free.release();
        MDC.remove("job_id");
        MDC.remove("notification_id");
      }
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
