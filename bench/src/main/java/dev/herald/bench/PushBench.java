package dev.herald.bench;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.push.apns.ApnsClient;
import dev.herald.push.expo.ExpoClient;
import dev.herald.push.expo.ExpoPush;
import dev.herald.push.fcm.FcmClient;
import dev.herald.push.webpush.CryptoSuite;
import dev.herald.push.webpush.VapidKeys;
import dev.herald.push.webpush.WebPushClient;
import dev.herald.push.webpush.WebPushSubscription;
import dev.herald.testkit.apns.ApnsTeamKey;
import dev.herald.testkit.expo.ExpoMock;
import dev.herald.testkit.fcm.FcmMock;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import okhttp3.tls.HeldCertificate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push senders against loopback mocks, all in this JVM: Herald's Web Push client (ACCP and JDK
 * crypto), APNs client (and Pushy's client as the peer, both against Pushy's MockApnsServer), FCM
 * client and Expo client. Each sends {@code messages} after a warm-up, with {@code inFlight}
 * requests outstanding, and reports messages per second and CPU per message.
 *
 * <p>CPU is the process's ({@code OperatingSystemMXBean}), which includes the mock. The mock's
 * share is subtracted where its threads can be told apart by name (the okhttp mocks: live threads
 * named {@code MockWebServer…}/{@code OkHttp…}); for Pushy's mock, whose Netty threads look like
 * the Pushy client's, the mock is included and the result says so. Started by {@code bench/run
 * push}:
 *
 * <pre>
 * PushBench run &lt;result.json&gt; [messages] [inFlight]
 * PushBench serve-webpush &lt;subscriptions.json&gt; [subscriptions]
 * </pre>
 *
 * {@code serve-webpush} starts a MockPushService over TLS (HTTP/2 and HTTP/1.1 by ALPN, no
 * decryption), writes subscriptions, a VAPID key pair and the mock's certificate to the file for a
 * peer in another process, and serves until killed.
 */
public final class PushBench {
  static final PushMessage MESSAGE =
      new PushMessage(
          "bench",
          "Your order shipped",
          "x".repeat(200),
          Map.of("order", 42),
          "https://shop.example/o/42",
          null,
          PushPriority.NORMAL,
          Duration.ofHours(1),
          null);

  private PushBench() {}

  public static void main(String[] args) throws Exception {
    quietLogs();
    switch (args.length > 0 ? args[0] : "run") {
      case "serve-webpush" ->
          PushPeerMock.serve(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1000);
      default -> {
        Path out = Path.of(args.length > 1 ? args[1] : "push.json");
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        run(out, messages, inFlight);
      }
    }
    System.exit(0);
  }

  static void run(Path out, int messages, int inFlight) throws Exception {
    List<Map<String, Object>> results = new ArrayList<>();
    for (String crypto : List.of("accp", "jdk")) {
      int n = crypto.equals("jdk") ? Math.max(messages / 5, 5_000) : messages;
      results.add(webPush(crypto, n, inFlight));
    }
    results.addAll(apns(messages, inFlight));
    results.add(fcm(messages, inFlight));
    results.add(expo(messages));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("workload", "push");
    doc.put("git", System.getProperty("bench.git", "unknown"));
    doc.put("cpus", Runtime.getRuntime().availableProcessors());
    doc.put("java", Runtime.version().toString());
    doc.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    doc.put("messages", messages);
    doc.put("inFlight", inFlight);
    doc.put("results", results);
    Files.createDirectories(out.toAbsolutePath().getParent());
    JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
  }

