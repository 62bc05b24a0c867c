package dev.herald.push.expo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.testkit.expo.ExpoMock;
import dev.herald.testkit.expo.ExpoSendRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Measures ExpoClient against ExpoMock in one JVM: messages per second and CPU per message. Not
 * part of the test suite. Arguments: messages (default 100000), messages per call to send (default
 * 1000), max messages per second (default: unlimited; Expo's own limit is 600).
 */
public final class ExpoThroughput {
  public static void main(String[] args) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int perCall = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
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
    try (ExpoMock expo = ExpoMock.start();
        ExpoClient client =
            ExpoClient.builder()
                .endpoint(expo.endpoint())
                .sslContext(expo.clientSslContext())
                .maxMessagesPerSecond(perSecond)
                .build()) {
      expo.recordMessages(false);
      run(client, message, Math.min(messages, 20_000), perCall); // warm-up
      int requestsBefore = expo.sendRequests().size();
      var threads = ManagementFactory.getThreadMXBean();
      long clientBefore = cpuOf(threads, true);
      long mockBefore = cpuOf(threads, false);
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      Map<String, Long> outcomes = run(client, message, messages, perCall);
      long wall = System.nanoTime() - start;
      long cpu = processCpuNanos() - cpuBefore;
      List<ExpoSendRequest> requests =
          expo.sendRequests().subList(requestsBefore, expo.sendRequests().size());
      System.out.printf(
          "Expo: %,d messages in %d requests (%d gzipped, %.0f wire bytes each), %.0f msg/s,"
              + " process CPU %.1f µs/msg (client and mock), %s%n",
          messages,
          requests.size(),
          requests.stream().filter(ExpoSendRequest::gzipped).count(),
          requests.stream().mapToLong(ExpoSendRequest::wireBytes).average().orElse(0),
          messages / (wall / 1e9),
          cpu / 1e3 / messages,
          outcomes);
      System.out.printf(
          "  client threads %.1f µs/msg, mock threads %.1f µs/msg%n",
          (cpuOf(threads, true) - clientBefore) / 1e3 / messages,
          (cpuOf(threads, false) - mockBefore) / 1e3 / messages);
    }
  }

  private static Map<String, Long> run(
      ExpoClient client, PushMessage message, int count, int perCall) {
    List<CompletableFuture<List<PushResult>>> calls = new ArrayList<>();
    for (int from = 0; from < count; from += perCall) {
      List<ExpoPush> pushes = new ArrayList<>(perCall);
      for (int i = from; i < Math.min(count, from + perCall); i++)
        pushes.add(new ExpoPush("ExponentPushToken[device-" + i + "]", message));
      calls.add(client.send(pushes));
    }
    Map<String, Long> outcomes = new TreeMap<>();
    for (var call : calls)
      for (PushResult r : call.join())
        outcomes.merge(r instanceof PushResult.Accepted ? "accepted" : r.toString(), 1L, Long::sum);
    return outcomes;
  }

  private static long cpuOf(java.lang.management.ThreadMXBean threads, boolean client) {
    long sum = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) continue;
      String name = info.getThreadName();
      boolean isClient =
          name.startsWith("HttpClient@") || name.startsWith("herald-") || name.equals("main");
      boolean isMock = name.startsWith("MockWebServer") || name.startsWith("OkHttp");
      if (client ? isClient : isMock)
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
    }
    return sum;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
