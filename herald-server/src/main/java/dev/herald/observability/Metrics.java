package dev.herald.observability;

import dev.herald.delivery.DeliveryObserver;
import dev.herald.queue.Job;
import dev.herald.queue.Lane;
import dev.herald.queue.QueueCounts;
import dev.herald.queue.QueueObserver;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Herald's Prometheus metrics. It observes deliveries and jobs through the domain's observer
 * interfaces, so no domain code imports Micrometer.
 */
public final class Metrics implements DeliveryObserver, QueueObserver {
  private static final Duration[] HTTP_BUCKETS =
      Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  // The same edges as before, from 5 ms to the bulk lane's day.
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1),
    Duration.ofDays(1)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter accepted;
  private final Map<String, Counter> finished = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger websocketConnections = new AtomicInteger();
  private final AtomicReference<Map<Lane, QueueCounts>> queue =
      new AtomicReference<>(new EnumMap<>(Lane.class));

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    accepted =
        Counter.builder("herald_notifications_accepted")
            .description("Notifications accepted")
            .register(registry);
    Counter.builder("herald_notifications_sent")
        .description("Notifications finished as sent or partial")
        .register(registry);
    Gauge.builder("herald_websocket_connections", websocketConnections, AtomicInteger::get)
        .description("Open WebSocket and SSE connections")
        .register(registry);
    for (Lane lane : Lane.values()) {
      for (String state : new String[] {"waiting", "active", "delayed", "failed", "completed"}) {
        Gauge.builder("herald_queue_jobs", () -> queueValue(lane, state))
            .tags("lane", lane.key(), "state", state)
            .description("Jobs per lane and state (refreshed periodically)")
            .register(registry);
      }
    }
  }

  public String scrape() {
    return registry.scrape();
  }

  public AtomicInteger websocketConnections() {
    return websocketConnections;
  }

  /** Publishes a fresh snapshot of the queue for the gauges. */
  public void queueSnapshot(Map<Lane, QueueCounts> counts) {
    queue.set(counts);
  }

  private double queueValue(Lane lane, String state) {
    QueueCounts c = queue.get().get(lane);
    if (c == null) return 0;
    return switch (state) {
      case "waiting" -> c.waiting();
      case "active" -> c.active();
      case "delayed" -> c.delayed();
      case "failed" -> c.failed();
      default -> c.completed();
    };
  }

  public void http(Context ctx, long nanos) {
    // The matched route, not ctx.endpoint(): in an after-handler that is the "*" filter itself.
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    String route = matched == null ? "unmatched" : matched.path;
    Timer.builder("http_server_requests")
        // Buckets, so dashboards and alerts can compute latency quantiles per route.
        .serviceLevelObjectives(HTTP_BUCKETS)
        .tags(
            "method",
            ctx.method().name(),
            "route",
            route,
            "status",
            String.valueOf(ctx.statusCode()))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void notificationAccepted(String lane) {
    accepted.increment();
  }

  @Override
  public void notificationFinished(String status) {
    if (status.equals("sent") || status.equals("partial")) {
      registry.counter("herald_notifications_sent").increment();
    }
    finished
        .computeIfAbsent(
            status,
            s ->
                Counter.builder("herald_notifications_finished")
                    .tag("status", s)
                    .register(registry))
        .increment();
  }

  @Override
  public void outcome(String channel, String provider, String outcome, long count) {
    registry
        .counter(
            "herald_deliveries",
            "channel",
            channel,
            "provider",
            provider == null ? "none" : provider,
            "outcome",
            outcome)
        .increment(count);
  }

  @Override
  public void latency(String lane, double seconds, long count) {
    // A Timer, not a DistributionSummary: a summary's histogram counts every value below 1 into
    // the le="1.0" bucket, which hid all sub-second latencies.
    Timer t =
        latency.computeIfAbsent(
            lane,
            l ->
                Timer.builder("herald_notification_latency")
                    .description("From acceptance (or the scheduled time) to the provider's answer")
                    .tag("lane", l)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
    long nanos = Math.round(seconds * 1e9);
    for (long i = 0; i < count; i++) t.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void deviceDeactivated(String provider, String reason) {
    registry
        .counter("herald_devices_deactivated", "provider", provider, "reason", reason)
        .increment();
  }

  @Override
  public void retried(Job job, String error) {
    registry
        .counter("herald_jobs_retried", "lane", job.lane().key(), "kind", job.kind())
        .increment();
  }

  @Override
  public void deadLettered(Job job, String error) {
    registry
        .counter("herald_jobs_dead_lettered", "lane", job.lane().key(), "kind", job.kind())
        .increment();
  }

  @Override
  public void completed(Job job) {}
}
