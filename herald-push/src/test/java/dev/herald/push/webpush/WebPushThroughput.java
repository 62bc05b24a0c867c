package dev.herald.push.webpush;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures WebPushClient → MockPushService in one JVM: messages per second and process CPU per
 * message, with a bounded number in flight. Not a test; run by hand:
 *
 * <pre>
 * java -cp … dev.herald.push.webpush.WebPushThroughput [jetty|jdk] [accp|jdk] [tls|h2c|http1] [messages] [inFlight] [senders]
 * </pre>
 *
 * The mock verifies every VAPID header (cached per token, as push services do) but does not
 * decrypt, so its own crypto does not dominate the numbers. Also prints single-thread encryption
 * throughput for a 1 KiB payload.
 */
public final class WebPushThroughput {
  public static void main(String[] args) throws Exception {
    QuietLogs.apply();
    String transport = args.length > 0 ? args[0] : "jetty";
    String cryptoName = args.length > 1 ? args[1] : "accp";
    String mode = args.length > 2 ? args[2] : "tls";
    int messages = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    int inFlight = args.length > 4 ? Integer.parseInt(args[4]) : 500;
    int senders = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    CryptoSuite crypto =
        cryptoName.equals("accp") ? CryptoSuite.corretto().orElseThrow() : CryptoSuite.jdk();

    encryptOnly(crypto);

    MockPushService.Mode mockMode =
        switch (mode) {
          case "h2c" -> MockPushService.Mode.PLAIN_H2C;
          case "http1" -> MockPushService.Mode.PLAIN_HTTP1;
          default -> MockPushService.Mode.TLS;
        };
    try (MockPushService mock = MockPushService.builder().mode(mockMode).decrypt(false).build();
        WebPushClient client =
            WebPushClient.builder()
                .vapidKeys(VapidKeys.generate())
                .subject("mailto:bench@example.com")
                .crypto(crypto)
                .sslContext(mock.clientSslContext())
                .cleartextHttp2(mockMode == MockPushService.Mode.PLAIN_H2C)
                .maxConcurrentRequests(inFlight)
                .transport(
                    transport.equals("jdk")
                        ? new JdkTransport(
                            mock.clientSslContext(), Duration.ofSeconds(10), Duration.ofSeconds(30))
                        : null)
                .build()) {
      List<WebPushSubscription> subscriptions = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        MockSubscription s = mock.subscribe();
        subscriptions.add(new WebPushSubscription(s.endpoint(), s.p256dh(), s.auth()));
      }
      PushMessage message =
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

      run(
          client,
          subscriptions,
          message,
          Math.max(messages / 5, 5_000),
          inFlight,
          senders,
          mock,
          "warm-up");
      mock.reset();
      run(client, subscriptions, message, messages, inFlight, senders, mock, "measured");
      System.out.printf(
          "transport=%s crypto=%s mode=%s received=%d protocol=%s%n",
          transport,
          crypto.name(),
          mode,
          mock.requestCount(),
          mock.received().isEmpty() ? "-" : mock.received().getFirst().httpVersion());
    }
  }

  private static void run(
      WebPushClient client,
      List<WebPushSubscription> to,
      PushMessage message,
      int count,
      int inFlight,
      int senders,
      MockPushService mock,
      String label)
      throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Semaphore window = new Semaphore(inFlight);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    CountDownLatch measured = new CountDownLatch(1); // senders stay alive until their CPU is read
    Map<Long, Long> clientCpu0 = clientThreadCpu();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      threads.add(
          Thread.ofPlatform()
              .name("bench-sender-" + s)
              .start(
                  () -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                      window.acquireUninterruptibly();
                      client
                          .send(to.get(i % to.size()), message)
                          .thenAccept(
                              result -> {
                                if (!(result instanceof PushResult.Accepted)) {
                                  if (failures.getAndIncrement() < 3)
                                    System.out.println("not accepted: " + result);
                                }
                                window.release();
                                done.countDown();
                              });
                    }
                    try {
                      measured.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    done.await();
    long nanos = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    long clientCpu = 0;
    for (var e : clientThreadCpu().entrySet())
      clientCpu += e.getValue() - clientCpu0.getOrDefault(e.getKey(), 0L);
    measured.countDown();
    for (Thread t : threads) t.join();
    System.out.printf(
        "%s: %d messages in %.2f s = %.0f msg/s; process CPU %.1f µs/msg (%.0f msg per CPU-second),"
            + " client threads %.1f µs/msg (%.0f msg per client CPU-second), not accepted %d%n",
        label,
        count,
        nanos / 1e9,
        count / (nanos / 1e9),
        cpu / 1e3 / count,
        count / (cpu / 1e9),
        clientCpu / 1e3 / count,
        count / (clientCpu / 1e9),
        failures.get());
  }

  /**
   * CPU time of the client's threads: the senders (which encrypt and sign), Jetty's pool, or the
   * JDK client's selector and executor. The mock's threads are left out.
   */
  private static Map<Long, Long> clientThreadCpu() {
    var bean = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.startsWith("bench-sender")
          || name.startsWith("webpush-http")
          || name.startsWith("HttpClient")) {
        long nanos = bean.getThreadCpuTime(t.threadId());
        if (nanos > 0) cpu.put(t.threadId(), nanos);
      }
    }
    return cpu;
  }

  private static void encryptOnly(CryptoSuite crypto) throws Exception {
    try (MockPushService mock =
        MockPushService.builder().mode(MockPushService.Mode.PLAIN_HTTP1).build()) {
      MockSubscription s = mock.subscribe();
      byte[] ua = Base64.getUrlDecoder().decode(s.p256dh());
      byte[] auth = Base64.getUrlDecoder().decode(s.auth());
      PayloadEncryption encryption = new PayloadEncryption(crypto, new SecureRandom());
      byte[] plaintext = new byte[1024];
      for (int i = 0; i < 20_000; i++) encryption.encrypt(plaintext, ua, auth);
      var bean = ManagementFactory.getThreadMXBean();
      long cpu0 = bean.getCurrentThreadCpuTime();
      int n = 30_000;
      for (int i = 0; i < n; i++) encryption.encrypt(plaintext, ua, auth);
      long cpu = bean.getCurrentThreadCpuTime() - cpu0;
      System.out.printf(
          "encrypt 1 KiB (%s): %.0f msg per CPU-second on one thread%n",
          crypto.name(), n / (cpu / 1e9));
    }
  }
}
