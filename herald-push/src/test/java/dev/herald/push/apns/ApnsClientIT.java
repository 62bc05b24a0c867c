package dev.herald.push.apns;

import static dev.herald.push.apns.Messages.aMessage;
import static dev.herald.push.apns.Messages.aSilentMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.push.PushMessage;
import dev.herald.push.PushPriority;
import dev.herald.push.PushResult;
import dev.herald.push.PushResult.Accepted;
import dev.herald.push.PushResult.Rejected;
import dev.herald.push.PushResult.Retry;
import dev.herald.testkit.apns.ApnsMock;
import dev.herald.testkit.apns.ApnsMockRequest;
import dev.herald.testkit.apns.ApnsTeamKey;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ApnsClient against the loopback APNs mock: real TLS, real HTTP/2. */
class ApnsClientIT {
  private static final String TOPIC = "com.example.app";
  private static final String TOKEN = "ab".repeat(32);
  private static final String OTHER_TOKEN = "cd".repeat(32);
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");
  private final List<ApnsClient> clients = new ArrayList<>();
  // A mock per test: a request that outlived its test's timeout cannot land in the next test.
  private ApnsMock apns;

  @BeforeAll
  static void quiet() {
    QuietLogs.apply();
  }

  @BeforeEach
  void startApns() {
    apns = ApnsMock.builder().acceptKey(KEY).topic(TOPIC).start();
  }

  @AfterEach
  void stop() {
    clients.forEach(ApnsClient::close);
    apns.close();
  }

  @Test
  void anAlertCarriesEveryHeaderApnsReads() {
    TestClock clock = new TestClock(Instant.now());
    String id = "123e4567-e89b-12d3-a456-426614174000";
    PushMessage message =
        aMessage()
            .withId(id)
            .at(PushPriority.HIGH)
            .keptFor(Duration.ofHours(1))
            .collapsingAs("order-42")
            .withData("order", 42)
            .linkingTo("https://shop.test/o/42")
            .build();

    PushResult result = send(client(b -> b.clock(clock)), TOKEN, message);

    assertThat(result).isEqualTo(new Accepted(id));
    ApnsMockRequest received = apns.requests().getFirst();
    assertThat(received.deviceToken()).isEqualTo(TOKEN);
    assertThat(received.headers())
        .containsEntry("apns-topic", TOPIC)
        .containsEntry("apns-push-type", "alert")
        .containsEntry("apns-priority", "10")
        .containsEntry("apns-expiration", Long.toString(clock.instant().getEpochSecond() + 3600))
        .containsEntry("apns-collapse-id", "order-42")
        .containsEntry("apns-id", id)
        .containsEntry("authorization", "bearer " + received.jwt());
    assertThat(received.payload())
        .isEqualTo(
            Map.of(
                "aps",
                Map.of(
                    "alert",
                    Map.of("title", "Order shipped", "body", "Your parcel is on its way"),
                    "sound",
                    "default"),
                "order",
                42,
                "url",
                "https://shop.test/o/42"));
  }

  @Test
  void aSilentBulkMessageIsABackgroundPushAtPriorityFiveThatNeverExpiresIntoTheFuture() {
    send(
        client(b -> {}),
        TOKEN,
        aSilentMessage().at(PushPriority.LOW).keptFor(Duration.ZERO).build());

    assertThat(apns.requests().getFirst().headers())
        .containsEntry("apns-push-type", "background")
        .containsEntry("apns-priority", "5")
        .containsEntry("apns-expiration", "0")
        .doesNotContainKey("apns-collapse-id");
  }

  @Test
  void aResentMessageCarriesTheSameApnsId() {
    ApnsClient client = client(b -> {});
    PushResult first = send(client, TOKEN, aMessage().withId("delivery-7").build());
    PushResult again = send(client, TOKEN, aMessage().withId("delivery-7").build());

    List<ApnsMockRequest> received = apns.requests();
    assertThat(received.get(0).header("apns-id")).isEqualTo(received.get(1).header("apns-id"));
    assertThat(first).isEqualTo(again).isEqualTo(new Accepted(received.get(0).header("apns-id")));
  }

  @Test
  void oneProviderTokenServesManySends() {
    ApnsClient client = client(b -> {});
    for (int i = 0; i < 50; i++)
      assertThat(send(client, TOKEN, aMessage().build())).isInstanceOf(Accepted.class);

    assertThat(apns.requests()).hasSize(50);
    assertThat(apns.jwts()).hasSize(1);
  }

  @Test
  void theProviderTokenIsReSignedWhenItIsDue() {
    TestClock clock = new TestClock(Instant.now().minus(Duration.ofMinutes(55)));
    ApnsClient client = client(b -> b.clock(clock));
    send(client, TOKEN, aMessage().build());
    clock.advance(Duration.ofMinutes(49));
    send(client, TOKEN, aMessage().build());
    clock.advance(Duration.ofMinutes(1));
    send(client, TOKEN, aMessage().build());

    List<ApnsMockRequest> received = apns.requests();
    assertThat(received.get(1).jwt()).isEqualTo(received.get(0).jwt());
    assertThat(received.get(2).jwt()).isNotEqualTo(received.get(1).jwt());
  }

