package dev.herald.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * Lane isolation: critical in-app notifications sent at a steady rate to a one-member topic, first
 * on an idle server, then while a flood of bulk notifications (each to a 100-member topic) drains.
 * Topic audiences make every in-app item a product of the lane's fan-out job, so a notification's
 * {@code finished_at - created_at} is its accept → inbox-visible latency through the critical lane.
 */
final class CriticalWorkload {
  static final int BULK_TOPICS = 20;
  static final int BULK_TOPIC_SIZE = 100;

  private CriticalWorkload() {}

  static void run(Target target, Report report) {
    int bulkNotifications = Integer.getInteger("bench.critical.bulk", 2_000);
    int rate = Integer.getInteger("bench.critical.rate", 50);
    int baselineSeconds = Bench.seconds("bench.critical.baseline.seconds", 10);
    int floodSeconds = Bench.seconds("bench.critical.seconds", 40);
    report.put("bulk_notifications", bulkNotifications);
    report.put("bulk_recipients_each", BULK_TOPIC_SIZE);
    report.put("critical_rate", rate);
    try (HeraldProcess herald = target.startHerald("critical");
        Api api = herald.api()) {
      api.put("/v1/topics/crit/subscribers", Map.of("subscribers", List.of("crit-1")));
      for (int t = 0; t < BULK_TOPICS; t++) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BULK_TOPIC_SIZE; i++) ids.add(String.format("bulk-%02d-%03d", t, i));
        api.put("/v1/topics/bulk-" + t + "/subscribers", Map.of("subscribers", ids));
      }
      Map<String, Object> critical = new LinkedHashMap<>();
      critical.put("to", Map.of("topics", List.of("crit")));
      critical.put("channels", List.of("in_app"));
      critical.put("priority", "critical");
      critical.put("title", "Sign-in from a new device");
      critical.put("body", "Was this you?");
      byte[] criticalRequest = api.request("POST", "/v1/notifications", critical);
      byte[][] bulkRequests = new byte[BULK_TOPICS][];
      for (int t = 0; t < BULK_TOPICS; t++) {
        Map<String, Object> bulk = new LinkedHashMap<>();
        bulk.put("to", Map.of("topics", List.of("bulk-" + t)));
        bulk.put("channels", List.of("in_app", "push"));
        bulk.put("priority", "bulk");
        bulk.put("title", "Spring sale");
        bulk.put("body", "Everything 20% off this weekend");
        bulkRequests[t] = api.request("POST", "/v1/notifications", bulk);
      }
      CpuMeter meter = target.meter(herald.pid());

      // Warm-up, then the baseline on an idle server.
      send(herald, criticalRequest, rate, 5, new ConcurrentLinkedQueue<>());
      api.awaitIdle(30);
      Queue<String> baselineIds = new ConcurrentLinkedQueue<>();
      LoadResult baseline = send(herald, criticalRequest, rate, baselineSeconds, baselineIds);
      Histogram baselineVisible = visible(api, baselineIds, Long.MAX_VALUE, null);
      report.line(
          "idle server, critical in_app to a topic at %d/s for %d s: POST p50 %.2f p99 %.2f ms;"
              + " accept -> inbox-visible p50 %.0f p99 %.0f max %.0f ms",
          rate,
          baselineSeconds,
          baseline.latency().p50(),
          baseline.latency().p99(),
          baselineVisible.getValueAtPercentile(50) / 1000.0,
          baselineVisible.getValueAtPercentile(99) / 1000.0,
          baselineVisible.getMaxValue() / 1000.0);
      report.put("baseline_post", baseline);
      report.put("baseline_visible_ms", LoadResult.Percentiles.of(baselineVisible));

