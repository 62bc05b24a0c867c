package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.egress.EgressGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook HTTP client: the egress guard at connection time, redirects, timeouts, bodies. */
class WebhookClientTest {
  static final Duration SHORT = Duration.ofMillis(800);
  // Generous: the first call of a JVM loads much of Jetty's client.
  static final Duration AMPLE = Duration.ofSeconds(10);

  HttpServer http;
  WebhookClient client;

  @AfterEach
  void stop() {
    if (client != null) client.close();
    if (http != null) http.stop(0);
  }

  @Test
  void aNameThatRebindsToALoopbackAddressAfterTheCheckIsRefusedAtConnect() throws Exception {
    try (ServerSocket inside = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      inside.setSoTimeout(300);
      AtomicInteger lookups = new AtomicInteger();
      // The first answer (the URL check) is public; every later one (the connection) is loopback.
      EgressGuard guard =
          new EgressGuard(
              false,
              host ->
                  new InetAddress[] {
                    lookups.getAndIncrement() == 0
                        ? InetAddress.getByAddress(
                            host, new byte[] {93, (byte) 184, (byte) 216, 34})
                        : InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})
                  });
      client = new WebhookClient(guard, null, AMPLE, AMPLE);

      var answer =
          client.post(
              "https://rebind.example.test:" + inside.getLocalPort() + "/hooks", Map.of(), "{}");

      assertThat(answer).isInstanceOf(WebhookClient.Answer.Failure.class);
      assertThat(((WebhookClient.Answer.Failure) answer).error())
          .isEqualTo(
              "refused by the egress guard: rebind.example.test resolves to a private, loopback or link-local address (127.0.0.1)");
      assertThat(lookups.get()).isEqualTo(2);
      assertThat(acceptsSomething(inside)).as("nothing connected inside").isFalse();
    }
  }

  @Test
  void aPrivateUrlIsRefusedBeforeAnyConnection() {
    client = new WebhookClient(new EgressGuard(false), null, AMPLE, AMPLE);
    var answer = client.post("http://127.0.0.1:9/hooks", Map.of(), "{}");
    assertThat(((WebhookClient.Answer.Failure) answer).error())
        .isEqualTo("refused by the egress guard: the URL must be an https URL");
    answer = client.post("https://127.0.0.1:9/hooks", Map.of(), "{}");
    assertThat(((WebhookClient.Answer.Failure) answer).error())
        .startsWith("refused by the egress guard: the URL resolves to a private");
  }

  @Test
  void redirectsAreAnswersNotFollowed() throws IOException {
    AtomicInteger followed = new AtomicInteger();
    serve(
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          if (exchange.getRequestURI().getPath().equals("/elsewhere")) followed.incrementAndGet();
          exchange.getResponseHeaders().add("Location", "/elsewhere");
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    client = new WebhookClient(new EgressGuard(true), null, AMPLE, AMPLE);
    var raw = client.post(url(), Map.of("webhook-id", "msg_1"), "{}");
    assertThat(raw).as(raw.toString()).isInstanceOf(WebhookClient.Answer.Response.class);
    var answer = (WebhookClient.Answer.Response) raw;
    assertThat(answer.status()).isEqualTo(307);
    assertThat(followed.get()).isZero();
  }

  @Test
  void aReceiverThatNeverAnswersTimesOut() throws IOException {
    serve(exchange -> sleepQuietly(5_000));
    client = new WebhookClient(new EgressGuard(true), null, SHORT, SHORT);
    long started = System.nanoTime();
    var answer = client.post(url(), Map.of(), "{}");
    assertThat(((WebhookClient.Answer.Failure) answer).error()).startsWith("no answer in time");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void theAnswerKeepsTheStatusRetryAfterAndTheFirstKibOfTheBodyAsText() throws IOException {
    byte[] big = ("\0" + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    serve(
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Retry-After", "30");
          exchange.sendResponseHeaders(503, big.length);
          exchange.getResponseBody().write(big);
          exchange.close();
        });
    client = new WebhookClient(new EgressGuard(true), null, AMPLE, AMPLE);
    var raw = client.post(url(), Map.of(), "{\"a\":1}");
    assertThat(raw).as(raw.toString()).isInstanceOf(WebhookClient.Answer.Response.class);
    var answer = (WebhookClient.Answer.Response) raw;
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.retryAfter()).isEqualTo("30");
    // The first KiB, less the NUL that text columns cannot hold.
    assertThat(answer.body()).isEqualTo("x".repeat(WebhookClient.KEPT_BODY_BYTES - 1));
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    long now = 1_700_000_000_000L;
    assertThat(WebhookClient.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
    assertThat(WebhookClient.retryAfter("Tue, 14 Nov 2023 22:14:20 GMT", now))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(WebhookClient.retryAfter("soon", now)).isNull();
    assertThat(WebhookClient.retryAfter(null, now)).isNull();
    assertThat(WebhookClient.retryAfter("-5", now)).isEqualTo(Duration.ZERO);
  }

  private void serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", handler);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
  }

  private String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/hooks";
  }

  private static boolean acceptsSomething(ServerSocket socket) {
    try (Socket s = socket.accept()) {
      return s != null;
    } catch (IOException timedOut) {
      return false;
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
