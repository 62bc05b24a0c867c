package dev.herald.push.apns;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.testkit.apns.ApnsMock;
import dev.herald.testkit.apns.ApnsTeamKey;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.crypto.Cipher;

/**
 * Measures ApnsClient's throughput against loopback APNs mocks in this JVM, with a fixed number of
 * requests in flight. ApnsClient and Pushy's own client take turns against Pushy's MockApnsServer
 * accepting everything (the clients' ceiling; turns share the machine's noise alike); then
 * ApnsClient alone against Pushy's validating server (one signature check per request) and against
 * Herald's ApnsMock (MockWebServer: a thread per stream, slow by design). Not a test:
 *
 * <pre>
 * ./mvnw -q -pl herald-push -am test-compile
 * java -cp "herald-push/target/test-classes:herald-push/target/classes:$(./mvnw -q -pl herald-push \
 *     dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)" \
 *     dev.herald.push.apns.ApnsThroughput [seconds per round] [rounds] [in flight]
 * </pre>
 *
 * {@code -Dapns.bench.connections=N} changes ApnsClient's connection count (default 2); {@code
 * -Dapns.bench.accp=true} runs TLS on ACCP installed JVM-wide.
 */
public final class ApnsThroughput {
  private static final String TOPIC = "com.example.app";
  private static final String TOKEN = "0123456789abcdef".repeat(4);
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");
  private static final PushMessage MESSAGE =
      new PushMessage(
          "b7e2b1a4-4f5e-4a57-9d3b-0c1c2d3e4f50",
          "Order shipped",
          "Your parcel is on its way",
          Map.of("order", 42),
          "https://shop.test/o/42",
          null,
          PushPriority.HIGH,
          Duration.ofHours(1),
          null);

  /** One sender under test: sends one notification, answers whether it was accepted. */
  private interface Sender extends AutoCloseable {
    CompletableFuture<Boolean> send();
  }

  public static void main(String[] args) throws Exception {
    QuietLogs.apply();
    // -Dapns.bench.accp=true runs TLS on ACCP (installed JVM-wide, as a server could choose to).
    if (Boolean.getBoolean("apns.bench.accp"))
      Security.insertProviderAt(AmazonCorrettoCryptoProvider.INSTANCE, 1);
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    System.out.printf(
        "APNs throughput: %d requests in flight, %d rounds of %d s, %d CPUs, Java %s,"
            + " AES-GCM from %s, load average %.1f%n",
        inFlight,
        rounds,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    // The two clients take turns against one server, so noise from other work on the machine
    // falls on both alike.
    try (PushyApns pushy = PushyApns.acceptingAll();
        Sender reference = pushyClient(pushy);
        Sender herald = heraldClient(pushy.port, pushy.certificate.certificatePem())) {
      compare(
          Map.of(
              "Pushy client -> Pushy mock (accept all)", reference,
              "ApnsClient   -> Pushy mock (accept all)", herald),
          seconds,
          rounds,
          inFlight);
    }
    try (PushyApns pushy = PushyApns.validating(KEY, TOPIC, Set.of(TOKEN), Map.of());
        Sender herald = heraldClient(pushy.port, pushy.certificate.certificatePem())) {
      compare(Map.of("ApnsClient   -> Pushy mock (validating)", herald), seconds, 1, inFlight);
    }
    try (ApnsMock mock = ApnsMock.builder().acceptKey(KEY).topic(TOPIC).recording(false).start();
        Sender herald = heraldClient(mock.port(), mock.certificatePem())) {
      compare(Map.of("ApnsClient   -> ApnsMock (mockwebserver3)", herald), seconds, 1, inFlight);
    }
    System.exit(0);
  }

  private static void compare(Map<String, Sender> senders, int seconds, int rounds, int inFlight)
      throws Exception {
    Map<String, List<Result>> results = new TreeMap<>(Comparator.reverseOrder());
    for (Map.Entry<String, Sender> e : senders.entrySet()) {
      drive(e.getValue(), Duration.ofSeconds(seconds), inFlight); // warm-up
      results.put(e.getKey(), new ArrayList<>());
    }
    for (int round = 0; round < rounds; round++) {
      for (String name : results.keySet()) {
        long cpu0 = processCpuNanos();
        Result r = drive(senders.get(name), Duration.ofSeconds(seconds), inFlight);
        results.get(name).add(r.withCpu((processCpuNanos() - cpu0) / 1e9));
      }
    }
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      List<Result> runs = e.getValue();
      double[] rates = runs.stream().mapToDouble(Result::rate).sorted().toArray();
      double[] perCpu = runs.stream().mapToDouble(Result::perCpuSecond).sorted().toArray();
      Result median =
          runs.stream()
              .sorted(Comparator.comparingDouble(Result::rate))
              .toList()
              .get(runs.size() / 2);
      System.out.printf(
          "%-42s median %7.0f msg/s (best %7.0f)  %6.0f msg per CPU-second (client and mock)"
              + "  p50 %5.1f ms  p99 %5.1f ms  failed %d  rounds %s%n",
          e.getKey(),
          rates[rates.length / 2],
          rates[rates.length - 1],
          perCpu[perCpu.length / 2],
          median.p50Millis(),
          median.p99Millis(),
          runs.stream().mapToLong(Result::failed).sum(),
          Arrays.stream(rates).mapToObj(x -> String.format("%.0f", x)).toList());
    }
  }

