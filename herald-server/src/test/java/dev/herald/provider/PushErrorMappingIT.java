package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.MockCertificates;
import dev.herald.testing.TestServer;
import dev.herald.testkit.apns.ApnsMock;
import dev.herald.testkit.apns.ApnsTeamKey;
import dev.herald.testkit.expo.ExpoError;
import dev.herald.testkit.expo.ExpoMock;
import dev.herald.testkit.fcm.FcmFault;
import dev.herald.testkit.fcm.FcmMock;
import dev.herald.testkit.webpush.MockAnswer;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import dev.herald.web.Json;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * One row per line of each provider's error table, through Herald: the provider answers, and the
 * delivery's status and the device's state follow the table (token invalid → failed and
 * deactivated; rejected → failed, device kept; transient → retried, here until dead-lettered;
 * refused credentials → dead-lettered, device kept).
 */
class PushErrorMappingIT {
  static final ApnsTeamKey TEAM = ApnsTeamKey.generate("ABCDE12345", "KEY1234567");
  static final AtomicInteger SEQ = new AtomicInteger();
  static ApnsMock apns;
  static FcmMock fcm;
  static MockPushService webPush;
  static ExpoMock expo;
  static TestServer server;
  static ApiClient api;
  static String vapid;

  /** Sets up the failure for a fresh token and answers the device registration body. */
  interface Row extends BiFunction<String, String, Map<String, Object>> {}

  @BeforeAll
  static void start() throws Exception {
    apns = ApnsMock.builder().acceptKey(TEAM).topic("com.example.app").start();
    fcm = FcmMock.start();
    fcm.retryAfter(
        Duration.ofSeconds(1)); // QUOTA_EXCEEDED's Retry-After is honoured: keep the row short
    webPush = MockPushService.start();
    expo = ExpoMock.start();
    var ca =
        MockCertificates.pemFile(
            Files.createTempDirectory("herald-ca"),
            apns.uri(),
            fcm.endpoint(),
            URI.create(webPush.origin()),
            expo.endpoint());
    server =
        TestServer.builder()
            .env("HERALD_PROVIDER_CA_FILE", ca.toString())
            .env("HERALD_RETRY_BACKOFF", "50ms,50ms")
            .start();
    api = server.api();
    api.put(
        "/v1/providers/apns",
        Map.of(
            "team_id",
            TEAM.teamId(),
            "key_id",
            TEAM.keyId(),
            "signing_key",
            TEAM.privateKeyPem(),
            "topic",
            "com.example.app",
            "endpoint",
            apns.uri().toString()));
    api.put(
        "/v1/providers/fcm",
        Map.of(
            "service_account",
            Json.map(fcm.mintServiceAccount("p").json()),
            "endpoint",
            fcm.endpoint().toString()));
    api.put("/v1/providers/expo", Map.of("endpoint", expo.endpoint().toString()));
    vapid = api.get("/v1/providers/webpush/public-key").json().get("public_key").asString();
  }

  @AfterAll
  static void stop() {
    server.close();
    apns.close();
    fcm.close();
    webPush.close();
    expo.close();
  }