  @Test
  void anExpiredProviderTokenIsReSignedAndTheMessageSentAgain() {
    ApnsClient client = client(b -> {});
    send(client, TOKEN, aMessage().build());
    apns.failNext(1, 403, "ExpiredProviderToken");

    PushResult result = send(client, TOKEN, aMessage().build());
    send(client, TOKEN, aMessage().build());

    assertThat(result).isInstanceOf(Accepted.class);
    List<ApnsMockRequest> received = apns.requests();
    assertThat(received).extracting(ApnsMockRequest::status).containsExactly(200, 403, 200, 200);
    assertThat(received.get(1).jwt()).isEqualTo(received.get(0).jwt());
    assertThat(received.get(2).jwt()).isNotEqualTo(received.get(1).jwt());
    assertThat(received.get(3).jwt()).isEqualTo(received.get(2).jwt());
  }

  @Test
  void tooManyProviderTokenUpdatesReSignsTheTokenAndAsksForARetry() {
    ApnsClient client = client(b -> {});
    apns.failNext(1, 429, "TooManyProviderTokenUpdates");

    PushResult result = send(client, TOKEN, aMessage().build());
    send(client, TOKEN, aMessage().build());

    assertThat(result).isEqualTo(new Retry("TooManyProviderTokenUpdates", null));
    assertThat(apns.jwts()).hasSize(2);
  }

  @Test
  void aTokenApnsStillFindsTooOldAfterReSigningIsAProviderMisconfiguration() {
    // A clock two hours slow signs tokens APNs calls expired the moment they are made.
    TestClock slow = new TestClock(Instant.now().minus(Duration.ofHours(2)));
    PushResult result = send(client(b -> b.clock(slow)), TOKEN, aMessage().build());

    assertThat(result).isEqualTo(new Rejected("provider-auth:ExpiredProviderToken", false));
    assertThat(ApnsErrors.isProviderAuthError(((Rejected) result).reason())).isTrue();
    assertThat(apns.requests()).hasSize(2);
  }

  @Test
  void aKeyApnsDoesNotKnowIsAProviderMisconfigurationNotABadDevice() {
    ApnsTeamKey unknown = ApnsTeamKey.generate("TEAM123456", "KEY7654321");
    ApnsClient client = client(b -> b.keyId(unknown.keyId()).signingKey(unknown.privateKeyPem()));

    assertThat(send(client, TOKEN, aMessage().build()))
        .isEqualTo(new Rejected("provider-auth:InvalidProviderToken", false));
  }

  @Test
  void everyAnswerApnsCanGiveMapsToItsOutcomeOverTheWire() {
    ApnsClient client = client(b -> {});
    record Row(int status, String reason, PushResult expected) {}
    List<Row> rows =
        List.of(
            new Row(400, "BadDeviceToken", new Rejected("BadDeviceToken", true)),
            new Row(400, "DeviceTokenNotForTopic", new Rejected("DeviceTokenNotForTopic", true)),
            new Row(410, "ExpiredToken", new Rejected("ExpiredToken", true)),
            new Row(400, "PayloadTooLarge", new Rejected("PayloadTooLarge", false)),
            new Row(400, "BadCollapseId", new Rejected("BadCollapseId", false)),
            new Row(400, "BadTopic", new Rejected("BadTopic", false)),
            new Row(400, "MissingTopic", new Rejected("MissingTopic", false)),
            new Row(
                403,
                "InvalidProviderToken",
                new Rejected("provider-auth:InvalidProviderToken", false)),
            new Row(
                403,
                "MissingProviderToken",
                new Rejected("provider-auth:MissingProviderToken", false)),
            new Row(403, "BadCertificate", new Rejected("provider-auth:BadCertificate", false)),
            new Row(413, "PayloadTooLarge", new Rejected("PayloadTooLarge", false)),
            new Row(429, "TooManyRequests", new Retry("TooManyRequests", null)),
            new Row(500, "InternalServerError", new Retry("InternalServerError", null)),
            new Row(503, "ServiceUnavailable", new Retry("ServiceUnavailable", null)));
    for (Row row : rows) {
      apns.failNext(1, row.status(), row.reason());
      assertThat(send(client, TOKEN, aMessage().build()))
          .as("%d %s", row.status(), row.reason())
          .isEqualTo(row.expected());
    }
  }

  @Test
  void anUnregisteredTokenIsRejectedAsInvalid() {
    apns.unregisterToken(OTHER_TOKEN, Instant.now().minusSeconds(60));

    List<PushResult> results =
        client(b -> {})
            .send(
                List.of(
                    new ApnsNotification(TOKEN, aMessage().build()),
                    new ApnsNotification(OTHER_TOKEN, aMessage().build()),
                    new ApnsNotification(TOKEN, aMessage().withId("second").build())))
            .join();

    assertThat(results.get(0)).isInstanceOf(Accepted.class);
    assertThat(results.get(1)).isEqualTo(new Rejected("Unregistered", true));
    assertThat(results.get(2)).isInstanceOf(Accepted.class);
  }