  private record Result(
      long accepted, long failed, double seconds, double p50Millis, double p99Millis, double cpu) {
    double rate() {
      return accepted / seconds;
    }

    double perCpuSecond() {
      return accepted / cpu;
    }

    Result withCpu(double cpuSeconds) {
      return new Result(accepted, failed, seconds, p50Millis, p99Millis, cpuSeconds);
    }
  }

  private static Result drive(Sender sender, Duration length, int inFlight) throws Exception {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long[] samples = new long[1 << 20];
    AtomicInteger sampled = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + length.toNanos();
    while (System.nanoTime() < end) {
      slots.acquire();
      long sent = System.nanoTime();
      sender
          .send()
          .whenComplete(
              (ok, failure) -> {
                if (Boolean.TRUE.equals(ok)) accepted.incrementAndGet();
                else failed.incrementAndGet();
                int i = sampled.getAndIncrement();
                if (i < samples.length) samples[i] = System.nanoTime() - sent;
                slots.release();
              });
    }
    slots.acquire(inFlight);
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] latencies = Arrays.copyOf(samples, Math.min(sampled.get(), samples.length));
    Arrays.sort(latencies);
    return new Result(
        accepted.get(),
        failed.get(),
        seconds,
        percentile(latencies, 0.50) / 1e6,
        percentile(latencies, 0.99) / 1e6,
        0);
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
  }

  private static Sender heraldClient(int port, String certificatePem) {
    ApnsClient client =
        ApnsClient.builder()
            .teamId(KEY.teamId())
            .keyId(KEY.keyId())
            .signingKey(KEY.privateKeyPem())
            .topic(TOPIC)
            .endpoint("127.0.0.1", port)
            .trustedCertificates(certificatePem)
            .connections(Integer.getInteger("apns.bench.connections", 2))
            .build();
    Function<PushResult, Boolean> accepted = r -> r instanceof PushResult.Accepted;
    return new Sender() {
      @Override
      public CompletableFuture<Boolean> send() {
        return client.send(TOKEN, MESSAGE).thenApply(accepted);
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  private static Sender pushyClient(PushyApns pushy) throws Exception {
    com.eatthepath.pushy.apns.ApnsClient client =
        new com.eatthepath.pushy.apns.ApnsClientBuilder()
            .setApnsServer("127.0.0.1", pushy.port)
            .setSigningKey(
                com.eatthepath.pushy.apns.auth.ApnsSigningKey.loadFromInputStream(
                    new ByteArrayInputStream(
                        KEY.privateKeyPem().getBytes(StandardCharsets.US_ASCII)),
                    KEY.teamId(),
                    KEY.keyId()))
            .setTrustedServerCertificateChain(pushy.certificate.certificate())
            .setConcurrentConnections(2)
            .build();
    String payload = new String(ApnsPayload.toJson(MESSAGE), StandardCharsets.UTF_8);
    return new Sender() {
      @Override
      public CompletableFuture<Boolean> send() {
        return client
            .sendNotification(new SimpleApnsPushNotification(TOKEN, TOPIC, payload))
            .thenApply(response -> response.isAccepted());
      }

      @Override
      public void close() throws Exception {
        client.close().get();
      }
    };
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
