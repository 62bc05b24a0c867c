package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.MockCertificates;
import dev.herald.testing.TestServer;
import dev.herald.testkit.apns.ApnsMock;
import dev.herald.testkit.apns.ApnsMockRequest;
import dev.herald.testkit.apns.ApnsTeamKey;
import dev.herald.testkit.expo.ExpoError;
import dev.herald.testkit.expo.ExpoMock;
import dev.herald.testkit.expo.ExpoSendRequest;
import dev.herald.testkit.fcm.FcmFault;
import dev.herald.testkit.fcm.FcmMock;
import dev.herald.testkit.webpush.MockAnswer;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import dev.herald.web.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each push provider end to end through Herald's API against its loopback mock: register a device,
 * send, the mock receives a correct request, the delivery is sent; a token the provider reports
 * gone is deactivated with the reason.
 */
class PushDeliveryIT {
  static final ApnsTeamKey TEAM = ApnsTeamKey.generate("ABCDE12345", "KEY1234567");
  static ApnsMock apns;
  static FcmMock fcm;
  static MockPushService webPush;
  static ExpoMock expo;
  static TestServer server;
  static ApiClient api;
  static Path caDir;

  @BeforeAll
  static void start() throws Exception {
    apns = ApnsMock.builder().acceptKey(TEAM).topic("com.example.app").start();
    fcm = FcmMock.start();
    webPush = MockPushService.start();
    expo = ExpoMock.start();
    caDir = Files.createTempDirectory("herald-ca");
    Path ca =
        MockCertificates.pemFile(
            caDir, apns.uri(), fcm.endpoint(), URI.create(webPush.origin()), expo.endpoint());
    server =
        TestServer.builder()
            .env("HERALD_PROVIDER_CA_FILE", ca.toString())
            .env("HERALD_RECEIPT_DELAY", "1s")
            .start();
    api = server.api();
    var putApns =
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
                "environment",
                "sandbox",
                "endpoint",
                apns.uri().toString()));
    assertThat(putApns.status()).as(putApns.body()).isEqualTo(200);
    var account = fcm.mintServiceAccount("herald-test");
    var putFcm =
        api.put(
            "/v1/providers/fcm",
            Map.of(
                "service_account",
                Json.map(account.json()),
                "endpoint",
                fcm.endpoint().toString()));
    assertThat(putFcm.status()).as(putFcm.body()).isEqualTo(200);
    var putExpo =
        api.put(
            "/v1/providers/expo",
            Map.of("access_token", "expo-secret", "endpoint", expo.endpoint().toString()));
    assertThat(putExpo.status()).as(putExpo.body()).isEqualTo(200);
    expo.requireAccessToken("expo-secret");
  }

  @AfterAll
  static void stop() {
    server.close();
    apns.close();
    fcm.close();
    webPush.close();
    expo.close();
  }

  @Test
  void expoBatchesAtMostOneHundredAndReceiptsMarkDeliveredOrDeactivate() {
    List<String> devices = new java.util.ArrayList<>();
    String goneToken = "ExponentPushToken[gone-" + "g".repeat(20) + "]";
    for (int i = 0; i < 150; i++) {
      String token =
          i == 0
              ? goneToken
              : "ExponentPushToken[expo-" + String.format("%04d", i) + "-" + "z".repeat(16) + "]";
      devices.add(register("expo-user", Map.of("token", token)));
    }
    expo.failReceipt(goneToken, ExpoError.DEVICE_NOT_REGISTERED);
    String id = send("expo-user", "important", Map.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode c = api.get("/v1/notifications/" + id).json().get("counts");
              assertThat(c.get("delivered").asLong()).isEqualTo(149);
              assertThat(c.get("failed").asLong()).isEqualTo(1);
            });
    assertThat(api.get("/v1/notifications/" + id).json().get("status").asString())
        .isEqualTo("partial");
    assertThat(expo.sendRequests())
        .allSatisfy(r -> assertThat(r.messages()).isLessThanOrEqualTo(100));
    assertThat(expo.sendRequests().stream().mapToInt(ExpoSendRequest::messages).sum())
        .isEqualTo(150);
    assertThat(expo.sendRequests())
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer expo-secret"));
    JsonNode gone = device("expo-user", devices.getFirst());
    assertThat(gone.get("active").asBoolean()).isFalse();
    assertThat(gone.get("deactivated_reason").asString()).contains("DeviceNotRegistered");
    assertThat(device("expo-user", devices.get(1)).get("active").asBoolean()).isTrue();
  }

  @Test
  void apnsReceivesACorrectRequestWithAReusedProviderToken() {
    String token = "a1".repeat(32);
    register("ios-user", Map.of("provider", "apns", "token", token, "platform", "ios"));
    String first = send("ios-user", "critical", Map.of("collapse_key", "score"));
    String second = send("ios-user", "bulk", Map.of());
    awaitSent(first);
    awaitSent(second);
    List<ApnsMockRequest> requests =
        apns.requests().stream().filter(r -> r.deviceToken().equals(token)).toList();
    assertThat(requests).hasSize(2);
    ApnsMockRequest critical =
        requests.stream()
            .filter(r -> "10".equals(r.header("apns-priority")))
            .findFirst()
            .orElseThrow();
    assertThat(critical.header("apns-topic")).isEqualTo("com.example.app");
    assertThat(critical.header("apns-push-type")).isEqualTo("alert");
    assertThat(critical.header("apns-collapse-id")).isEqualTo("score");
    assertThat(critical.header("apns-id")).isNotBlank();
    assertThat(requests).anySatisfy(r -> assertThat(r.header("apns-priority")).isEqualTo("5"));
    assertThat(requests.get(0).jwt()).isEqualTo(requests.get(1).jwt());
    @SuppressWarnings("unchecked")
    Map<String, Object> alert =
        (Map<String, Object>) ((Map<String, Object>) critical.payload().get("aps")).get("alert");
    assertThat(alert).containsEntry("title", "Hello");
    JsonNode delivery =
        api.get("/v1/notifications/" + first + "/deliveries").json().get("data").get(0);
    assertThat(delivery.get("provider").asString()).isEqualTo("apns");
    assertThat(delivery.get("provider_message_id").asString()).isNotBlank();
  }

  @Test
  void anApnsTokenReportedUnregisteredIsDeactivated() {
    String token = "b2".repeat(32);
    String device =
        register("gone-ios", Map.of("provider", "apns", "token", token, "platform", "ios"));
    apns.unregisterToken(token, Instant.now());
    awaitFinished(send("gone-ios", "important", Map.of()));
    JsonNode d = device("gone-ios", device);
    assertThat(d.get("active").asBoolean()).isFalse();
    assertThat(d.get("deactivated_reason").asString()).isEqualTo("Unregistered");
  }

  @Test
  void fcmGetsItsBearerFromTheTokenEndpointOnceForManySends() {
    String token = "fcm-token-" + "x".repeat(140);
    register("android-user", Map.of("provider", "fcm", "token", token, "platform", "android"));
    for (int i = 0; i < 3; i++) awaitSent(send("android-user", "important", Map.of()));
    assertThat(fcm.messages().stream().filter(m -> m.token().equals(token))).hasSize(3);
    assertThat(fcm.tokenRequests()).isEqualTo(1);
    var message =
        fcm.messages().stream().filter(m -> m.token().equals(token)).findFirst().orElseThrow();
    assertThat(message.field("notification.title")).isEqualTo("Hello");
  }

  @Test
  void anFcmTokenReportedUnregisteredIsDeactivated() {
    String token = "fcm-gone-" + "y".repeat(140);
    String device =
        register("gone-android", Map.of("provider", "fcm", "token", token, "platform", "android"));
    fcm.fail(token, FcmFault.UNREGISTERED);
    awaitFinished(send("gone-android", "important", Map.of()));
    assertThat(device("gone-android", device).get("active").asBoolean()).isFalse();
  }

  @Test
  void aWebPushMessageArrivesEncryptedUnderTheAppsVapidKey() {
    String vapid =
        new ApiClient(server.baseUrl())
            .withKey(TestServer.PUBLISHABLE_KEY)
            .get("/v1/providers/webpush/public-key")
            .json()
            .get("public_key")
            .asString();
    MockSubscription subscription = webPush.subscribe(vapid);
    register(
        "browser-user",
        Map.of(
            "provider",
            "webpush",
            "platform",
            "web",
            "subscription",
            Json.map(subscription.toJson())));
    awaitSent(send("browser-user", "important", Map.of("collapse_key", "news")));
    var received = webPush.received(subscription);
    assertThat(received).hasSize(1);
    JsonNode payload = Json.tree(received.getFirst().payloadText());
    assertThat(payload.get("title").asString()).isEqualTo("Hello");
    assertThat(received.getFirst().urgency()).isEqualTo("normal");
    assertThat(received.getFirst().ttl()).isEqualTo("86400");
    assertThat(received.getFirst().topic()).isNotBlank();
  }

  @Test
  void aWebPushSubscriptionThatIsGoneIsDeactivated() {
    String vapid =
        new ApiClient(server.baseUrl())
            .withKey(TestServer.PUBLISHABLE_KEY)
            .get("/v1/providers/webpush/public-key")
            .json()
            .get("public_key")
            .asString();
    MockSubscription subscription = webPush.subscribe(vapid);
    String device =
        register(
            "gone-browser",
            Map.of(
                "provider",
                "webpush",
                "platform",
                "web",
                "subscription",
                Json.map(subscription.toJson())));
    webPush.answer(subscription, MockAnswer.gone());
    awaitFinished(send("gone-browser", "important", Map.of()));
    assertThat(device("gone-browser", device).get("active").asBoolean()).isFalse();
  }

  private static String register(String subscriber, Map<String, Object> body) {
    Map<String, Object> b = new java.util.HashMap<>(body);
    b.put("subscriber_id", subscriber);
    var r = api.post("/v1/devices", b);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private static String send(String subscriber, String priority, Map<String, Object> extra) {
    Map<String, Object> body = new java.util.HashMap<>(extra);
    body.put("to", Map.of("subscribers", List.of(subscriber)));
    body.put("channels", List.of("push"));
    body.put("priority", priority);
    body.put("title", "Hello");
    body.put("body", "From Herald");
    var r = api.post("/v1/notifications", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private static void awaitSent(String id) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode n = api.get("/v1/notifications/" + id).json();
              assertThat(n.get("status").asString()).as(n.toString()).isEqualTo("sent");
              assertThat(n.get("counts").get("sent").asLong()).isEqualTo(1);
            });
  }

  private static void awaitFinished(String id) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                List.of("sent", "partial", "failed")
                    .contains(api.get("/v1/notifications/" + id).json().get("status").asString()));
  }

  private static JsonNode device(String subscriber, String id) {
    for (JsonNode d :
        api.get("/v1/subscribers/" + subscriber + "/devices?limit=500").json().get("data")) {
      if (d.get("id").asString().equals(id)) return d;
    }
    throw new AssertionError("no device " + id);
  }
}