  @Test
  void retryAfterFromApnsReachesTheCaller() {
    apns.failNext(1, 429, "TooManyRequests", Duration.ofSeconds(7));
    assertThat(send(client(b -> {}), TOKEN, aMessage().build()))
        .isEqualTo(new Retry("TooManyRequests", Duration.ofSeconds(7)));
  }

  @Test
  void whatApnsWouldRefuseNeverLeavesTheClient() {
    ApnsClient client = client(b -> {});
    assertThat(send(client, "not-a-token", aMessage().build()))
        .isEqualTo(new Rejected("BadDeviceToken", true));
    assertThat(send(client, TOKEN, aMessage().saying("x".repeat(5000)).build()))
        .isEqualTo(new Rejected("PayloadTooLarge", false));
    assertThat(apns.requestCount()).isZero();
  }

  /** A value Jackson cannot write: reading its one property fails. */
  public record Unwritable(String value) {
    @Override
    public String value() {
      throw new IllegalStateException("not today");
    }
  }

  @Test
  void dataThatCannotBeWrittenAsJsonIsRejectedAloneNotTheWholeBatch() {
    List<PushResult> results =
        client(b -> {})
            .send(
                List.of(
                    new ApnsNotification(
                        TOKEN, aMessage().withData("x", new Unwritable("y")).build()),
                    new ApnsNotification(TOKEN, aMessage().build())))
            .join();

    assertThat(results.get(0)).isInstanceOf(Rejected.class);
    assertThat(((Rejected) results.get(0)).reason()).startsWith("BadPayload: ");
    assertThat(((Rejected) results.get(0)).tokenInvalid()).isFalse();
    assertThat(results.get(1)).isInstanceOf(Accepted.class);
  }

  @Test
  void aThousandConcurrentSendsShareAtMostTwoConnections() {
    apns.latency(Duration.ofMillis(200));
    ApnsClient client = client(b -> b.connections(2));
    long start = System.nanoTime();
    List<CompletableFuture<PushResult>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++)
      futures.add(client.send(TOKEN, aMessage().withId("m" + i).build()));
    List<PushResult> results = futures.stream().map(CompletableFuture::join).toList();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results).allMatch(r -> r instanceof Accepted);
    assertThat(apns.requestCount()).isEqualTo(1000);
    assertThat(apns.connectionCount()).isBetween(1, 2);
    // One at a time this would take 200 s; in parallel it takes a few round trips.
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aSlowAnswerBecomesARetryAfterTheRequestTimeout() {
    apns.latency(Duration.ofSeconds(3));
    PushResult result =
        send(client(b -> b.requestTimeout(Duration.ofMillis(300))), TOKEN, aMessage().build());

    assertThat(result).isInstanceOf(Retry.class);
    assertThat(((Retry) result).reason()).contains("no answer from APNs within");
  }

  @Test
  void anEndpointThatRefusesConnectionsGivesARetry() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ApnsClient client = client(b -> b.endpoint("127.0.0.1", closedPort));

    PushResult result = send(client, TOKEN, aMessage().build());

    assertThat(result).isInstanceOf(Retry.class);
    assertThat(((Retry) result).reason()).startsWith("cannot connect to APNs");
  }

  @Test
  void aServerThatNeverFinishesTheHandshakeGivesARetryAfterTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      ApnsClient client =
          client(
              b ->
                  b.endpoint("127.0.0.1", silent.getLocalPort())
                      .connectTimeout(Duration.ofMillis(300)));
      long start = System.nanoTime();

      PushResult result = send(client, TOKEN, aMessage().build());

      assertThat(result).isInstanceOf(Retry.class);
      assertThat(((Retry) result).reason()).contains("no connection within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aServerCertificateTheClientDoesNotTrustIsNeverTalkedTo() {
    ApnsClient client =
        track(
            ApnsClient.builder()
                .teamId(KEY.teamId())
                .keyId(KEY.keyId())
                .signingKey(KEY.privateKeyPem())
                .topic(TOPIC)
                .endpoint(apns.uri())
                .build());

    assertThat(send(client, TOKEN, aMessage().build())).isInstanceOf(Retry.class);
    assertThat(apns.requestCount()).isZero();
  }

  @Test
  void aClosedClientAnswersRetry() {
    ApnsClient client = client(b -> {});
    client.close();
    assertThat(send(client, TOKEN, aMessage().build()))
        .isEqualTo(new Retry("APNs client closed", null));
  }

  private ApnsClient client(java.util.function.Consumer<ApnsClientBuilder> customize) {
    ApnsClientBuilder builder =
        ApnsClient.builder()
            .teamId(KEY.teamId())
            .keyId(KEY.keyId())
            .signingKey(KEY.privateKeyPem())
            .topic(TOPIC)
            .endpoint(apns.uri())
            .trustedCertificates(apns.certificate());
    customize.accept(builder);
    return track(builder.build());
  }

  private ApnsClient track(ApnsClient client) {
    clients.add(client);
    return client;
  }

  private static PushResult send(ApnsClient client, String token, PushMessage message) {
    return client.send(token, message).orTimeout(30, TimeUnit.SECONDS).join();
  }
}