      // Critical sends start with the flood and run on while its backlog drains.
      CpuMeter.Snapshot before = meter.take();
      long floodStartMillis = System.currentTimeMillis();
      List<long[]> backlog = new ArrayList<>(); // {epoch ms, bulk jobs}
      Thread sampler =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Api stats = herald.api()) {
                      while (!Thread.currentThread().isInterrupted()) {
                        long n = stats.backlog("bulk");
                        synchronized (backlog) {
                          backlog.add(new long[] {System.currentTimeMillis(), n});
                        }
                        Thread.sleep(2000);
                      }
                    } catch (InterruptedException e) {
                      // done
                    }
                  });
      Queue<String> floodIds = new ConcurrentLinkedQueue<>();
      AtomicReference<LoadResult> underFloodResult = new AtomicReference<>();
      Thread criticalSender =
          Thread.ofVirtual()
              .start(
                  () ->
                      underFloodResult.set(
                          send(herald, criticalRequest, rate, floodSeconds, floodIds)));
      long floodStart = System.nanoTime();
      int accepted = post(herald, bulkRequests, bulkNotifications, 8);
      double floodPostSeconds = (System.nanoTime() - floodStart) / 1e9;
      long floodPostedMillis = System.currentTimeMillis();
      join(criticalSender);
      sampler.interrupt();
      join(sampler);
      LoadResult underFlood = underFloodResult.get();
      long drainedAt = Long.MAX_VALUE;
      long peakBacklog = 0;
      synchronized (backlog) {
        for (long[] s : backlog) {
          peakBacklog = Math.max(peakBacklog, s[1]);
          if (s[1] == 0 && s[0] > floodPostedMillis && drainedAt == Long.MAX_VALUE) {
            drainedAt = s[0];
          }
        }
      }
      Histogram after = new Histogram(3_600_000_000L, 3);
      Histogram during = visible(api, floodIds, drainedAt, after);
      double bulkDrain = api.awaitIdle(600);
      CpuMeter.Usage cpu = meter.since(before);
      report.line(
          "flood: %d bulk notifications x %d recipients (in_app+push, topic audiences) accepted in"
              + " %.1f s; bulk lane backlog peaked at %d jobs and %s",
          accepted,
          BULK_TOPIC_SIZE,
          floodPostSeconds,
          peakBacklog,
          drainedAt == Long.MAX_VALUE
              ? "still draining when the critical sends stopped"
              : String.format(
                  "drained %.1f s after the flood began", (drainedAt - floodStartMillis) / 1000.0));
      report.line(
          "critical in_app at %d/s from the flood's start while its backlog lasted (%d sends):"
              + " accept -> inbox-visible p50 %.0f p99 %.0f max %.0f ms; POST latency over all %d s"
              + " of critical sends p50 %.2f p99 %.2f ms",
          rate,
          during.getTotalCount(),
          during.getValueAtPercentile(50) / 1000.0,
          during.getValueAtPercentile(99) / 1000.0,
          during.getMaxValue() / 1000.0,
          floodSeconds,
          underFlood.latency().p50(),
          underFlood.latency().p99());
      if (after.getTotalCount() > 0)
        report.line(
            "  (%d critical sends after the backlog was gone: p50 %.0f p99 %.0f ms)",
            after.getTotalCount(),
            after.getValueAtPercentile(50) / 1000.0,
            after.getValueAtPercentile(99) / 1000.0);
      report.line(
          "whole bulk work (%d in-app items, %d deliveries) finished %.1f s after the critical"
              + " sends stopped; %s",
          accepted * BULK_TOPIC_SIZE, accepted * BULK_TOPIC_SIZE * 2, bulkDrain, cpu.describe());
      report.put("flood_accepted", accepted);
      report.put("flood_post_seconds", floodPostSeconds);
      report.put("bulk_backlog_peak", peakBacklog);
      report.put(
          "bulk_drained_seconds_after_flood_start",
          drainedAt == Long.MAX_VALUE ? null : (drainedAt - floodStartMillis) / 1000.0);
      report.put("under_flood_post", underFlood);
      report.put("under_flood_visible_ms", LoadResult.Percentiles.of(during));
      report.put("after_drain_visible_ms", LoadResult.Percentiles.of(after));
      report.put("bulk_backlog_samples", backlog);
      report.put("bulk_drain_seconds_after_sends", bulkDrain);
      report.put("cpu", cpu);
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static LoadResult send(
      HeraldProcess herald, byte[] request, int rate, int seconds, Queue<String> ids) {
    return LoadGenerator.run(
        new LoadGenerator.Options(
            "127.0.0.1",
            herald.port(),
            8,
            rate,
            Duration.ofSeconds(seconds),
            Duration.ofSeconds(5)),
        i -> request,
        (i, status, body) -> {
          if (status == 202) ids.add(Api.JSON.readTree(body).path("id").asString());
        });
  }

  /**
   * Waits for each notification to finish and records {@code finished_at - created_at}: into the
   * answer if created before {@code splitAt}, else into {@code later}.
   */
  private static Histogram visible(Api api, Queue<String> ids, long splitAt, Histogram later) {
    Histogram h = new Histogram(3_600_000_000L, 3);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    for (String id : ids) {
      JsonNode n;
      while (true) {
        n = api.get("/v1/notifications/" + id);
        if (!n.path("finished_at").isNull() && n.has("finished_at")) break;
        if (System.nanoTime() > deadline) throw new IllegalStateException(id + " never finished");
        Bench.sleep(200);
      }
      long created = Api.millis(n.get("created_at"));
      long us = Math.max(1, (Api.millis(n.get("finished_at")) - created) * 1000);
      if (created < splitAt) h.recordValue(us);
      else if (later != null) later.recordValue(us);
    }
    return h;
  }

  /** Posts {@code count} requests (cycling through {@code requests}) over {@code connections}. */
  private static int post(HeraldProcess herald, byte[][] requests, int count, int connections) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (HttpConnection conn = new HttpConnection("127.0.0.1", herald.port())) {
                      int i;
                      while ((i = next.getAndIncrement()) < count) {
                        try {
                          if (conn.exchange(requests[i % requests.length]).ok())
                            ok.incrementAndGet();
                        } catch (IOException e) {
                          // counted by its absence
                        }
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ok.get();
  }
}
