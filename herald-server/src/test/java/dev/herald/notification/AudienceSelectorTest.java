package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every push provider has a recording sender here, so push deliveries are really sent. */
class AudienceSelectorTest {
  static final List<Message> pushed = new CopyOnWriteArrayList<>();
  static TestServer server;
  static SendApi herald;

  @BeforeAll
  static void start() {
    DeliverySender recording =
        batch -> {
          pushed.addAll(batch);
          return batch.stream()
              .map(m -> (SendOutcome) new SendOutcome.Accepted("msg-" + m.deliveryId()))
              .toList();
        };
    ChannelSenders senders = new ChannelSenders();
    for (String provider : List.of("apns", "fcm", "expo", "webpush"))
      senders.register("push", provider, recording);
    server = TestServer.builder().senders(senders).start();
    herald = new SendApi(server.api());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void unionOfExplicitTopicSegmentAndDeviceSelectorsReachesEachRecipientOnce() {
    herald.subscriber(
        "aud-both",
        """
        {"email": "both@example.com",
         "attributes": {"cohort": "union", "role": "admin", "level": 3, "beta": true}}
        """);
    String bothDevice = herald.device(apns("aud-both", "a1"));
    herald.subscriber(
        "aud-owner",
        """
        {"attributes": {"cohort": "union", "role": "owner", "level": 3, "beta": true}}
        """);
    // Each misses the segment by one attribute: the attributes are ANDed.
    herald.subscriber(
        "aud-guest",
        """
        {"attributes": {"cohort": "union", "role": "guest", "level": 3, "beta": true}}
        """);
    herald.subscriber(
        "aud-level4",
        """
        {"attributes": {"cohort": "union", "role": "admin", "level": 4, "beta": true}}
        """);
    herald.subscriber(
        "aud-no-beta",
        """
        {"attributes": {"cohort": "union", "role": "admin", "level": 3, "beta": false}}
        """);
    herald.join("aud-union", List.of("aud-both", "aud-topic"));

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["aud-both"], "topics": ["aud-union"], "devices": ["%s"],
                    "segment": {"attributes": {"cohort": "union", "role": ["admin", "owner"],
                                               "level": 3, "beta": true}}},
             "channels": ["in_app", "push", "email"], "title": "Town hall"}
            """
                .formatted(bothDevice));

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("progress").get("recipients_processed").asLong()).isEqualTo(3);
    assertThat(n.get("counts").get("total").asLong()).isEqualTo(9);
    SendApi.assertCountsAddUp(n);
    for (String reached : List.of("aud-both", "aud-topic", "aud-owner"))
      assertThat(herald.inbox(reached)).as(reached).hasSize(1);
    for (String missed : List.of("aud-guest", "aud-level4", "aud-no-beta"))
      assertThat(herald.inbox(missed)).as(missed).isEmpty();

    Map<String, Long> perRecipientChannel =
        herald.deliveries(id).stream()
            .collect(
                Collectors.groupingBy(
                    d -> text(d, "subscriber_id") + " " + text(d, "channel"),
                    Collectors.counting()));
    assertThat(perRecipientChannel)
        .containsOnlyKeys(
            "aud-both in_app",
            "aud-both push",
            "aud-both email",
            "aud-topic in_app",
            "aud-topic push",
            "aud-topic email",
            "aud-owner in_app",
            "aud-owner push",
            "aud-owner email")
        .allSatisfy((k, count) -> assertThat(count).as(k).isEqualTo(1));
    var bothPush =
        herald.deliveries(id).stream()
            .filter(d -> text(d, "subscriber_id").equals("aud-both"))
            .filter(d -> text(d, "channel").equals("push"))
            .findFirst()
            .orElseThrow();
    assertThat(text(bothPush, "device_id")).isEqualTo(bothDevice);
    assertThat(text(bothPush, "status")).isEqualTo("sent");
    assertThat(pushedFor(id)).hasSize(1);
  }

  @Test
  void allSelectsEverySubscriberOfTheAppAndNoOther() {
    var created = server.admin().post("/v1/apps", Map.of("name", "audience-all"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    SendApi other =
        new SendApi(
            new ApiClient(server.baseUrl()).withKey(created.json().get("secret_key").asString()));
    for (String s : List.of("all-a", "all-b", "all-c")) other.subscriber(s, "{}");
    herald.subscriber("all-outsider", "{}");

    String id =
        other.send(
            """
            {"to": {"all": true}, "channels": ["in_app"], "title": "Maintenance tonight"}
            """);

    var n = other.awaitStatus(id, "sent");
    assertThat(n.get("progress").get("recipients_processed").asLong()).isEqualTo(3);
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(3);
    for (String s : List.of("all-a", "all-b", "all-c")) assertThat(other.inbox(s)).hasSize(1);
    assertThat(herald.inbox("all-outsider")).isEmpty();
    assertThat(herald.client().get("/v1/notifications/" + id).status()).isEqualTo(404);
  }

  @Test
  void explicitDevicesAndRawTokensArePushedToDirectly() {
    String device = herald.device(apns("aud-dev-owner", "b2"));
    String expoToken = "ExponentPushToken[rawTokenAbcdefgh1234]";
    String fcmToken = "fcm-raw:APA91bGk2F0Gm1PhJqkX7gEw3zQ9YdRr";

    String id =
        herald.send(
            """
            {"to": {"devices": ["%s"],
                    "tokens": [{"provider": "expo", "token": "%s"}, {"token": "%s"}]},
             "title": "Direct"}
            """
                .formatted(device, expoToken, fcmToken));

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("channels").valueStream().map(JsonNode::asString)).containsExactly("push");
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(3);
    assertThat(
            herald.deliveries(id).stream()
                .map(
                    d ->
                        text(d, "provider")
                            + " "
                            + text(d, "subscriber_id")
                            + " "
                            + text(d, "device_id")))
        .containsExactlyInAnyOrder(
            "apns aud-dev-owner " + device, "expo null null", "fcm null null");
    assertThat(pushedFor(id).stream().map(m -> m.provider() + " " + m.address()))
        .containsExactlyInAnyOrder(
            "apns " + "b2".repeat(32), "expo " + expoToken, "fcm " + fcmToken);
    assertThat(herald.inbox("aud-dev-owner")).isEmpty();
  }

  @Test
  void deviceNamedExplicitlyAndThroughItsSubscriberIsOneDelivery() {
    String device = herald.device(apns("aud-twice", "f6"));
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["aud-twice"], "devices": ["%s"]}, "channels": ["push"],
             "title": "Just once"}
            """
                .formatted(device));

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("counts").get("total").asLong()).isEqualTo(1);
    SendApi.assertCountsAddUp(n);
    assertThat(herald.deliveries(id).stream().map(AudienceSelectorTest::pushOutcome))
        .containsExactly("aud-twice " + device + " sent");
    assertThat(pushedFor(id)).hasSize(1);
  }

  @Test
  void rawTokenOfARegisteredDeviceIsThatDevice() {
    String device = herald.device(apns("aud-raw", "d4"));
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["aud-raw"], "tokens": [{"provider": "apns", "token": "%s"}]},
             "channels": ["push"], "title": "Once"}
            """
                .formatted("d4".repeat(32)));

    herald.awaitStatus(id, "sent");
    assertThat(herald.deliveries(id).stream().map(AudienceSelectorTest::pushOutcome))
        .containsExactly("aud-raw " + device + " sent");
    assertThat(pushedFor(id)).hasSize(1);
  }

  @Test
  void rawTokenOfAnUnregisteredDeviceIsNotSentTo() {
    String device = herald.device(apns("aud-gone", "e5"));
    assertThat(herald.client().delete("/v1/devices/" + device).status()).isEqualTo(204);

    String id =
        herald.send(
            """
            {"to": {"tokens": [{"provider": "apns", "token": "%s"}]}, "title": "Anyone there?"}
            """
                .formatted("e5".repeat(32)));

    herald.awaitStatus(id, "sent");
    assertThat(herald.deliveries(id).stream().map(AudienceSelectorTest::pushOutcome))
        .containsExactly("aud-gone " + device + " skipped device_inactive");
    assertThat(pushedFor(id)).isEmpty();
  }

  @Test
  void platformFilterKeepsOnlyDevicesOfThosePlatforms() {
    String ios = herald.device(apns("aud-plat", "c3"));
    String android =
        herald.device(
            """
            {"subscriber_id": "aud-plat", "provider": "fcm", "platform": "android",
             "token": "fcm-plat:APA91bPlatformAndroidToken"}
            """);
    herald.device(
        """
        {"subscriber_id": "aud-plat", "provider": "webpush", "platform": "web",
         "subscription": {"endpoint": "https://push.example.net/send/aud-plat",
                          "keys": {"p256dh": "%s", "auth": "%s"}}}
        """
            .formatted(WebPushKeys.p256dh(), WebPushKeys.auth()));
    herald.device(
        """
        {"subscriber_id": "aud-plat-droid", "provider": "fcm", "platform": "android",
         "token": "fcm-plat:APA91bOnlyAndroidHere"}
        """);

    String bySubscriber =
        herald.send(
            """
            {"to": {"subscribers": ["aud-plat", "aud-plat-droid"]}, "channels": ["push"],
             "platforms": ["ios"], "title": "iOS only"}
            """);
    herald.awaitStatus(bySubscriber, "sent");
    assertThat(herald.deliveries(bySubscriber).stream().map(AudienceSelectorTest::pushOutcome))
        .containsExactlyInAnyOrder(
            "aud-plat " + ios + " sent", "aud-plat-droid null skipped no_device");

    String byDevice =
        herald.send(
            """
            {"to": {"devices": ["%s", "%s"]}, "platforms": ["ios"], "title": "iOS only"}
            """
                .formatted(ios, android));
    herald.awaitStatus(byDevice, "sent");
    assertThat(herald.deliveries(byDevice).stream().map(AudienceSelectorTest::pushOutcome))
        .containsExactly("aud-plat " + ios + " sent");
    assertThat(pushedFor(byDevice)).extracting(Message::deviceId).containsExactly(ios);
  }

  @Test
  void unknownDeviceIsRejectedNamingToDevices() {
    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"devices": ["no-such-device"]}, "title": "Nobody"}
                """);
    SendApi.assertProblemNaming(r, 400, "to.devices");
    assertThat(r.json().get("code").asString()).isEqualTo("invalid_request");
  }

  private static String apns(String subscriber, String hexPair) {
    return """
    {"subscriber_id": "%s", "provider": "apns", "platform": "ios", "token": "%s"}
    """
        .formatted(subscriber, hexPair.repeat(32));
  }

  private static List<Message> pushedFor(String notificationId) {
    return pushed.stream().filter(m -> m.notificationId().equals(notificationId)).toList();
  }

  private static String pushOutcome(JsonNode d) {
    String s = text(d, "subscriber_id") + " " + text(d, "device_id") + " " + text(d, "status");
    return d.get("reason").isNull() ? s : s + " " + text(d, "reason");
  }

  private static String text(JsonNode n, String field) {
    return n.get(field).isNull() ? "null" : n.get(field).asString();
  }
}
