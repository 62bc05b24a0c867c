package dev.herald.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.MutableClock;
import dev.herald.testing.TestServer;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DeviceRegistrationTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final MutableClock clock = new MutableClock();
  static TestServer server;
  static ApiClient api;
  static ApiClient publishable;

  @BeforeAll
  static void start() {
    // Production posture: Web Push endpoints must be https.
    server =
        TestServer.builder().clock(clock).env("HERALD_ALLOW_PRIVATE_ENDPOINTS", "false").start();
    api = server.api();
    publishable = server.anonymous().withKey(TestServer.PUBLISHABLE_KEY);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void apnsTokenRegisters() {
    String token = apnsToken();

    var r =
        api.post(
            "/v1/devices",
            Map.of(
                "subscriber_id", "ios-user",
                "provider", "apns",
                "token", token,
                "platform", "ios",
                "device_info", Map.of("model", "iPhone16,2")));

    assertThat(r.status()).isEqualTo(201);
    JsonNode d = r.json();
    assertThat(d.get("id").asString()).isNotBlank();
    assertThat(d.get("subscriber_id").asString()).isEqualTo("ios-user");
    assertThat(d.get("provider").asString()).isEqualTo("apns");
    assertThat(d.get("platform").asString()).isEqualTo("ios");
    assertThat(d.get("token").asString()).isEqualTo(token);
    assertThat(d.get("active").asBoolean()).isTrue();
    assertThat(d.get("deactivated_at").isNull()).isTrue();
    assertThat(d.get("deactivated_reason").isNull()).isTrue();
    assertThat(d.get("last_seen_at").asString()).isEqualTo(clock.instant().toString());
    assertThat(d.get("created_at").asString()).isEqualTo(clock.instant().toString());
    assertThat(d.get("device_info").get("model").asString()).isEqualTo("iPhone16,2");
    assertThat(deviceIds("ios-user")).containsExactly(d.get("id").asString());
  }

  @Test
  void fcmTokenRegisters() {
    var r =
        api.post(
            "/v1/devices", Map.of("provider", "fcm", "token", fcmToken(), "platform", "android"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("provider").asString()).isEqualTo("fcm");
    assertThat(r.json().get("platform").asString()).isEqualTo("android");
    assertThat(r.json().get("subscriber_id").isNull()).isTrue();
  }

  @Test
  void expoTokenRegisters() {
    var r = api.post("/v1/devices", Map.of("provider", "expo", "token", expoToken()));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("provider").asString()).isEqualTo("expo");
  }

  @Test
  void webPushSubscriptionRegisters() throws Exception {
    String endpoint = "https://fcm.googleapis.com/fcm/send/" + HexFormat.of().formatHex(random(12));

    var r =
        api.post(
            "/v1/devices",
            Map.of(
                "subscriber_id", "web-user",
                "provider", "webpush",
                "platform", "web",
                "subscription", subscription(endpoint, p256dh(), auth(16))));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("provider").asString()).isEqualTo("webpush");
    assertThat(r.json().get("platform").asString()).isEqualTo("web");
    assertThat(r.json().get("subscription").get("endpoint").asString()).isEqualTo(endpoint);
    // The subscription's keys are secrets of the browser: never echoed.
    assertThat(r.body()).doesNotContain("p256dh").doesNotContain("auth\"");
  }

  @Test
  void registeringAgainRefreshesRelinksAndKeepsTheId() {
    String token = apnsToken();
    var first = api.post("/v1/devices", Map.of("subscriber_id", "old-owner", "token", token));
    assertThat(first.status()).isEqualTo(201);
    String id = first.json().get("id").asString();
    String createdAt = first.json().get("created_at").asString();
    clock.advance(Duration.ofMinutes(5));

    var again = api.post("/v1/devices", Map.of("subscriber_id", "new-owner", "token", token));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asString()).isEqualTo(id);
    assertThat(again.json().get("subscriber_id").asString()).isEqualTo("new-owner");
    assertThat(again.json().get("created_at").asString()).isEqualTo(createdAt);
    assertThat(Instant.parse(again.json().get("last_seen_at").asString()))
        .isEqualTo(clock.instant())
        .isAfter(Instant.parse(createdAt));
    assertThat(deviceIds("old-owner")).isEmpty();
    assertThat(deviceIds("new-owner")).containsExactly(id);
  }

  @Test
  void unregisteredDeviceIsReactivatedByRegisteringAgain() throws Exception {
    String endpoint = "https://updates.push.services.mozilla.com/wpush/v2/" + fcmToken();
    Map<String, Object> body =
        Map.of(
            "subscriber_id",
            "returning",
            "subscription",
            subscription(endpoint, p256dh(), auth(16)));
    String id = api.post("/v1/devices", body).json().get("id").asString();

    var deleted = api.delete("/v1/devices/" + id);

    assertThat(deleted.status()).isEqualTo(204);
    JsonNode gone = device("returning", id);
    assertThat(gone.get("active").asBoolean()).isFalse();
    assertThat(gone.get("deactivated_reason").asString()).isEqualTo("unregistered");
    assertThat(gone.get("deactivated_at").asString()).isEqualTo(clock.instant().toString());
    clock.advance(Duration.ofSeconds(30));

    var back = api.post("/v1/devices", body);

    assertThat(back.status()).isEqualTo(200);
    assertThat(back.json().get("id").asString()).isEqualTo(id);
    assertThat(back.json().get("active").asBoolean()).isTrue();
    assertThat(back.json().get("deactivated_at").isNull()).isTrue();
    assertThat(back.json().get("deactivated_reason").isNull()).isTrue();
    assertThat(device("returning", id).get("active").asBoolean()).isTrue();
  }

  @Test
  void unregisteringAnUnknownDeviceIsNotFound() {
    assertThat(api.delete("/v1/devices/no-such-device").status()).isEqualTo(404);
  }

  @Test
  void providerIsInferredFromTheTokenShape() throws Exception {
    assertThat(
            api.post("/v1/devices", Map.of("token", apnsToken())).json().get("provider").asString())
        .isEqualTo("apns");
    assertThat(
            api.post("/v1/devices", Map.of("token", expoToken())).json().get("provider").asString())
        .isEqualTo("expo");
    assertThat(
            api.post(
                    "/v1/devices",
                    Map.of("token", "ExpoPushToken[" + fcmToken().substring(0, 20) + "]"))
                .json()
                .get("provider")
                .asString())
        .isEqualTo("expo");
    assertThat(
            api.post("/v1/devices", Map.of("token", fcmToken())).json().get("provider").asString())
        .isEqualTo("fcm");
    var web =
        api.post(
            "/v1/devices",
            Map.of(
                "subscription",
                subscription("https://push.example.com/" + fcmToken(), p256dh(), auth(16))));
    assertThat(web.status()).isEqualTo(201);
    assertThat(web.json().get("provider").asString()).isEqualTo("webpush");
    assertThat(web.json().get("platform").asString()).isEqualTo("web");
  }

  @Test
  void tokenThatTellsNoProviderNeedsOne() {
    var r = api.post("/v1/devices", Map.of("token", "short!"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(fields(r)).contains("provider");
  }

  @Test
  void invalidTokensAreRefusedNamingTheField() throws Exception {
    assertThat(fields(api.post("/v1/devices", Map.of("provider", "apns", "token", "abcd1234"))))
        .containsExactly("token");
    assertThat(
            fields(api.post("/v1/devices", Map.of("provider", "apns", "token", "zz".repeat(32)))))
        .containsExactly("token");
    assertThat(
            fields(
                api.post(
                    "/v1/devices", Map.of("provider", "expo", "token", "ExponentPushToken[]"))))
        .containsExactly("token");
    assertThat(
            fields(
                api.post(
                    "/v1/devices", Map.of("provider", "expo", "token", "PushToken[abcdefgh]"))))
        .containsExactly("token");
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of("provider", "fcm", "token", "has spaces in it, too short"))))
        .containsExactly("token");
    assertThat(fields(api.post("/v1/devices", Map.of("provider", "fcm")))).containsExactly("token");
    assertThat(fields(api.post("/v1/devices", Map.of("provider", "pigeon", "token", fcmToken()))))
        .containsExactly("provider");
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of("provider", "apns", "token", apnsToken(), "platform", "toaster"))))
        .containsExactly("platform");
  }

  @Test
  void invalidWebPushSubscriptionsAreRefusedNamingTheField() throws Exception {
    String https = "https://push.example.com/sub/" + fcmToken();
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of(
                        "provider",
                        "webpush",
                        "subscription",
                        subscription("http://push.example.com/sub/1", p256dh(), auth(16))))))
        .containsExactly("subscription.endpoint");
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of("subscription", subscription("not a url", p256dh(), auth(16))))))
        .containsExactly("subscription.endpoint");
    String p256dh64 = b64(java.util.Arrays.copyOf(Base64.getUrlDecoder().decode(p256dh()), 64));
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of("subscription", subscription(https, p256dh64, auth(16))))))
        .containsExactly("subscription.keys.p256dh");
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of("subscription", subscription(https, p256dh(), auth(15))))))
        .containsExactly("subscription.keys.auth");
    assertThat(
            fields(
                api.post(
                    "/v1/devices",
                    Map.of(
                        "provider",
                        "webpush",
                        "token",
                        "abc",
                        "subscription",
                        subscription(https, p256dh(), auth(16))))))
        .containsExactly("token");
    assertThat(fields(api.post("/v1/devices", Map.of("provider", "webpush"))))
        .containsExactly("subscription");
    // All three at once.
    assertThat(
            fields(
                api.post(
                    "/v1/devices", Map.of("subscription", subscription("ftp://x", "AAAA", "%%%")))))
        .containsExactlyInAnyOrder(
            "subscription.endpoint", "subscription.keys.p256dh", "subscription.keys.auth");
  }

  @Test
  void publishableKeyAloneRegistersOnlyAnonymousDevices() {
    String token = expoToken();

    var linked = publishable.post("/v1/devices", Map.of("subscriber_id", "victim", "token", token));

    assertThat(linked.status()).isEqualTo(403);
    assertThat(linked.json().get("code").asString()).isEqualTo("forbidden");
    assertThat(deviceIds("victim")).isEmpty();

    var anonymous = publishable.post("/v1/devices", Map.of("token", token));

    assertThat(anonymous.status()).isEqualTo(201);
    assertThat(anonymous.json().get("subscriber_id").isNull()).isTrue();
    // Listing and unregistering stay secret-key routes.
    assertThat(publishable.get("/v1/subscribers/victim/devices").status()).isEqualTo(403);
    assertThat(publishable.delete("/v1/devices/" + anonymous.json().get("id").asString()).status())
        .isEqualTo(403);
  }

  @Test
  void subscriberTokenRegistersForItsOwnSubscriberOnly() {
    api.put("/v1/subscribers/owner", Map.of());
    String token = api.post("/v1/subscribers/owner/token", null).json().get("token").asString();
    ApiClient client =
        server.anonymous().withKey(token).withHeader("X-Herald-Key", TestServer.PUBLISHABLE_KEY);

    var own = client.post("/v1/devices", Map.of("token", apnsToken()));
    var explicit =
        client.post("/v1/devices", Map.of("subscriber_id", "owner", "token", apnsToken()));
    var other =
        client.post("/v1/devices", Map.of("subscriber_id", "someone-else", "token", apnsToken()));

    assertThat(own.status()).isEqualTo(201);
    assertThat(own.json().get("subscriber_id").asString()).isEqualTo("owner");
    assertThat(explicit.status()).isEqualTo(201);
    assertThat(explicit.json().get("subscriber_id").asString()).isEqualTo("owner");
    assertThat(other.status()).isIn(400, 403);
    assertThat(other.contentType()).startsWith("application/problem+json");
    assertThat(deviceIds("someone-else")).isEmpty();
    assertThat(deviceIds("owner")).hasSize(2);
  }

  private static List<String> fields(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    List<String> out = new ArrayList<>();
    r.json().get("errors").forEach(e -> out.add(e.get("field").asString()));
    return out;
  }

  private static List<String> deviceIds(String subscriber) {
    var r = api.get("/v1/subscribers/" + subscriber + "/devices");
    assertThat(r.status()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.json().get("data").forEach(d -> out.add(d.get("id").asString()));
    return out;
  }

  private static JsonNode device(String subscriber, String id) {
    for (JsonNode d : api.get("/v1/subscribers/" + subscriber + "/devices").json().get("data")) {
      if (d.get("id").asString().equals(id)) return d;
    }
    throw new AssertionError("device " + id + " not listed for " + subscriber);
  }

  static Map<String, Object> subscription(String endpoint, String p256dh, String auth) {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("p256dh", p256dh);
    keys.put("auth", auth);
    return Map.of("endpoint", endpoint, "keys", keys);
  }

  /** A browser's subscription key: an uncompressed P-256 point, 0x04 || x || y. */
  static String p256dh() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey key = (ECPublicKey) g.generateKeyPair().getPublic();
    byte[] point = new byte[65];
    point[0] = 0x04;
    copy32(key.getW().getAffineX(), point, 1);
    copy32(key.getW().getAffineY(), point, 33);
    return b64(point);
  }

  private static void copy32(BigInteger n, byte[] into, int at) {
    byte[] raw = n.toByteArray();
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, into, at + 32 - len, len);
  }

  static String auth(int bytes) {
    return b64(random(bytes));
  }

  static String apnsToken() {
    return HexFormat.of().formatHex(random(32));
  }

  static String expoToken() {
    return "ExponentPushToken[" + b64(random(16)).replace("-", "a").replace("_", "b") + "]";
  }

  static String fcmToken() {
    return b64(random(30)).replace("-", "a").replace("_", "b")
        + ":APA91b"
        + b64(random(60)).replace("-", "c").replace("_", "d");
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
