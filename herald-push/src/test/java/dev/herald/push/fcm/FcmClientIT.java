package dev.herald.push.fcm;

import static dev.herald.push.MessageFixture.aDataOnlyMessage;
import static dev.herald.push.MessageFixture.aMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.push.MessageFixture;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.testkit.fcm.FcmFault;
import dev.herald.testkit.fcm.FcmMock;
import dev.herald.testkit.fcm.MockServiceAccount;
import dev.herald.testkit.fcm.ReceivedFcmMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FcmClient against the loopback FCM mock over TLS and HTTP/2: one test per mapping row. */
class FcmClientIT {
  private static FcmMock fcm;
  private static MockServiceAccount account;
  private FcmClient client;

  @BeforeAll
  static void startMock() {
    fcm = FcmMock.start();
    account = fcm.mintServiceAccount("herald-demo");
  }

  @AfterAll
  static void stopMock() {
    fcm.close();
  }

  @BeforeEach
  void newClient() {
    fcm.reset();
    fcm.accessTokenLifetime(Duration.ofHours(1));
    client = clientBuilder().build();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private static FcmClient.Builder clientBuilder() {
    return FcmClient.builder()
        .serviceAccountJson(account.json())
        .endpoint(fcm.endpoint())
        .sslContext(fcm.clientSslContext());
  }

  private PushResult send(String token, MessageFixture message) {
    return client.send(token, message.build()).join();
  }

  @Test
  void anAcceptedMessageArrivesWithItsFieldsAndAnswersItsName() {
    PushResult result =
        send(
            "device-1",
            aMessage()
                .titled("Hello")
                .saying("World")
                .with("order", 42)
                .linkingTo("https://x.example/o/42"));

    assertThat(result)
        .isInstanceOfSatisfying(
            PushResult.Accepted.class,
            accepted ->
                assertThat(accepted.providerId()).startsWith("projects/herald-demo/messages/"));
    ReceivedFcmMessage received = fcm.messages().getFirst();
    assertThat(received.projectId()).isEqualTo("herald-demo");
    assertThat(received.token()).isEqualTo("device-1");
    assertThat(received.field("notification.title")).isEqualTo("Hello");
    assertThat(received.field("data.order")).isEqualTo("42");
    assertThat(received.field("android.ttl")).isEqualTo("3600s");
    assertThat(received.field("webpush.fcm_options.link")).isEqualTo("https://x.example/o/42");
    assertThat(fcm.protocols()).containsExactly("HTTP/2");
  }

  @Test
  void manySendsShareOneAccessTokenAndFewConnections() {
    List<FcmPush> pushes =
        IntStream.range(0, 300)
            .mapToObj(i -> new FcmPush("device-" + i, aMessage().build()))
            .toList();

    List<PushResult> results = client.send(pushes).join();

    assertThat(results).hasSize(300).allMatch(r -> r instanceof PushResult.Accepted);
    assertThat(fcm.tokenRequests()).isEqualTo(1);
    assertThat(fcm.messages()).hasSize(300);
    assertThat(fcm.connections()).isLessThanOrEqualTo(4);
  }

  @Test
  void theTokenIsRefreshedBeforeItExpiresWhileTheOldOneStillWorks() throws Exception {
    // google-auth refreshes in the background once under 3 min 45 s remain, blocks under 3 min
    fcm.accessTokenLifetime(Duration.ofSeconds(226));
    assertThat(send("device-1", aMessage())).isInstanceOf(PushResult.Accepted.class);
    Thread.sleep(1_200);

    assertThat(send("device-2", aMessage())).isInstanceOf(PushResult.Accepted.class);

    await().atMost(Duration.ofSeconds(5)).until(() -> fcm.tokenRequests() == 2);
    assertThat(send("device-3", aMessage())).isInstanceOf(PushResult.Accepted.class);
    assertThat(fcm.tokenRequests()).isEqualTo(2);
  }

  @Test
  void anUnregisteredTokenIsRejectedAsInvalid() {
    fcm.fail("gone", FcmFault.UNREGISTERED);
    assertThat(send("gone", aMessage())).isEqualTo(new PushResult.Rejected("UNREGISTERED", true));
  }

  @Test
  void aTokenOfAnotherSenderIsRejectedAsInvalid() {
    fcm.fail("foreign", FcmFault.SENDER_ID_MISMATCH);
    assertThat(send("foreign", aMessage()))
        .isEqualTo(new PushResult.Rejected("SENDER_ID_MISMATCH", true));
  }

  @Test
  void aMalformedTokenIsRejectedAsInvalid() {
    fcm.fail("garbled", FcmFault.INVALID_TOKEN);
    assertThat(send("garbled", aMessage()))
        .isInstanceOfSatisfying(
            PushResult.Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isTrue();
              assertThat(r.reason()).startsWith("INVALID_ARGUMENT");
            });
  }

