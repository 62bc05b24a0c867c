package dev.herald.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Fan-out of one in-app notification to every member of a 100,000-subscriber topic: the time from
 * the POST until the notification reads {@code sent}, i.e. every inbox item is written.
 */
final class FanoutWorkload {
  static final int CHUNK = 10_000;

  private FanoutWorkload() {}

  static void run(Target target, Report report) {
    int subscribers = Integer.getInteger("bench.fanout.subscribers", 100_000);
    report.put("subscribers", subscribers);
    try (HeraldProcess herald = target.startHerald("fanout");
        Api api = herald.api()) {
      CpuMeter meter = target.meter(herald.pid());
      CpuMeter.Snapshot joinStart = meter.take();
      for (int from = 0; from < subscribers; from += CHUNK) {
        List<String> ids = new ArrayList<>(CHUNK);
        for (int i = from; i < Math.min(subscribers, from + CHUNK); i++)
          ids.add(String.format("fan-%07d", i));
        api.put("/v1/topics/everyone/subscribers", Map.of("subscribers", ids));
      }
      CpuMeter.Usage join = meter.since(joinStart);
      report.line(
          "topic join: %d new subscribers in %.1f s (%.0f/s, PUT /v1/topics/{key}/subscribers in"
              + " chunks of %d)",
          subscribers, join.seconds(), subscribers / join.seconds(), CHUNK);
      report.put("join_seconds", join.seconds());
      report.put("join_cpu", join);

      Map<String, Object> body = new LinkedHashMap<>();
      body.put("to", Map.of("topics", List.of("everyone")));
      body.put("channels", List.of("in_app"));
      body.put("title", "We have moved");
      body.put("body", "Our new address is in the app");
      CpuMeter.Snapshot before = meter.take();
      long t0 = System.nanoTime();
      String id = api.post("/v1/notifications", body).path("id").asString();
      JsonNode n;
      List<Map<String, Object>> progress = new ArrayList<>();
      long lastSample = 0;
      while (true) {
        n = api.get("/v1/notifications/" + id);
        String status = n.path("status").asString();
        long now = System.nanoTime();
        if (now - lastSample > 1_000_000_000L) {
          lastSample = now;
          progress.add(
              Map.of(
                  "seconds",
                  Math.round((now - t0) / 1e8) / 10.0,
                  "recipients_processed",
                  n.path("progress").path("recipients_processed").asLong()));
        }
        if (status.equals("sent") || status.equals("partial") || status.equals("failed")) break;
        if ((now - t0) / 1e9 > 900)
          throw new IllegalStateException("fan-out unfinished after 900 s");
        Bench.sleep(100);
      }
      double clientSeconds = (System.nanoTime() - t0) / 1e9;
      CpuMeter.Usage cpu = meter.since(before);
      double serverSeconds =
          (Api.millis(n.get("finished_at")) - Api.millis(n.get("created_at"))) / 1000.0;
      long total = n.path("counts").path("total").asLong();
      long unread =
          api.get("/v1/inbox/count?subscriber_id=fan-" + String.format("%07d", subscribers - 1))
              .path("unread")
              .asLong();
      report.put("status", n.path("status").asString());
      report.put("deliveries", total);
      report.put("server_seconds", serverSeconds);
      report.put("client_seconds", clientSeconds);
      report.put("subscribers_per_second", Math.round(subscribers / serverSeconds));
      report.put("cpu", cpu);
      report.put("herald_peak_rss_mib", herald.peakRssMib());
      report.put("progress", progress);
      report.line(
          "fan-out to %d subscribers (in_app): status %s, %d deliveries, %.2f s from acceptance to"
              + " finished (%.2f s seen by the client) = %.0f subscribers/s",
          subscribers,
          n.path("status").asString(),
          total,
          serverSeconds,
          clientSeconds,
          subscribers / serverSeconds);
      report.line("last subscriber's unread count afterwards: %d", unread);
      report.line("%s; herald peak RSS %d MiB", cpu.describe(), herald.peakRssMib());
    }
  }
}
