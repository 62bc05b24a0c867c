package dev.herald.testkit.apns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mock driven by a plain HTTP/2 client, as a stand-in for APNs. */
class ApnsMockTest {
  private static final String TOKEN = "a".repeat(64);
  private static final String TOPIC = "com.example.app";
  private static final ApnsTeamKey KEY = ApnsTeamKey.generate("TEAM123456", "KEY1234567");
  private static final MediaType JSON = MediaType.get("application/json");

  private static ApnsMock apns;
  private static OkHttpClient http;

  @BeforeAll
  static void start() {
    apns = ApnsMock.builder().acceptKey(KEY).topic(TOPIC).start();
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder().addTrustedCertificate(apns.certificate()).build();
    http =
        new OkHttpClient.Builder()
            .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
            .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
            .build();
  }

  @AfterAll
  static void stop() {
    apns.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @AfterEach
  void resetMock() {
    apns.resetBehaviour();
    apns.clearRequests();
  }

  @Test
  void acceptsAWellFormedNotificationOverHttp2AndEchoesItsApnsId() throws IOException {
    String id = "123e4567-e89b-12d3-a456-426614174000";
    try (Response response = post(TOKEN, KEY.providerToken(Instant.now()), Map.of("apns-id", id))) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("apns-id")).isEqualTo(id);
    }
  }

  @Test
  void recordsTheTokenHeadersPayloadAndProviderToken() throws IOException {
    String jwt = KEY.providerToken(Instant.now());
    post(TOKEN, jwt, Map.of("apns-priority", "10")).close();

    ApnsMockRequest received = apns.requests().getFirst();
    assertThat(received.deviceToken()).isEqualTo(TOKEN);
    assertThat(received.header("apns-topic")).isEqualTo(TOPIC);
    assertThat(received.header("apns-priority")).isEqualTo("10");
    assertThat(received.payload()).containsKey("aps");
    assertThat(received.jwt()).isEqualTo(jwt);
    assertThat(received.status()).isEqualTo(200);
  }

  @Test
  void refusesATokenSignedByAKeyItDoesNotKnow() throws IOException {
    ApnsTeamKey stranger = ApnsTeamKey.generate("TEAM123456", "KEY1234567");
    assertRefused(
        post(TOKEN, stranger.providerToken(Instant.now()), Map.of()), 403, "InvalidProviderToken");
  }

  @Test
  void refusesATokenWhoseIssuerIsNotTheKeysTeam() throws IOException {
    ApnsTeamKey otherTeam =
        new ApnsTeamKey("OTHERTEAM1", KEY.keyId(), KEY.publicKey(), KEY.privateKey());
    assertRefused(
        post(TOKEN, otherTeam.providerToken(Instant.now()), Map.of()), 403, "InvalidProviderToken");
  }

  @Test
  void refusesATokenIssuedMoreThanAnHourAgo() throws IOException {
    String old = KEY.providerToken(Instant.now().minus(Duration.ofMinutes(61)));
    assertRefused(post(TOKEN, old, Map.of()), 403, "ExpiredProviderToken");
  }

  @Test
  void refusesARequestWithoutAProviderToken() throws IOException {
    assertRefused(post(TOKEN, null, Map.of()), 403, "MissingProviderToken");
  }

  @Test
  void refusesADeviceTokenThatIsNotHex() throws IOException {
    assertRefused(
        post("z".repeat(64), KEY.providerToken(Instant.now()), Map.of()), 400, "BadDeviceToken");
  }

  @Test
  void refusesATopicItWasNotConfiguredFor() throws IOException {
    assertRefused(
        post(TOKEN, KEY.providerToken(Instant.now()), Map.of("apns-topic", "com.other.app")),
        400,
        "TopicDisallowed");
  }

  @Test
  void refusesACollapseIdLongerThan64Bytes() throws IOException {
    assertRefused(
        post(TOKEN, KEY.providerToken(Instant.now()), Map.of("apns-collapse-id", "c".repeat(65))),
        400,
        "BadCollapseId");
  }

  @Test
  void refusesAPayloadOver4096Bytes() throws IOException {
    String big = "{\"aps\":{},\"x\":\"" + "y".repeat(4096) + "\"}";
    assertRefused(
        post(TOKEN, KEY.providerToken(Instant.now()), Map.of(), big), 413, "PayloadTooLarge");
  }

  @Test
  void answersAnUnregisteredTokenWith410AndTheTimeItWentAway() throws IOException {
    Instant since = Instant.parse("2025-01-02T03:04:05Z");
    apns.unregisterToken(TOKEN, since);
    try (Response response = post(TOKEN, KEY.providerToken(Instant.now()), Map.of())) {
      assertThat(response.code()).isEqualTo(410);
      assertThat(response.body().string())
          .contains("\"reason\":\"Unregistered\"")
          .contains("\"timestamp\":" + since.toEpochMilli());
    }
  }

  @Test
  void failsTheNextRequestsAsToldAndThenRecovers() throws IOException {
    apns.failNext(2, 429, "TooManyRequests", Duration.ofSeconds(3));
    String jwt = KEY.providerToken(Instant.now());
    try (Response first = post(TOKEN, jwt, Map.of())) {
      assertThat(first.code()).isEqualTo(429);
      assertThat(first.header("retry-after")).isEqualTo("3");
    }
    assertRefused(post(TOKEN, jwt, Map.of()), 429, "TooManyRequests");
    try (Response third = post(TOKEN, jwt, Map.of())) {
      assertThat(third.code()).isEqualTo(200);
    }
  }

  @Test
  void waitsTheLatencyItWasGivenBeforeAnswering() throws IOException {
    apns.latency(Duration.ofMillis(300));
    long start = System.nanoTime();
    post(TOKEN, KEY.providerToken(Instant.now()), Map.of()).close();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  private static void assertRefused(Response response, int status, String reason)
      throws IOException {
    try (response) {
      assertThat(response.code()).isEqualTo(status);
      assertThat(response.body().string()).contains("\"reason\":\"" + reason + "\"");
    }
  }

  private static Response post(String token, String jwt, Map<String, String> headers)
      throws IOException {
    return post(token, jwt, headers, "{\"aps\":{\"alert\":{\"title\":\"Hi\"}}}");
  }

  private static Response post(String token, String jwt, Map<String, String> headers, String body)
      throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(apns.uri().resolve("/3/device/" + token).toString())
            .post(RequestBody.create(body, JSON))
            .header("apns-topic", TOPIC)
            .header("apns-push-type", "alert");
    if (jwt != null) request.header("authorization", "bearer " + jwt);
    headers.forEach(request::header);
    return http.newCall(request.build()).execute();
  }
}
