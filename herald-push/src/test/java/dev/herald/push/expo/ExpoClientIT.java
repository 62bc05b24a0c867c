package dev.herald.push.expo;

import static dev.herald.push.MessageFixture.aMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.push.MessageFixture;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.testkit.expo.ExpoError;
import dev.herald.testkit.expo.ExpoMock;
import dev.herald.testkit.expo.ExpoSendRequest;
import dev.herald.testkit.expo.ReceivedExpoMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ExpoClient against the loopback Expo mock over TLS and HTTP/2. */
class ExpoClientIT {
  private static ExpoMock expo;
  private ExpoClient client;

  @BeforeAll
  static void startMock() {
    expo = ExpoMock.start();
  }

  @AfterAll
  static void stopMock() {
    expo.close();
  }

  @BeforeEach
  void newClient() {
    expo.reset();
    client = clientBuilder().build();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private static ExpoClient.Builder clientBuilder() {
    return ExpoClient.builder().endpoint(expo.endpoint()).sslContext(expo.clientSslContext());
  }

  private static String token(int i) {
    return "ExponentPushToken[device-" + i + "]";
  }

  private static List<ExpoPush> pushes(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new ExpoPush(token(i), aMessage().build()))
        .toList();
  }

  private PushResult send(String token, MessageFixture message) {
    return client.send(token, message.build()).join();
  }

  @Test
  void aMessageIsAcceptedWithItsTicketAndArrivesWithItsFields() {
    PushResult result =
        client
            .send(
                List.of(
                    new ExpoPush(
                        token(1),
                        aMessage()
                            .titled("Hi")
                            .saying("there")
                            .with("order", 42)
                            .priority(PushPriority.LOW)
                            .keptFor(Duration.ofMinutes(10))
                            .collapsing("ignored")
                            .build(),
                        "orders")))
            .join()
            .getFirst();

    ReceivedExpoMessage received = expo.messages().getFirst();
    assertThat(result).isEqualTo(new PushResult.Accepted(received.ticketId()));
    assertThat(received.to()).isEqualTo(token(1));
    assertThat(received.field("title")).isEqualTo("Hi");
    assertThat(received.field("body")).isEqualTo("there");
    assertThat(received.message().path("data").path("order").asInt()).isEqualTo(42);
    assertThat(received.field("ttl")).isEqualTo("600");
    assertThat(received.field("priority")).isEqualTo("normal");
    assertThat(received.field("channelId")).isEqualTo("orders");
    assertThat(received.message().has("collapseKey")).isFalse();
  }