  private static Map<String, Object> webPush(String cryptoName, int messages, int inFlight)
      throws Exception {
    CryptoSuite crypto =
        cryptoName.equals("accp") ? CryptoSuite.corretto().orElseThrow() : CryptoSuite.jdk();
    try (MockPushService mock =
            MockPushService.builder().mode(MockPushService.Mode.TLS).decrypt(false).build();
        WebPushClient client =
            WebPushClient.builder()
                .vapidKeys(VapidKeys.generate())
                .subject("mailto:bench@example.com")
                .crypto(crypto)
                .sslContext(mock.clientSslContext())
                .maxConcurrentRequests(inFlight)
                .build()) {
      List<WebPushSubscription> to = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        MockSubscription s = mock.subscribe();
        to.add(new WebPushSubscription(s.endpoint(), s.p256dh(), s.auth()));
      }
      AtomicLong next = new AtomicLong();
      Sender sender =
          () -> client.send(to.get((int) (next.getAndIncrement() % to.size())), MESSAGE);
      return measure(
          "webpush-" + cryptoName,
          "WebPushClient (" + crypto.name() + ") -> MockPushService, TLS, HTTP/2, no decryption",
          sender,
          messages,
          inFlight,
          true);
    }
  }

  private static List<Map<String, Object>> apns(int messages, int inFlight) throws Exception {
    ApnsTeamKey key = ApnsTeamKey.generate("TEAM123456", "KEY1234567");
    String topic = "com.example.app";
    String token = "0123456789abcdef".repeat(4);
    HeldCertificate certificate =
        new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .build();
    MockApnsServer server =
        new MockApnsServerBuilder()
            .setServerCredentials(
                new X509Certificate[] {certificate.certificate()},
                certificate.keyPair().getPrivate(),
                null)
            .setHandlerFactory(session -> (headers, payload) -> {})
            .setUseAlpn(true)
            .build();
    int port = server.start(0).get();
    List<Map<String, Object>> results = new ArrayList<>();
    try {
      try (ApnsClient herald =
          ApnsClient.builder()
              .teamId(key.teamId())
              .keyId(key.keyId())
              .signingKey(key.privateKeyPem())
              .topic(topic)
              .endpoint("127.0.0.1", port)
              .trustedCertificates(certificate.certificatePem())
              .build()) {
        results.add(
            measure(
                "apns-herald",
                "ApnsClient -> Pushy MockApnsServer (accept all, ALPN h2)",
                () -> herald.send(token, MESSAGE),
                messages,
                inFlight,
                false));
      }
      com.eatthepath.pushy.apns.ApnsClient pushy =
          new com.eatthepath.pushy.apns.ApnsClientBuilder()
              .setApnsServer("127.0.0.1", port)
              .setSigningKey(
                  com.eatthepath.pushy.apns.auth.ApnsSigningKey.loadFromInputStream(
                      new ByteArrayInputStream(
                          key.privateKeyPem().getBytes(StandardCharsets.US_ASCII)),
                      key.teamId(),
                      key.keyId()))
              .setTrustedServerCertificateChain(certificate.certificate())
              .setConcurrentConnections(2)
              .build();
      String payload =
          "{\"aps\":{\"alert\":{\"title\":\"Your order shipped\",\"body\":\""
              + "x".repeat(200)
              + "\"}},\"order\":42,\"url\":\"https://shop.example/o/42\"}";
      try {
        results.add(
            measure(
                "apns-pushy",
                "Pushy ApnsClient -> Pushy MockApnsServer (the peer)",
                () ->
                    pushy
                        .sendNotification(new SimpleApnsPushNotification(token, topic, payload))
                        .thenApply(
                            r ->
                                r.isAccepted()
                                    ? new PushResult.Accepted(r.getApnsId().toString())
                                    : new PushResult.Rejected(
                                        r.getRejectionReason().orElse("?"), false)),
                messages,
                inFlight,
                false));
      } finally {
        pushy.close().get();
      }
    } finally {
      server.shutdown().get();
    }
    return results;
  }

  private static Map<String, Object> fcm(int messages, int inFlight) throws Exception {
    try (FcmMock fcm = FcmMock.start();
        FcmClient client =
            FcmClient.builder()
                .serviceAccountJson(fcm.mintServiceAccount("bench").json())
                .endpoint(fcm.endpoint())
                .sslContext(fcm.clientSslContext())
                .maxConcurrentRequests(inFlight)
                .build()) {
      fcm.recordMessages(false);
      AtomicLong next = new AtomicLong();
      return measure(
          "fcm",
          "FcmClient -> FcmMock, TLS, HTTP/2",
          () -> client.send("device-" + (next.getAndIncrement() % 10_000), MESSAGE),
          messages,
          inFlight,
          true);
    }
  }

  private static Map<String, Object> expo(int messages) throws Exception {
    int perCall = 100; // Expo's limit per HTTP request
    try (ExpoMock expo = ExpoMock.start();
        ExpoClient client =
            ExpoClient.builder()
                .endpoint(expo.endpoint())
                .sslContext(expo.clientSslContext())
                .maxMessagesPerSecond(Integer.MAX_VALUE)
                .build()) {
      expo.recordMessages(false);
      AtomicLong next = new AtomicLong();
      BatchSender sender =
          () -> {
            List<ExpoPush> pushes = new ArrayList<>(perCall);
            for (int i = 0; i < perCall; i++)
              pushes.add(
                  new ExpoPush(
                      "ExponentPushToken[device-" + next.getAndIncrement() % 10_000 + "]",
                      MESSAGE));
            return client.send(pushes);
          };
      return measureBatches(
          "expo",
          "ExpoClient -> ExpoMock, TLS, "
              + perCall
              + " messages per request, 10 requests in flight",
          sender,
          perCall,
          messages,
          10,
          true);
    }
  }

  /** Sends one message. */
  interface Sender {
    CompletableFuture<PushResult> send();
  }

  /** Sends one batch of messages. */
  interface BatchSender {
    CompletableFuture<List<PushResult>> send();
  }

  static Map<String, Object> measure(
      String name, String setup, Sender sender, int messages, int inFlight, boolean mockSeparable)
      throws Exception {
    BatchSender batch = () -> sender.send().thenApply(List::of);
    return measureBatches(name, setup, batch, 1, messages, inFlight, mockSeparable);
  }

  static Map<String, Object> measureBatches(
      String name,
      String setup,
      BatchSender sender,
      int perBatch,
      int messages,
      int inFlight,
      boolean mockSeparable)
      throws Exception {
    int batches = Math.max(1, messages / perBatch);
    drive(sender, Math.max(batches / 5, 50), inFlight); // warm-up
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byThread0 = cpuByThreadName(threads);
    Map<Long, Long> mock0 = mockThreadCpu(threads);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    long[] outcome = drive(sender, batches, inFlight);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    double mockCpu = mockSeparable ? mockThreadCpuSince(threads, mock0) / 1e9 : 0;
    long sent = (long) batches * perBatch;
    if (Boolean.getBoolean("bench.push.threads")) printThreadCpu(threads, byThread0, sent);
    double clientCpu = cpu - mockCpu;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", name);
    r.put("setup", setup);
    r.put("messages", sent);
    r.put("accepted", outcome[0]);
    r.put("notAccepted", outcome[1]);
    r.put("seconds", seconds);
    r.put("msgsPerSecond", sent / seconds);
    r.put("processCpuSeconds", cpu);
    r.put("mockCpuSeconds", mockSeparable ? mockCpu : null);
    r.put("clientCpuMicrosPerMsg", clientCpu * 1e6 / sent);
    r.put("msgsPerClientCpuSecond", sent / clientCpu);
    r.put("cpuIncludesMock", !mockSeparable);
    System.out.printf(
        "%-14s %9.0f msg/s  %7.1f µs CPU/msg  %8.0f msg per CPU-second (%s)  not accepted %d%n",
        name,
        sent / seconds,
        clientCpu * 1e6 / sent,
        sent / clientCpu,
        mockSeparable ? "client only, mock threads subtracted" : "client and mock",
        outcome[1]);
    return r;
  }

  /** Sends {@code count} batches with at most {@code inFlight} outstanding: {accepted, other}. */
  private static long[] drive(BatchSender sender, int count, int inFlight)
      throws InterruptedException {
    Semaphore window = new Semaphore(inFlight);
    AtomicLong accepted = new AtomicLong();
    AtomicLong other = new AtomicLong();
    Predicate<PushResult> ok = r -> r instanceof PushResult.Accepted;
    for (int i = 0; i < count; i++) {
      window.acquire();
      sender
          .send()
          .whenComplete(
              (results, failure) -> {
                if (failure != null) other.incrementAndGet();
                else
                  for (PushResult r : results) {
                    if (ok.test(r)) accepted.incrementAndGet();
                    else if (other.getAndIncrement() < 3)
                      System.out.println("  not accepted: " + r);
                  }
                window.release();
              });
    }
    window.acquire(inFlight);
    return new long[] {accepted.get(), other.get()};
  }

  /** CPU by thread name with digits dropped, so pools add up. */
  private static Map<String, Long> cpuByThreadName(ThreadMXBean threads) {
    Map<String, Long> cpu = new java.util.TreeMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) continue;
      String n = info.getThreadName().replaceAll("[0-9]+", "#");
      cpu.merge(n, Math.max(0, threads.getThreadCpuTime(info.getThreadId())), Long::sum);
    }
    return cpu;
  }

  private static void printThreadCpu(ThreadMXBean threads, Map<String, Long> before, long sent) {
    cpuByThreadName(threads).entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() * 1e-3 / sent >= 1)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                System.out.printf(
                    "    %-50s %7.1f µs/msg%n", e.getKey(), e.getValue() / 1e3 / sent));
  }

  /** CPU so far of each live okhttp mock server thread, by thread id. */
  static Map<Long, Long> mockThreadCpu(ThreadMXBean threads) {
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) continue;
      String n = info.getThreadName();
      if (n.startsWith("MockWebServer") || n.startsWith("OkHttp"))
        cpu.put(info.getThreadId(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())));
    }
    return cpu;
  }

  /**
   * CPU the mock's threads used since {@code before}, counting only threads still alive: pool
   * threads that ended in between are lost, so the mock's share is under-counted and the client's
   * over-counted, never the other way round.
   */
  static long mockThreadCpuSince(ThreadMXBean threads, Map<Long, Long> before) {
    long sum = 0;
    for (var e : mockThreadCpu(threads).entrySet())
      sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    return sum;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void quietLogs() {
    org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger l)
      l.setLevel(ch.qos.logback.classic.Level.WARN);
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
  }
}
