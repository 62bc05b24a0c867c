package dev.herald.push.webpush;

import static dev.herald.push.webpush.TestMessages.aMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.push.PushResult.Accepted;
import dev.herald.push.PushResult.Rejected;
import dev.herald.push.PushResult.Retry;
import dev.herald.testkit.webpush.MockAnswer;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import dev.herald.testkit.webpush.ReceivedPush;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebPushClientIT {
  static {
    QuietLogs.apply();
  }

  private static final VapidKeys KEYS = VapidKeys.generate();
  private static final MockPushService pushService = MockPushService.start();
  private static final WebPushClient client = clientFor(pushService).build();

  @AfterAll
  static void close() {
    client.close();
    pushService.close();
  }

  @BeforeEach
  void forgetEarlierMessages() {
    pushService.reset();
    pushService.latency(Duration.ZERO);
  }

  @Test
  void aSentMessageArrivesAndDecryptsToItsJsonPayload() {
    MockSubscription browser = pushService.subscribe(KEYS.publicKeyBase64Url());
    PushMessage message =
        aMessage()
            .withId("m-1")
            .titled("Shipped")
            .saying("Your order is on its way")
            .linkingTo("https://shop.example/o/42")
            .showing("https://shop.example/box.png")
            .withData(Map.of("order", 42))
            .build();

    PushResult result = client.send(subscriptionOf(browser), message).join();

    assertThat(result)
        .isInstanceOfSatisfying(
            Accepted.class,
            a -> assertThat(a.providerId()).startsWith(pushService.origin() + "/message/"));
    JsonNode payload =
        JsonMapper.builder()
            .build()
            .readTree(pushService.received(browser).getFirst().payloadText());
    assertThat(payload.get("id").asString()).isEqualTo("m-1");
    assertThat(payload.get("title").asString()).isEqualTo("Shipped");
    assertThat(payload.get("body").asString()).isEqualTo("Your order is on its way");
    assertThat(payload.get("url").asString()).isEqualTo("https://shop.example/o/42");
    assertThat(payload.get("image").asString()).isEqualTo("https://shop.example/box.png");
    assertThat(payload.get("data").get("order").asInt()).isEqualTo(42);
  }

  @Test
  void theHeadersCarryTtlUrgencyTopicAndTheVapidSubjectOverHttp2() {
    MockSubscription browser = pushService.subscribe();
    PushMessage message =
        aMessage()
            .withPriority(PushPriority.HIGH)
            .keptFor(Duration.ofMinutes(10))
            .collapsingAs("order-42")
            .build();

    client.send(subscriptionOf(browser), message).join();

    ReceivedPush push = pushService.received(browser).getFirst();
    assertThat(push.ttl()).isEqualTo("600");
    assertThat(push.urgency()).isEqualTo("high");
    assertThat(push.topic()).isEqualTo("order-42");
    assertThat(push.contentEncoding()).isEqualTo("aes128gcm");
    assertThat(push.contentType()).isEqualTo("application/octet-stream");
    assertThat(push.vapidSubject()).isEqualTo("mailto:ops@example.com");
    assertThat(push.vapidKey()).isEqualTo(KEYS.publicKeyBase64Url());
    assertThat(push.httpVersion()).isEqualTo("HTTP/2");
  }

  @Test
  void lowPriorityAndNoCollapseKeyMeanUrgencyLowAndNoTopic() {
    MockSubscription browser = pushService.subscribe();

    client
        .send(
            subscriptionOf(browser),
            aMessage().withPriority(PushPriority.LOW).keptFor(Duration.ZERO).build())
        .join();

    ReceivedPush push = pushService.received(browser).getFirst();
    assertThat(push.urgency()).isEqualTo("low");
    assertThat(push.ttl()).isEqualTo("0");
    assertThat(push.topic()).isNull();
  }

  @Test
  void manySendsToOneOriginReuseOneJwt() {
    List<WebPushRequest> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++)
      batch.add(new WebPushRequest(subscriptionOf(pushService.subscribe()), aMessage().build()));

    List<PushResult> results = client.send(batch).join();

    assertThat(results).hasSize(50).allMatch(r -> r instanceof Accepted);
    assertThat(pushService.received())
        .hasSize(50)
        .extracting(ReceivedPush::jwt)
        .containsOnly(pushService.received().getFirst().jwt());
  }

  @Test
  void aBatchAnswersOneResultPerMessageInOrder() {
    MockSubscription gone = pushService.subscribe();
    pushService.answer(gone, MockAnswer.gone());
    MockSubscription fine = pushService.subscribe();

    List<PushResult> results =
        client
            .send(
                List.of(
                    new WebPushRequest(subscriptionOf(fine), aMessage().build()),
                    new WebPushRequest(subscriptionOf(gone), aMessage().build()),
                    new WebPushRequest(subscriptionOf(fine), aMessage().build())))
            .join();

    assertThat(results).element(0).isInstanceOf(Accepted.class);
    assertThat(results).element(1).isInstanceOf(Rejected.class);
    assertThat(results).element(2).isInstanceOf(Accepted.class);
  }

  @Test
  void notFound404AndGone410MarkTheSubscriptionInvalid() {
    assertThat(resultWhenTheServiceAnswers(MockAnswer.notFound()))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.tokenInvalid()).isTrue());
    assertThat(resultWhenTheServiceAnswers(MockAnswer.gone()))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.tokenInvalid()).isTrue());
  }

  @Test
  void payloadTooLarge413IsRejectedWithTheSubscriptionKept() {
    assertThat(resultWhenTheServiceAnswers(MockAnswer.payloadTooLarge()))
        .isEqualTo(new Rejected("payload too large", false));
  }

  @Test
  void tooManyRequests429IsRetriedAfterRetryAfter() {
    assertThat(resultWhenTheServiceAnswers(MockAnswer.tooManyRequests("42")))
        .isEqualTo(new Retry("HTTP 429", Duration.ofSeconds(42)));
  }

  @Test
  void serverErrorsAreRetried() {
    assertThat(resultWhenTheServiceAnswers(MockAnswer.status(500))).isInstanceOf(Retry.class);
    assertThat(resultWhenTheServiceAnswers(MockAnswer.status(503))).isInstanceOf(Retry.class);
  }

  @ParameterizedTest
  @CsvSource({
    "400, HTTP 400",
    "401, VAPID authorization refused (HTTP 401)",
    "403, VAPID authorization refused (HTTP 403)"
  })
  void badRequestAndRefusedAuthorizationAreRejectedKeepingTheSubscription(
      int status, String reason) {
    assertThat(resultWhenTheServiceAnswers(MockAnswer.status(status)))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(r.reason()).startsWith(reason);
            });
  }

  @Test
  void accepted202IsAcceptedWithoutAProviderId() {
    assertThat(resultWhenTheServiceAnswers(MockAnswer.status(202))).isEqualTo(new Accepted(null));
  }

  @Test
  void aVapidKeyTheSubscriptionDoesNotKnowIsRejectedAsMisconfigurationNotAnInvalidSubscription() {
    MockSubscription browser = pushService.subscribe(VapidKeys.generate().publicKeyBase64Url());

    PushResult result = client.send(subscriptionOf(browser), aMessage().build()).join();

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(r.reason()).contains("VAPID", "403");
            });
  }

  @Test
  void aRefusedConnectionIsRetried() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    MockSubscription browser = pushService.subscribe();
    WebPushSubscription nowhere =
        new WebPushSubscription(
            "https://127.0.0.1:" + closedPort + "/push/x", browser.p256dh(), browser.auth());

    PushResult result = client.send(nowhere, aMessage().build()).join();

    assertThat(result)
        .isInstanceOfSatisfying(
            Retry.class, r -> assertThat(r.reason()).startsWith("connection failed"));
  }

  @Test
  void aPushServiceSlowerThanTheRequestTimeoutIsRetried() {
    try (WebPushClient impatient =
        clientFor(pushService).requestTimeout(Duration.ofMillis(200)).build()) {
      pushService.latency(Duration.ofSeconds(2));

      PushResult result =
          impatient.send(subscriptionOf(pushService.subscribe()), aMessage().build()).join();

      assertThat(result)
          .isInstanceOfSatisfying(Retry.class, r -> assertThat(r.reason()).startsWith("timed out"));
    }
  }

  @Test
  void aMalformedSubscriptionIsRejectedAsInvalidWithoutARequest() {
    MockSubscription browser = pushService.subscribe();
    WebPushSubscription badKey =
        new WebPushSubscription(browser.endpoint(), browser.auth(), browser.auth());

    PushResult result = client.send(badKey, aMessage().build()).join();

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isTrue();
              assertThat(r.reason()).contains("p256dh");
            });
    assertThat(pushService.requestCount()).isZero();
  }

  @Test
  void aMessageTooLargeToEncryptIsRejectedWithoutARequest() {
    PushMessage huge = aMessage().saying("x".repeat(4000)).build();

    PushResult result = client.send(subscriptionOf(pushService.subscribe()), huge).join();

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(r.reason()).startsWith("payload too large");
            });
    assertThat(pushService.requestCount()).isZero();
  }

  @Test
  void fiveHundredConcurrentSendsAllComplete() {
    pushService.latency(Duration.ofMillis(20));
    List<WebPushRequest> batch =
        IntStream.range(0, 500)
            .mapToObj(
                i ->
                    new WebPushRequest(
                        subscriptionOf(pushService.subscribe()),
                        aMessage().withId("m-" + i).build()))
            .toList();

    List<PushResult> results = client.send(batch).join();

    assertThat(results).hasSize(500).allMatch(r -> r instanceof Accepted);
    assertThat(pushService.received()).hasSize(500);
    assertThat(pushService.received()).extracting(ReceivedPush::httpVersion).containsOnly("HTTP/2");
  }

  @ParameterizedTest
  @CsvSource({"TLS, HTTP/2", "TLS_HTTP1, HTTP/1.1", "PLAIN_HTTP1, HTTP/1.1", "PLAIN_H2C, HTTP/2"})
  void pushServicesSpeakingHttp2OrOnlyHttp11WithOrWithoutTlsAllGetTheMessage(
      MockPushService.Mode mode, String expectedVersion) {
    try (MockPushService service = MockPushService.builder().mode(mode).build();
        WebPushClient modeClient =
            clientFor(service).cleartextHttp2(mode == MockPushService.Mode.PLAIN_H2C).build()) {
      MockSubscription browser = service.subscribe();

      List<PushResult> results =
          modeClient
              .send(
                  List.of(
                      new WebPushRequest(subscriptionOf(browser), aMessage().titled("one").build()),
                      new WebPushRequest(
                          subscriptionOf(browser), aMessage().titled("two").build())))
              .join();

      assertThat(results).allMatch(r -> r instanceof Accepted);
      assertThat(service.received(browser))
          .extracting(ReceivedPush::httpVersion)
          .containsOnly(expectedVersion);
      assertThat(service.received(browser))
          .extracting(ReceivedPush::payloadText)
          .anyMatch(json -> json.contains("\"title\":\"one\""))
          .anyMatch(json -> json.contains("\"title\":\"two\""));
    }
  }

  @Test
  void sendsBeyondMaxConcurrentRequestsWaitTheirTurnAndAllComplete() {
    pushService.latency(Duration.ofMillis(20));
    try (WebPushClient narrow = clientFor(pushService).maxConcurrentRequests(5).build()) {
      List<WebPushRequest> batch =
          IntStream.range(0, 100)
              .mapToObj(
                  i ->
                      new WebPushRequest(
                          subscriptionOf(pushService.subscribe()), aMessage().build()))
              .toList();

      long start = System.nanoTime();
      List<PushResult> results = narrow.send(batch).join();

      assertThat(results).hasSize(100).allMatch(r -> r instanceof Accepted);
      // 100 answers 20 ms late, 5 at a time, take at least 20 rounds.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(380));
    }
  }

  @Test
  void aClosedClientAnswersRetry() {
    WebPushClient closed = clientFor(pushService).build();
    closed.close();

    assertThat(closed.send(subscriptionOf(pushService.subscribe()), aMessage().build()).join())
        .isEqualTo(new Retry("client closed", null));
  }

  private PushResult resultWhenTheServiceAnswers(MockAnswer answer) {
    MockSubscription browser = pushService.subscribe();
    pushService.answer(browser, answer);
    return client.send(subscriptionOf(browser), aMessage().build()).join();
  }

  static WebPushClient.Builder clientFor(MockPushService service) {
    return WebPushClient.builder()
        .vapidKeys(KEYS)
        .subject("mailto:ops@example.com")
        .sslContext(service.clientSslContext());
  }

  static WebPushSubscription subscriptionOf(MockSubscription browser) {
    return new WebPushSubscription(browser.endpoint(), browser.p256dh(), browser.auth());
  }
}