  @Test
  void twoHundredFiftyMessagesGoOutInThreeRequestsOfAtMostAHundred() {
    List<PushResult> results = client.send(pushes(250)).join();

    assertThat(results).hasSize(250).allMatch(r -> r instanceof PushResult.Accepted);
    assertThat(results.stream().map(r -> ((PushResult.Accepted) r).providerId()).distinct())
        .hasSize(250);
    assertThat(expo.sendRequests())
        .extracting(ExpoSendRequest::messages)
        .containsExactlyInAnyOrder(100, 100, 50); // HTTP/2 streams may overtake each other
    // each answer of 100 tickets is over 1 KiB, so it came back gzipped and was decoded
    assertThat(expo.messages())
        .extracting(ReceivedExpoMessage::to)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 250).mapToObj(ExpoClientIT::token).toList());
  }

  @Test
  void largeBodiesAreGzippedAndSmallOnesAreNot() {
    client.send(pushes(1)).join();
    client.send(pushes(100)).join();

    List<ExpoSendRequest> requests = expo.sendRequests();
    assertThat(requests.get(0).gzipped()).isFalse();
    assertThat(requests.get(1).gzipped()).isTrue();
    assertThat(requests.get(1).wireBytes())
        .isLessThan(ExpoMessages.toRequestBytes(pushes(100)).length / 4);
    assertThat(requests).allMatch(ExpoSendRequest::acceptsGzip);
  }

  @Test
  void aDeviceNotRegisteredTicketMarksTheTokenInvalid() {
    expo.failTicket(token(1), ExpoError.DEVICE_NOT_REGISTERED);
    assertThat(send(token(1), aMessage()))
        .isEqualTo(new PushResult.Rejected("DeviceNotRegistered", true));
  }

  @Test
  void aMalformedTokenIsDeviceNotRegistered() {
    assertThat(send("not-an-expo-token", aMessage()))
        .isEqualTo(new PushResult.Rejected("DeviceNotRegistered", true));
  }

  @Test
  void aMessageTooBigTicketIsRejectedKeepingTheToken() {
    expo.failTicket(token(1), ExpoError.MESSAGE_TOO_BIG);
    assertThat(send(token(1), aMessage()))
        .isEqualTo(new PushResult.Rejected("MessageTooBig", false));
  }

  @Test
  void aMessageOverTheLimitIsRejectedWithoutARequest() {
    assertThat(send(token(1), aMessage().with("blob", "x".repeat(5_000))))
        .isEqualTo(new PushResult.Rejected("MessageTooBig", false));
    assertThat(expo.sendRequests()).isEmpty();
  }

  @Test
  void invalidCredentialsAreAnAuthRejection() {
    expo.failTicket(token(1), ExpoError.INVALID_CREDENTIALS);
    assertThat(send(token(1), aMessage()))
        .isInstanceOfSatisfying(
            PushResult.Rejected.class,
            r -> {
              assertThat(r.tokenInvalid()).isFalse();
              assertThat(ExpoTickets.isAuthError(r.reason())).isTrue();
            });
  }

  @Test
  void aDeviceRateExceededIsRetried() {
    expo.failTicket(token(1), ExpoError.MESSAGE_RATE_EXCEEDED);
    assertThat(send(token(1), aMessage()))
        .isEqualTo(new PushResult.Retry("MessageRateExceeded", null));
  }

  @Test
  void tooManyRequestsRetriesTheWholeBatchAfterRetryAfter() {
    expo.tooManyRequests(1);
    expo.retryAfter(Duration.ofSeconds(7));
    assertThat(client.send(pushes(3)).join())
        .containsOnly(new PushResult.Retry("TOO_MANY_REQUESTS", Duration.ofSeconds(7)));
  }

  @Test
  void aServerErrorRetriesTheWholeBatch() {
    expo.failNextRequests(1);
    assertThat(client.send(pushes(3)).join())
        .containsOnly(new PushResult.Retry("INTERNAL_SERVER_ERROR", null));
  }

  @Test
  void aRefusedBatchRejectsTheMessageItNamesAndRetriesTheOthers() {
    expo.failRequestsContaining(token(1));
    List<PushResult> results = client.send(pushes(3)).join();

    assertThat(results.get(1))
        .isInstanceOfSatisfying(
            PushResult.Rejected.class,
            r -> {
              assertThat(r.reason()).startsWith("VALIDATION_ERROR: \"[1].to\"");
              assertThat(r.tokenInvalid()).isFalse();
            });
    assertThat(List.of(results.get(0), results.get(2)))
        .allMatch(r -> r instanceof PushResult.Retry);
    // sent again without the refused one, the others go through
    assertThat(client.send(List.of(pushes(3).get(0), pushes(3).get(2))).join())
        .allMatch(r -> r instanceof PushResult.Accepted);
  }

  @Test
  void theAccessTokenIsSentAsABearer() {
    expo.requireAccessToken("secret-token");
    try (ExpoClient withToken = clientBuilder().accessToken("secret-token").build()) {
      assertThat(withToken.send(token(1), aMessage().build()).join())
          .isInstanceOf(PushResult.Accepted.class);
    }
    assertThat(expo.sendRequests().getFirst().authorization()).isEqualTo("Bearer secret-token");
  }

  @Test
  void withoutTheRequiredAccessTokenEveryMessageIsAnAuthRejection() {
    expo.requireAccessToken("secret-token");
    List<PushResult> results = client.send(pushes(2)).join();
    assertThat(results)
        .allSatisfy(
            r ->
                assertThat(r)
                    .isInstanceOfSatisfying(
                        PushResult.Rejected.class,
                        rejected -> {
                          assertThat(rejected.reason()).startsWith("UNAUTHORIZED");
                          assertThat(ExpoTickets.isAuthError(rejected.reason())).isTrue();
                        }));
  }

  @Test
  void receiptsSayDeliveredTokenInvalidOrFailed() {
    expo.failReceipt(token(1), ExpoError.DEVICE_NOT_REGISTERED);
    expo.failReceipt(token(2), ExpoError.MESSAGE_TOO_BIG);
    List<String> tickets =
        client.send(pushes(3)).join().stream()
            .map(r -> ((PushResult.Accepted) r).providerId())
            .toList();

    List<String> asked = new ArrayList<>(tickets);
    asked.add("00000000-0000-0000-0000-000000000000");
    Map<String, ExpoReceipt> receipts = client.getReceipts(asked).join();

    assertThat(receipts).containsOnlyKeys(tickets);
    assertThat(receipts.get(tickets.get(0))).isEqualTo(new ExpoReceipt.Delivered());
    assertThat(receipts.get(tickets.get(1)))
        .isEqualTo(new ExpoReceipt.TokenInvalid("DeviceNotRegistered"));
    assertThat(receipts.get(tickets.get(2)))
        .isInstanceOfSatisfying(
            ExpoReceipt.Failed.class, f -> assertThat(f.reason()).startsWith("MessageTooBig"));
  }

  @Test
  void receiptsNotReadyYetAreAbsent() {
    String ticket = ((PushResult.Accepted) send(token(1), aMessage())).providerId();
    expo.holdReceipts(true);
    assertThat(client.getReceipts(List.of(ticket)).join()).isEmpty();
  }

  @Test
  void receiptsAreAskedInRequestsOfAtMostAThousandIds() {
    List<String> ids = IntStream.range(0, 2_500).mapToObj(i -> "ticket-" + i).toList();
    assertThat(client.getReceipts(ids).join()).isEmpty();
    assertThat(expo.receiptRequests()).containsExactlyInAnyOrder(1_000, 1_000, 500);
  }

  @Test
  void aFailedReceiptsRequestFailsWithItsStatus() {
    expo.tooManyRequests(1);
    assertThatThrownBy(() -> client.getReceipts(List.of("t-1")).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ExpoRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.code()).isEqualTo("TOO_MANY_REQUESTS");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
            });
  }

  @Test
  void sendsAreSpacedToTheProjectRateInsteadOfRefused() {
    expo.messagesPerSecond(700); // the mock refuses beyond 700 in any one-second window
    long start = System.nanoTime();
    List<PushResult> results = client.send(pushes(1_200)).join();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results).allMatch(r -> r instanceof PushResult.Accepted);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_800)); // 12 batches, 1/6 s apart
  }

  @Test
  void withoutPacingTheMockRefusesTheExcess() {
    expo.messagesPerSecond(700);
    try (ExpoClient eager = clientBuilder().maxMessagesPerSecond(100_000).build()) {
      assertThat(eager.send(pushes(1_200)).join())
          .anyMatch(
              r -> r.equals(new PushResult.Retry("TOO_MANY_REQUESTS", Duration.ofSeconds(5))));
    }
  }

  @Test
  void anUnreachableServiceIsRetried() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (ExpoClient unreachable =
        clientBuilder().endpoint(URI.create("https://127.0.0.1:" + closedPort)).build()) {
      assertThat(unreachable.send(token(1), aMessage().build()).join())
          .isInstanceOfSatisfying(
              PushResult.Retry.class, r -> assertThat(r.reason()).startsWith("connect"));
    }
  }

  @Test
  void aSlowServiceTimesOutIntoRetry() {
    expo.latency(Duration.ofSeconds(2));
    try (ExpoClient impatient = clientBuilder().requestTimeout(Duration.ofMillis(400)).build()) {
      assertThat(impatient.send(token(1), aMessage().build()).join())
          .isInstanceOfSatisfying(
              PushResult.Retry.class, r -> assertThat(r.reason()).startsWith("timeout"));
    }
  }

  @Test
  void aClosedClientAnswersRetry() {
    client.close();
    assertThat(send(token(1), aMessage())).isEqualTo(new PushResult.Retry("client closed", null));
  }
}
