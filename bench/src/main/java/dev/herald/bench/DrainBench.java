package dev.herald.bench;

import dev.herald.config.HeraldConfig.LogFormat;
import dev.herald.observability.LogSetup;
import dev.herald.queue.Job;
import dev.herald.queue.JobResult;
import dev.herald.queue.JobRunner;
import dev.herald.queue.Lane;
import dev.herald.queue.LocalWakeSignal;
import dev.herald.queue.NewJob;
import dev.herald.queue.QueueObserver;
import dev.herald.queue.RetryPolicy;
import dev.herald.queue.SqlWorkQueue;
import dev.herald.queue.Workers;
import dev.herald.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Queue drain with a no-op handler, in-process against Herald's own {@link Database}, {@link
 * SqlWorkQueue} and {@link Workers}: enqueue {@code jobs} in batches, then time how long the
 * workers take to claim, run and complete them all. Started in its own JVM by {@code bench/run}:
 *
 * <pre>
 * DrainBench &lt;jdbc-url&gt; &lt;user or -&gt; &lt;jobs&gt; &lt;workers per lane&gt; &lt;result.json&gt;
 *     [postgres data folder, to count PostgreSQL's CPU]
 * </pre>
 */
public final class DrainBench {
  static final String KIND = "noop";
  static final int ENQUEUE_BATCH = 1_000;

  private DrainBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Optional<String> user = args[1].equals("-") ? Optional.empty() : Optional.of(args[1]);
    int jobs = Integer.parseInt(args[2]);
    int workers = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    CpuMeter meter = CpuMeter.ofThisProcess(args.length > 5 ? args[5] : null);
    LogSetup.configure(LogFormat.TEXT);
    Clock clock = Clock.systemUTC();
    Map<String, Object> result = new LinkedHashMap<>();
    try (Database db = Database.open(url, user, Optional.empty())) {
      LocalWakeSignal signal = new LocalWakeSignal();
      SqlWorkQueue queue = new SqlWorkQueue(db, signal, clock);

      CpuMeter.Snapshot enqueueStart = meter.take();
      long t0 = System.nanoTime();
      for (int from = 0; from < jobs; from += ENQUEUE_BATCH) {
        List<NewJob> batch = new ArrayList<>(ENQUEUE_BATCH);
        long now = clock.millis();
        for (int i = from; i < Math.min(jobs, from + ENQUEUE_BATCH); i++) {
          batch.add(new NewJob(Lane.IMPORTANT, KIND, "bench", null, "{\"n\":" + i + "}", now));
        }
        db.write(
            tx -> {
              queue.enqueue(tx, batch);
              return null;
            });
      }
      double enqueueSeconds = (System.nanoTime() - t0) / 1e9;
      CpuMeter.Usage enqueueCpu = meter.since(enqueueStart);

      LongAdder done = new LongAdder();
      QueueObserver counting =
          new QueueObserver() {
            @Override
            public void completed(Job job) {
              done.increment();
            }

            @Override
            public void retried(Job job, String error) {
              System.err.println("retried: " + error);
            }
          };
      JobRunner runner =
          new JobRunner(
              db,
              queue,
              Map.of(KIND, job -> JobResult.done()),
              new RetryPolicy(List.of(Duration.ofSeconds(1))),
              Duration.ofDays(1),
              clock,
              counting);
      Workers pool =
          new Workers(
              db,
              queue,
              signal,
              runner,
              Map.of(Lane.CRITICAL, workers, Lane.IMPORTANT, workers, Lane.BULK, workers),
              Duration.ofSeconds(60),
              clock);
      List<Long> perSecond = new ArrayList<>();
      CpuMeter.Snapshot drainStart = meter.take();
      long t1 = System.nanoTime();
      pool.start();
      long last = 0;
      long tick = t1 + 1_000_000_000L;
      long deadline = t1 + Duration.ofMinutes(10).toNanos();
      while (done.sum() < jobs && System.nanoTime() < deadline) {
        Thread.sleep(5);
        if (System.nanoTime() >= tick) {
          long n = done.sum();
          perSecond.add(n - last);
          last = n;
          tick += 1_000_000_000L;
        }
      }
      double drainSeconds = (System.nanoTime() - t1) / 1e9;
      CpuMeter.Usage drainCpu = meter.since(drainStart);
      pool.close();
      long left = db.read(h -> h.createQuery("SELECT COUNT(*) FROM jobs").mapTo(Long.class).one());
      result.put("jobs", jobs);
      result.put("workers", workers);
      result.put("enqueue_batch", ENQUEUE_BATCH);
      result.put("enqueue_seconds", enqueueSeconds);
      result.put("enqueued_per_second", Math.round(jobs / enqueueSeconds));
      result.put("enqueue_cpu", enqueueCpu);
      result.put("completed", done.sum());
      result.put("drain_seconds", drainSeconds);
      result.put("drained_per_second", Math.round(done.sum() / drainSeconds));
      result.put("jobs_left_in_table", left);
      result.put("drain_cpu", drainCpu);
      result.put("drain_cpu_description", drainCpu.describe());
      result.put("completed_per_second_timeline", perSecond);
    }
    Files.writeString(out, Report.OUT.writeValueAsString(result));
    System.exit(0);
  }
}
