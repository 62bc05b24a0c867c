package dev.herald.testkit.webpush;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MockPushServiceTest {
  private final MockPushService mock = MockPushService.start();
  private final TestPushSender sender = new TestPushSender(mock);
  private final MockSubscription subscription = mock.subscribe();

  @AfterEach
  void close() {
    sender.close();
    mock.close();
  }

  @Test
  void aWellFormedMessageIsAcceptedDecryptedAndRecorded() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "{\"title\":\"Hi\"}".getBytes(UTF_8));

    HttpResponse<String> response = sender.post(subscription, sender.authorization(mock), body);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).startsWith(mock.origin() + "/message/"));
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    ReceivedPush push = mock.received(subscription).getFirst();
    assertThat(push.payloadText()).isEqualTo("{\"title\":\"Hi\"}");
    assertThat(push.ttl()).isEqualTo("60");
    assertThat(push.vapidSubject()).isEqualTo("mailto:ops@example.com");
    assertThat(push.vapidKey()).isEqualTo(sender.vapidPublicKey());
    assertThat(push.httpVersion()).isEqualTo("HTTP/2");
  }

  @Test
  void aVapidSignatureThatDoesNotVerifyIsRefusedWith403() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));
    String signedByAnotherKey =
        sender.authorization(
            mock.origin(),
            Instant.now().plusSeconds(3600),
            "mailto:ops@example.com",
            TestPushSender.newKeyPair());

    HttpResponse<String> response = sender.post(subscription, signedByAnotherKey, body);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("signature");
    assertThat(mock.received()).isEmpty();
  }

  @Test
  void aTamperedCiphertextIsRefusedWith400() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));
    body[body.length - 5] ^= 1;

    HttpResponse<String> response = sender.post(subscription, sender.authorization(mock), body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("decryption failed");
    assertThat(mock.received()).isEmpty();
    assertThat(mock.refused()).extracting(Refusal::status).containsExactly(400);
  }

  @Test
  void aMessageWithoutAuthorizationIsRefusedWith401() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));

    assertThat(sender.post(subscription, null, body).statusCode()).isEqualTo(401);
  }

  @Test
  void aJwtForAnotherOriginIsRefused() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));
    String auth =
        sender.authorization(
            "https://push.example.net",
            Instant.now().plusSeconds(3600),
            "mailto:ops@example.com",
            sender.vapidKeys);

    HttpResponse<String> response = sender.post(subscription, auth, body);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("aud");
  }

  @Test
  void anExpiredJwtAndOneExpiringMoreThanADayAheadAreRefused() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));
    String expired =
        sender.authorization(
            mock.origin(),
            Instant.now().minusSeconds(5),
            "mailto:ops@example.com",
            sender.vapidKeys);
    String tooLong =
        sender.authorization(
            mock.origin(),
            Instant.now().plus(Duration.ofHours(25)),
            "mailto:ops@example.com",
            sender.vapidKeys);

    assertThat(sender.post(subscription, expired, body).body()).contains("expired");
    assertThat(sender.post(subscription, tooLong, body).body()).contains("24 hours");
    assertThat(mock.refused()).extracting(Refusal::status).containsExactly(403, 403);
  }

  @Test
  void aSubjectThatIsNeitherMailtoNorHttpsIsRefused() throws Exception {
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));
    String auth =
        sender.authorization(
            mock.origin(), Instant.now().plusSeconds(60), "ops@example.com", sender.vapidKeys);

    assertThat(sender.post(subscription, auth, body).statusCode()).isEqualTo(403);
  }

  @Test
  void aSubscriptionRestrictedToOneKeyRefusesAnother() throws Exception {
    KeyPair otherVapidKeys = TestPushSender.newKeyPair();
    MockSubscription restricted =
        mock.subscribe(
            TestPushSender.b64(
                TestPushSender.uncompressed((ECPublicKey) otherVapidKeys.getPublic())));
    byte[] body = TestPushSender.encrypt(restricted, "hi".getBytes(UTF_8));

    assertThat(sender.post(restricted, sender.authorization(mock), body).statusCode())
        .isEqualTo(403);
  }

  @Test
  void anUnknownSubscriptionAnswers404() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(mock.origin() + "/push/never-minted"))
            .header("TTL", "0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100]))
            .build();

    try (HttpClient http = HttpClient.newBuilder().sslContext(mock.clientSslContext()).build()) {
      assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(404);
    }
    assertThat(mock.refused())
        .containsExactly(new Refusal("never-minted", 404, "no such subscription"));
  }

  @Test
  void anInjectedAnswerIsGivenWithItsRetryAfter() throws Exception {
    mock.answer(subscription, MockAnswer.tooManyRequests("120"));
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));

    HttpResponse<String> response = sender.post(subscription, sender.authorization(mock), body);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("120");
    mock.clearAnswer(subscription);
    assertThat(sender.post(subscription, sender.authorization(mock), body).statusCode())
        .isEqualTo(201);
  }

  @Test
  void latencyDelaysTheAnswer() throws Exception {
    mock.latency(Duration.ofMillis(300));
    byte[] body = TestPushSender.encrypt(subscription, "hi".getBytes(UTF_8));

    long start = System.nanoTime();
    sender.post(subscription, sender.authorization(mock), body);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @ParameterizedTest
  @EnumSource(
      value = MockPushService.Mode.class,
      names = {"TLS_HTTP1", "PLAIN_HTTP1"})
  void theHttp11ModesAcceptMessagesToo(MockPushService.Mode mode) throws Exception {
    try (MockPushService http1 = MockPushService.builder().mode(mode).build();
        TestPushSender http1Sender = new TestPushSender(http1)) {
      MockSubscription browser = http1.subscribe();
      byte[] body = TestPushSender.encrypt(browser, "hi".getBytes(UTF_8));

      HttpResponse<String> response =
          http1Sender.post(browser, http1Sender.authorization(http1), body);

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(http1.received(browser).getFirst().payloadText()).isEqualTo("hi");
      assertThat(http1.origin())
          .startsWith(mode == MockPushService.Mode.TLS_HTTP1 ? "https://" : "http://");
    }
  }

  @Test
  void aSubscriptionSerializesLikeABrowsersPushSubscription() {
    String json = subscription.toJson();

    assertThat(json)
        .startsWith("{\"endpoint\":\"" + mock.origin() + "/push/")
        .contains("\"expirationTime\":null")
        .contains("\"p256dh\":\"" + subscription.p256dh() + "\"")
        .contains("\"auth\":\"" + subscription.auth() + "\"");
    assertThat(Base64.getUrlDecoder().decode(subscription.p256dh())).hasSize(65).startsWith(4);
    assertThat(Base64.getUrlDecoder().decode(subscription.auth())).hasSize(16);
  }
}