  @Test
  void anInvalidArgumentIsRejectedKeepingTheToken() {
    fcm.fail("device-1", FcmFault.INVALID_ARGUMENT);
    assertThat(send("device-1", aMessage()))
        .isEqualTo(
            new PushResult.Rejected(
                "INVALID_ARGUMENT: Request contains an invalid argument.", false));
  }

  @Test
  void aMessageOverTheSizeLimitIsRejectedByFcm() {
    PushResult result = send("device-1", aMessage().with("blob", "x".repeat(5_000)));
    assertThat(result)
        .isInstanceOfSatisfying(
            PushResult.Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(r.reason()).isEqualTo("INVALID_ARGUMENT: Message is too big");
            });
  }

  @Test
  void anExceededQuotaIsRetriedAfterWhatFcmSays() {
    fcm.fail("device-1", FcmFault.QUOTA_EXCEEDED);
    fcm.retryAfter(Duration.ofSeconds(17));
    assertThat(send("device-1", aMessage()))
        .isEqualTo(new PushResult.Retry("QUOTA_EXCEEDED", Duration.ofSeconds(17)));
  }

  @Test
  void theProjectQuotaOfTheMockAnswersRetryBeyondIt() {
    fcm.quota(2, Duration.ofMinutes(1));
    List<PushResult> results =
        client
            .send(
                IntStream.range(0, 3)
                    .mapToObj(i -> new FcmPush("d" + i, aMessage().build()))
                    .toList())
            .join();
    assertThat(results).filteredOn(r -> r instanceof PushResult.Accepted).hasSize(2);
    assertThat(results)
        .filteredOn(
            r ->
                r instanceof PushResult.Retry retry
                    && retry.reason().equals("QUOTA_EXCEEDED")
                    && retry.retryAfter() != null)
        .hasSize(1);
  }

  @Test
  void anUnavailableFcmIsRetried() {
    fcm.fail("device-1", FcmFault.UNAVAILABLE);
    assertThat(send("device-1", aMessage())).isEqualTo(new PushResult.Retry("UNAVAILABLE", null));
  }

  @Test
  void anInternalErrorIsRetried() {
    fcm.fail("device-1", FcmFault.INTERNAL);
    assertThat(send("device-1", aMessage())).isEqualTo(new PushResult.Retry("INTERNAL", null));
  }

  @Test
  void missingApnsCredentialsOfTheProjectAreAnAuthRejection() {
    fcm.fail("iphone", FcmFault.THIRD_PARTY_AUTH_ERROR);
    assertThat(send("iphone", aMessage()))
        .isInstanceOfSatisfying(
            PushResult.Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(FcmErrors.isAuthError(r.reason())).isTrue();
            });
  }

  @Test
  void anAccessTokenFcmNoLongerAcceptsIsAnAuthRejection() {
    assertThat(send("device-1", aMessage())).isInstanceOf(PushResult.Accepted.class);
    fcm.expireAccessTokens();

    assertThat(send("device-1", aMessage()))
        .isInstanceOfSatisfying(
            PushResult.Rejected.class,
            r -> {
              assertThat(r.reason()).startsWith("UNAUTHENTICATED");
              assertThat(FcmErrors.isAuthError(r.reason())).isTrue();
            });
  }

  @Test
  void aServiceAccountForAnotherProjectIsDenied() {
    MockServiceAccount other = fcm.mintServiceAccount("other-project");
    try (FcmClient wrongProject =
        FcmClient.builder()
            .serviceAccountJson(other.json().replace("\"other-project\"", "\"herald-demo\""))
            .endpoint(fcm.endpoint())
            .sslContext(fcm.clientSslContext())
            .build()) {
      PushResult result = wrongProject.send("device-1", aMessage().build()).join();
      assertThat(result)
          .isInstanceOfSatisfying(
              PushResult.Rejected.class,
              r -> assertThat(r.reason()).startsWith("PERMISSION_DENIED"));
      assertThat(FcmErrors.isAuthError(((PushResult.Rejected) result).reason())).isTrue();
    }
  }

  @Test
  void aRevokedServiceAccountIsAnAuthRejection() {
    MockServiceAccount revoked = fcm.mintServiceAccount("herald-demo");
    fcm.revoke(revoked.clientEmail());
    try (FcmClient client =
        FcmClient.builder()
            .serviceAccountJson(revoked.json())
            .endpoint(fcm.endpoint())
            .sslContext(fcm.clientSslContext())
            .build()) {
      PushResult result = client.send("device-1", aMessage().build()).join();
      assertThat(result)
          .isInstanceOfSatisfying(
              PushResult.Rejected.class,
              r -> {
                assertThat(r.reason()).contains("invalid_grant");
                assertThat(FcmErrors.isAuthError(r.reason())).isTrue();
              });
    }
  }

  @Test
  void aFailingTokenEndpointIsRetried() {
    fcm.failTokenEndpoint(503);
    assertThat(send("device-1", aMessage()))
        .isEqualTo(new PushResult.Retry("token endpoint: HTTP 503", null));
    assertThat(fcm.sendRequests()).isZero();
  }

  @Test
  void anUnreachableFcmIsRetried() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (FcmClient unreachable =
        clientBuilder().endpoint(URI.create("https://127.0.0.1:" + closedPort)).build()) {
      PushResult result = unreachable.send("device-1", aMessage().build()).join();
      assertThat(result)
          .isInstanceOfSatisfying(
              PushResult.Retry.class, r -> assertThat(r.reason()).startsWith("connect"));
    }
  }

  @Test
  void aSlowFcmTimesOutIntoRetry() {
    fcm.latency(Duration.ofSeconds(2));
    try (FcmClient impatient = clientBuilder().requestTimeout(Duration.ofMillis(500)).build()) {
      // fetch the token before the mock slows down
      PushResult result = impatient.send("device-1", aMessage().build()).join();
      assertThat(result)
          .isInstanceOfSatisfying(
              PushResult.Retry.class, r -> assertThat(r.reason()).startsWith("timeout"));
    }
  }

  @Test
  void sendsBeyondTheRateWaitInsteadOfBeingDropped() {
    try (FcmClient paced = clientBuilder().maxMessagesPerMinute(600).build()) { // 10 per second
      long start = System.nanoTime();
      List<PushResult> results =
          paced
              .send(
                  IntStream.range(0, 12)
                      .mapToObj(i -> new FcmPush("d" + i, aMessage().build()))
                      .toList())
              .join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(results).allMatch(r -> r instanceof PushResult.Accepted);
      // 100 ms of burst, then one every 100 ms: the 12th leaves ≥ 1 s after the first
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
    }
  }

  @Test
  void requestsBeyondTheConcurrencyLimitWaitTheirTurn() {
    fcm.latency(Duration.ofMillis(300));
    try (FcmClient narrow = clientBuilder().maxConcurrentRequests(2).build()) {
      narrow.send("warm-up", aMessage().build()).join();
      long start = System.nanoTime();
      List<PushResult> results =
          narrow
              .send(
                  IntStream.range(0, 6)
                      .mapToObj(i -> new FcmPush("d" + i, aMessage().build()))
                      .toList())
              .join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(results).allMatch(r -> r instanceof PushResult.Accepted);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)); // three rounds of two
    }
  }

  @Test
  void aDataOnlyLowPriorityMessageGoesOutAsABackgroundPush() {
    assertThat(send("device-1", aDataOnlyMessage().with("sync", true).priority(PushPriority.LOW)))
        .isInstanceOf(PushResult.Accepted.class);
    ReceivedFcmMessage received = fcm.messages().getFirst();
    assertThat(received.message().has("notification")).isFalse();
    assertThat(received.field("data.sync")).isEqualTo("true");
    assertThat(received.field("android.priority")).isEqualTo("normal");
    assertThat(received.field("apns.headers.apns-priority")).isEqualTo("5");
    assertThat(received.field("apns.payload.aps.content-available")).isEqualTo("1");
  }

  @Test
  void aClosedClientAnswersRetry() {
    client.close();
    assertThat(send("device-1", aMessage())).isEqualTo(new PushResult.Retry("client closed", null));
  }
}
