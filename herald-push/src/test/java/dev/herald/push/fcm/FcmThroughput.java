package dev.herald.push.fcm;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.testkit.fcm.FcmMock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Measures FcmClient against FcmMock in one JVM: messages per second and CPU per message (whole
 * process, and the client's own threads). Not part of the test suite. Arguments: messages (default
 * 100000), in flight (default 1000), max messages per minute (default: unlimited).
 */
public final class FcmThroughput {
  public static void main(String[] args) throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int perMinute = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
    PushMessage message =
        new PushMessage(
            "m",
            "Your order shipped",
            "It arrives on Tuesday",
            Map.of("order", "A-1042"),
            "https://shop.example/o/A-1042",
            null,
            PushPriority.NORMAL,
            Duration.ofHours(1),
            null);
    try (FcmMock fcm = FcmMock.start();
        FcmClient client =
            FcmClient.builder()
                .serviceAccountJson(fcm.mintServiceAccount("bench").json())
                .endpoint(fcm.endpoint())
                .sslContext(fcm.clientSslContext())
                .maxConcurrentRequests(inFlight)
                .maxMessagesPerMinute(perMinute)
                .build()) {
      fcm.recordMessages(false);
      run(client, message, Math.min(messages, 20_000), inFlight); // warm-up
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<String, Long> cpuBefore = cpuByGroup(threads);
      long processBefore = processCpuNanos();
      long start = System.nanoTime();
      Map<String, Long> outcomes = run(client, message, messages, inFlight);
      long wall = System.nanoTime() - start;
      long processCpu = processCpuNanos() - processBefore;
      Map<String, Long> cpuAfter = cpuByGroup(threads);
      System.out.printf(
          "FCM: %,d messages, %d in flight, %.0f msg/s, process CPU %.1f µs/msg (client and mock),"
              + " %s%n",
          messages, inFlight, messages / (wall / 1e9), processCpu / 1e3 / messages, outcomes);
      cpuAfter.forEach(
          (group, cpu) ->
              System.out.printf(
                  "  %-12s %.1f µs/msg%n",
                  group, (cpu - cpuBefore.getOrDefault(group, 0L)) / 1e3 / messages));
      System.out.printf(
          "  token requests: %d, connections: %d%n", fcm.tokenRequests(), fcm.connections());
    }
  }

  private static Map<String, Long> run(
      FcmClient client, PushMessage message, int count, int inFlight) throws InterruptedException {
    Semaphore window = new Semaphore(inFlight);
    Map<String, Long> outcomes = new ConcurrentHashMap<>();
    AtomicLong done = new AtomicLong();
    for (int i = 0; i < count; i++) {
      window.acquire();
      client
          .send("device-" + (i % 10_000), message)
          .thenAccept(
              r -> {
                outcomes.merge(
                    r instanceof PushResult.Accepted ? "accepted" : r.toString(), 1L, Long::sum);
                done.incrementAndGet();
                window.release();
              });
    }
    window.acquire(inFlight);
    return new TreeMap<>(outcomes);
  }

  /**
   * Thread CPU by owner: the client's (Jetty client pool, herald threads, main), the mock's, other.
   */
  static Map<String, Long> cpuByGroup(ThreadMXBean threads) {
    Map<String, Long> groups = new TreeMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) continue;
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) continue;
      String name = info.getThreadName();
      String group =
          name.startsWith("HttpClient@") || name.startsWith("herald-") || name.equals("main")
              ? "client"
              : name.startsWith("MockWebServer") || name.startsWith("OkHttp") ? "mock" : "other";
      groups.merge(group, cpu, Long::sum);
    }
    return groups;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