  static Arguments row(String name, String delivery, boolean active, Row setup) {
    return Arguments.of(name, delivery, active, setup);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "apns 400 BadDeviceToken",
            "failed",
            false,
            (t, s) -> {
              apns.rejectToken(t, "BadDeviceToken");
              return apnsDevice(t);
            }),
        row(
            "apns 410 Unregistered",
            "failed",
            false,
            (t, s) -> {
              apns.unregisterToken(t, java.time.Instant.now());
              return apnsDevice(t);
            }),
        row(
            "apns 400 PayloadTooLarge",
            "failed",
            true,
            (t, s) -> {
              apns.rejectToken(t, "PayloadTooLarge");
              return apnsDevice(t);
            }),
        row(
            "apns 429 then accepted",
            "sent",
            true,
            (t, s) -> {
              apns.failNext(1, 429, "TooManyRequests");
              return apnsDevice(t);
            }),
        row(
            "apns 503 then accepted",
            "sent",
            true,
            (t, s) -> {
              apns.failNext(1, 503, "ServiceUnavailable");
              return apnsDevice(t);
            }),
        row(
            "apns 403 InvalidProviderToken",
            "dead",
            true,
            (t, s) -> {
              apns.failNext(1, 403, "InvalidProviderToken");
              return apnsDevice(t);
            }),
        row("fcm UNREGISTERED", "failed", false, (t, s) -> fcmDevice(t, FcmFault.UNREGISTERED)),
        row(
            "fcm SENDER_ID_MISMATCH",
            "failed",
            false,
            (t, s) -> fcmDevice(t, FcmFault.SENDER_ID_MISMATCH)),
        row(
            "fcm INVALID_ARGUMENT",
            "failed",
            true,
            (t, s) -> fcmDevice(t, FcmFault.INVALID_ARGUMENT)),
        row("fcm QUOTA_EXCEEDED", "dead", true, (t, s) -> fcmDevice(t, FcmFault.QUOTA_EXCEEDED)),
        row("fcm UNAVAILABLE", "dead", true, (t, s) -> fcmDevice(t, FcmFault.UNAVAILABLE)),
        row("fcm INTERNAL", "dead", true, (t, s) -> fcmDevice(t, FcmFault.INTERNAL)),
        row("webpush 404", "failed", false, (t, s) -> webPushDevice(MockAnswer.notFound())),
        row("webpush 410", "failed", false, (t, s) -> webPushDevice(MockAnswer.gone())),
        row("webpush 413", "failed", true, (t, s) -> webPushDevice(MockAnswer.payloadTooLarge())),
        row("webpush 429", "dead", true, (t, s) -> webPushDevice(MockAnswer.tooManyRequests("1"))),
        row("webpush 500", "dead", true, (t, s) -> webPushDevice(MockAnswer.status(500))),
        row(
            "expo DeviceNotRegistered",
            "failed",
            false,
            (t, s) -> {
              String e = expoToken(t);
              expo.failTicket(e, ExpoError.DEVICE_NOT_REGISTERED);
              return Map.of("token", e);
            }),
        row(
            "expo MessageTooBig",
            "failed",
            true,
            (t, s) -> {
              String e = expoToken(t);
              expo.failTicket(e, ExpoError.MESSAGE_TOO_BIG);
              return Map.of("token", e);
            }),
        row(
            "expo InvalidCredentials",
            "dead",
            true,
            (t, s) -> {
              String e = expoToken(t);
              expo.failTicket(e, ExpoError.INVALID_CREDENTIALS);
              return Map.of("token", e);
            }),
        row(
            "expo MessageRateExceeded",
            "dead",
            true,
            (t, s) -> {
              String e = expoToken(t);
              expo.failTicket(e, ExpoError.MESSAGE_RATE_EXCEEDED);
              return Map.of("token", e);
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theDeliveryAndTheDeviceFollowTheProvidersAnswer(
      String name, String deliveryStatus, boolean stillActive, Row setup) {
    int n = SEQ.incrementAndGet();
    String subscriber = "row-" + n;
    String token = String.format("%064x", n);
    Map<String, Object> body = new HashMap<>(setup.apply(token, subscriber));
    body.put("subscriber_id", subscriber);
    var reg = api.post("/v1/devices", body);
    assertThat(reg.status()).as(reg.body()).isEqualTo(201);
    String deviceId = reg.json().get("id").asString();
    var sent =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscriber)),
                "channels",
                List.of("push"),
                "title",
                name));
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    String id = sent.json().get("id").asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode d =
                  api.get("/v1/notifications/" + id + "/deliveries").json().get("data").get(0);
              assertThat(d.get("status").asString()).as(d.toString()).isEqualTo(deliveryStatus);
            });
    JsonNode device =
        api.get("/v1/subscribers/" + subscriber + "/devices").json().get("data").get(0);
    assertThat(device.get("id").asString()).isEqualTo(deviceId);
    assertThat(device.get("active").asBoolean()).as(device.toString()).isEqualTo(stillActive);
  }

  static Map<String, Object> apnsDevice(String token) {
    return Map.of("provider", "apns", "token", token);
  }

  static Map<String, Object> fcmDevice(String token, FcmFault fault) {
    String fcmToken = "fcm-" + token + "-" + "q".repeat(80);
    fcm.fail(fcmToken, fault);
    return Map.of("provider", "fcm", "token", fcmToken);
  }

  static String expoToken(String token) {
    return "ExponentPushToken[" + token.substring(40) + "]";
  }

  static Map<String, Object> webPushDevice(MockAnswer answer) {
    MockSubscription s = webPush.subscribe(vapid);
    webPush.answer(s, answer);
    return Map.of("provider", "webpush", "subscription", Json.map(s.toJson()));
  }
}
