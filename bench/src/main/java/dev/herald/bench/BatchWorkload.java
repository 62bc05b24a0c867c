package dev.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch ingest: each {@code POST /v1/notifications} names 100 explicit subscribers (drawn from a
 * pool of 10,000 created beforehand), sent as fast as the server answers (closed model). Reports
 * deliveries accepted per second (requests × 100 × channels), then how long the fan-out of what was
 * accepted took to finish.
 */
final class BatchWorkload {
  static final int RECIPIENTS = 100;
  static final int POOL = 10_000;

  private BatchWorkload() {}

  static void run(Target target, Report report) {
    int seconds = Bench.seconds("bench.batch.seconds", 20);
    int connections = Integer.getInteger("bench.batch.connections", 32);
    report.put("recipients_per_request", RECIPIENTS);
    report.put("seconds", seconds);
    report.put("connections", connections);
    report.line(
        "closed-model POST /v1/notifications with %d explicit subscribers each, %d connections,"
            + " %d s",
        RECIPIENTS, connections, seconds);
    Map<String, Object> variants = new LinkedHashMap<>();
    for (List<String> channels : List.of(List.of("push"), List.of("push", "in_app"))) {
      variants.put(
          String.join("+", channels), variant(target, report, channels, seconds, connections));
    }
    report.put("variants", variants);
  }

  private static Map<String, Object> variant(
      Target target, Report report, List<String> channels, int seconds, int connections) {
    String name = String.join("+", channels);
    Map<String, Object> out = new LinkedHashMap<>();
    try (HeraldProcess herald = target.startHerald("batch-" + name.replace('+', '-'));
        Api api = herald.api()) {
      List<String> pool = new ArrayList<>(POOL);
      for (int i = 0; i < POOL; i++) pool.add(String.format("batch-%05d", i));
      api.put("/v1/topics/batch-pool/subscribers", Map.of("subscribers", pool));
      int bodies = POOL / RECIPIENTS;
      byte[][] requests = new byte[bodies][];
      for (int b = 0; b < bodies; b++) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to", Map.of("subscribers", pool.subList(b * RECIPIENTS, (b + 1) * RECIPIENTS)));
        body.put("channels", channels);
        body.put("title", "Weekly digest");
        body.put("body", "Five things happened this week");
        requests[b] = api.request("POST", "/v1/notifications", body);
      }
      LoadGenerator.Requests next = i -> requests[(int) (i % bodies)];
      // Warm-up, not reported.
      load(herald, next, 8, 5);
      api.awaitIdle(120);

      CpuMeter meter = target.meter(herald.pid());
      CpuMeter.Snapshot before = meter.take();
      LoadResult r = load(herald, next, connections, seconds);
      CpuMeter.Usage cpu = meter.since(before);
      long t0 = System.nanoTime();
      double drain = api.awaitIdle(300);
      CpuMeter.Usage total = meter.since(before);
      double accepted = r.achievedRate() * RECIPIENTS * channels.size();
      double processedSeconds = r.elapsedSeconds() + (System.nanoTime() - t0) / 1e9;
      out.put("result", r);
      out.put("requests_per_second", Math.round(r.achievedRate()));
      out.put("deliveries_accepted_per_second", Math.round(accepted));
      out.put("cpu_during_ingest", cpu);
      out.put("fanout_drain_seconds_after", drain);
      out.put(
          "deliveries_processed_per_second",
          drain < 0 ? null : Math.round(r.ok() * RECIPIENTS * channels.size() / processedSeconds));
      out.put("cpu_until_drained", total);
      report.line("");
      report.line("channels %s:", channels);
      report.line(
          "  %.0f requests/s = %.0f deliveries accepted/s; service time p50 %.2f p99 %.2f ms;"
              + " errors %d",
          r.achievedRate(), accepted, r.service().p50(), r.service().p99(), r.errorCount());
      report.line("  %s", cpu.describe());
      report.line(
          "  fan-out of the accepted work finished %s after the load stopped: %s deliveries"
              + " processed/s end to end",
          drain < 0 ? "not within 300 s" : String.format("%.1f s", drain),
          drain < 0
              ? "n/a"
              : String.format("%.0f", r.ok() * RECIPIENTS * channels.size() / processedSeconds));
      if (!r.errorSamples().isEmpty()) report.line("  error samples: %s", r.errorSamples());
    }
    return out;
  }

  private static LoadResult load(
      HeraldProcess herald, LoadGenerator.Requests requests, int connections, int seconds) {
    return LoadGenerator.run(
        new LoadGenerator.Options(
            "127.0.0.1", herald.port(), connections, 0, Duration.ofSeconds(seconds), Duration.ZERO),
        requests,
        LoadGenerator.Listener.NONE);
  }
}
