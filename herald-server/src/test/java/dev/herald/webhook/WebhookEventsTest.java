package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The SPEC's events reach subscribed endpoints from the outbox, each signed so that an independent
 * Standard Webhooks verifier accepts it; attempts are logged and a message can be replayed.
 */
class WebhookEventsTest {
  static TestServer server;
  static ApiClient api;
  static WebhookReceiver everything;
  static WebhookReceiver devicesOnly;
  static StandardWebhooksVerifier verifyEverything;
  static StandardWebhooksVerifier verifyDevices;
  static String everythingId;

  @BeforeAll
  static void start() {
    // Email to an address starting with "bounce" is rejected; any other is accepted.
    ChannelSenders senders =
        new ChannelSenders()
            .register(
                "email",
                "smtp",
                batch ->
                    batch.stream()
                        .map(
                            m ->
                                m.address().startsWith("bounce")
                                    ? (SendOutcome)
                                        new SendOutcome.Rejected("550 no such mailbox", false)
                                    : new SendOutcome.Accepted("smtp-" + m.deliveryId()))
                        .toList());
    server = TestServer.builder().senders(senders).start();
    api = server.api();
    everything = WebhookReceiver.start();
    devicesOnly = WebhookReceiver.start();
    JsonNode all =
        WebhookApiTest.create(api, Map.of("url", everything.url(), "events", List.of("*")));
    everythingId = all.get("id").asString();
    verifyEverything = new StandardWebhooksVerifier(all.get("secret").asString());
    JsonNode devices =
        WebhookApiTest.create(
            api,
            Map.of(
                "url",
                devicesOnly.url(),
                "events",
                List.of("device.registered", "device.unregistered")));
    verifyDevices = new StandardWebhooksVerifier(devices.get("secret").asString());
  }

  @AfterAll
  static void stop() {
    server.close();
    everything.close();
    devicesOnly.close();
  }

  @Test
  void deviceRegisteredAndUnregisteredArriveSigned() {
    String token = "ExponentPushToken[webhook-device-0001]";
    var r =
        api.post(
            "/v1/devices", Map.of("subscriber_id", "wh-dora", "provider", "expo", "token", token));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String deviceId = r.json().get("id").asString();
    assertThat(api.delete("/v1/devices/" + deviceId).status()).isEqualTo(204);

    for (WebhookReceiver receiver : List.of(everything, devicesOnly)) {
      StandardWebhooksVerifier verifier = receiver == everything ? verifyEverything : verifyDevices;
      JsonNode registered =
          awaitData(receiver, verifier, "device.registered", "device_id", deviceId);
      assertThat(registered.get("subscriber_id").asString()).isEqualTo("wh-dora");
      assertThat(registered.get("provider").asString()).isEqualTo("expo");
      JsonNode unregistered =
          awaitData(receiver, verifier, "device.unregistered", "device_id", deviceId);
      assertThat(unregistered.get("reason").asString()).isEqualTo("unregistered");
    }
  }

  @Test
  void notificationSentArrivesWithItsCounts() {
    String id = send(List.of("wh-sent-1"), List.of("in_app"));
    JsonNode data =
        awaitData(everything, verifyEverything, "notification.sent", "notification_id", id);
    assertThat(data.get("status").asString()).isEqualTo("sent");
    assertThat(data.get("counts").get("sent").asLong()).isEqualTo(1);
    assertThat(data.get("priority").asString()).isEqualTo("important");
    assertThat(data.get("finished_at").isNull()).isFalse();
  }

  @Test
  void aBouncedEmailIsDeliveryFailedAndNotificationFailed() {
    assertThat(api.put("/v1/subscribers/wh-bounce", Map.of("email", "bounce@example.com")).status())
        .isEqualTo(201);
    String id = send(List.of("wh-bounce"), List.of("email"));
    JsonNode failed =
        awaitData(everything, verifyEverything, "delivery.failed", "notification_id", id);
    assertThat(failed.get("subscriber_id").asString()).isEqualTo("wh-bounce");
    assertThat(failed.get("channel").asString()).isEqualTo("email");
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("reason").asString()).isEqualTo("550 no such mailbox");
    assertThat(failed.get("delivery_id").asString()).isNotBlank();
    JsonNode notification =
        awaitData(everything, verifyEverything, "notification.failed", "notification_id", id);
    assertThat(notification.get("counts").get("failed").asLong()).isEqualTo(1);
  }

  @Test
  void oneBounceAmongDeliveriesIsNotificationPartial() {
    assertThat(api.put("/v1/subscribers/wh-p-ok", Map.of("email", "ok@example.com")).status())
        .isEqualTo(201);
    assertThat(api.put("/v1/subscribers/wh-p-bad", Map.of("email", "bounce2@example.com")).status())
        .isEqualTo(201);
    String id = send(List.of("wh-p-ok", "wh-p-bad"), List.of("email"));
    JsonNode data =
        awaitData(everything, verifyEverything, "notification.partial", "notification_id", id);
    assertThat(data.get("counts").get("sent").asLong()).isEqualTo(1);
    assertThat(data.get("counts").get("failed").asLong()).isEqualTo(1);
    List<JsonNode> failures = dataOf(everything, "delivery.failed", "notification_id", id);
    assertThat(failures).hasSize(1);
    assertThat(failures.getFirst().get("subscriber_id").asString()).isEqualTo("wh-p-bad");
  }

  @Test
  void aClickReportedThroughTheEventsApiIsNotificationClicked() {
    String id = send(List.of("wh-click"), List.of("in_app"));
    String delivery =
        api.get("/v1/notifications/" + id + "/deliveries")
            .json()
            .get("data")
            .get(0)
            .get("id")
            .asString();
    var r = api.post("/v1/events", Map.of("type", "clicked", "delivery_id", delivery));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode clicked =
        awaitData(everything, verifyEverything, "notification.clicked", "notification_id", id);
    assertThat(clicked.get("delivery_id").asString()).isEqualTo(delivery);
    assertThat(clicked.get("subscriber_id").asString()).isEqualTo("wh-click");
    assertThat(clicked.get("channel").asString()).isEqualTo("in_app");
  }

  @Test
  void anEndpointReceivesOnlyTheTypesItSubscribedTo() {
    String id = send(List.of("wh-filter"), List.of("in_app"));
    awaitData(everything, verifyEverything, "notification.sent", "notification_id", id);
    Set<String> types =
        devicesOnly.received().stream()
            .map(WebhookReceiver.Received::type)
            .collect(Collectors.toSet());
    assertThat(types).isSubsetOf(Set.of("device.registered", "device.unregistered"));
  }

  @Test
  void everyRequestIsAStandardWebhookWithAStableId() {
    String id = send(List.of("wh-shape"), List.of("in_app"));
    awaitData(everything, verifyEverything, "notification.sent", "notification_id", id);
    for (WebhookReceiver.Received r : everything.received()) {
      assertThat(r.contentType()).startsWith("application/json");
      assertThat(r.id()).startsWith("msg_");
      assertThat(r.verifiedBy(verifyEverything, Instant.now())).as(r.body()).isTrue();
      assertThat(r.verifiedBy(verifyDevices, Instant.now()))
          .as("another endpoint's secret")
          .isFalse();
      JsonNode body = r.json();
      assertThat(body.propertyNames()).containsExactly("type", "timestamp", "data");
      assertThat(Instant.parse(body.get("timestamp").asString()))
          .isBefore(Instant.now().plusSeconds(1));
    }
  }

  @Test
  void attemptsAreLoggedAndAReplayResendsTheSameMessageFreshlySigned() {
    String id = send(List.of("wh-replay"), List.of("in_app"));
    awaitData(everything, verifyEverything, "notification.sent", "notification_id", id);
    WebhookReceiver.Received first =
        requestOf(everything, "notification.sent", "notification_id", id).getFirst();

    var attempts =
        api.get("/v1/webhooks/" + everythingId + "/attempts?message_id=" + first.id())
            .json()
            .get("data");
    assertThat(attempts).hasSize(1);
    JsonNode attempt = attempts.get(0);
    assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
    assertThat(attempt.get("trigger").asString()).isEqualTo("scheduled");
    assertThat(attempt.get("status").asString()).isEqualTo("succeeded");
    assertThat(attempt.get("response_status").asInt()).isEqualTo(204);
    assertThat(attempt.get("event_type").asString()).isEqualTo("notification.sent");
    assertThat(attempt.get("error").isNull()).isTrue();
    assertThat(attempt.get("duration_ms").asLong()).isNotNegative();

    var replay =
        api.post("/v1/webhooks/" + everythingId + "/messages/" + first.id() + "/replay", null);
    assertThat(replay.status()).as(replay.body()).isEqualTo(200);
    assertThat(replay.json().get("trigger").asString()).isEqualTo("replay");
    assertThat(replay.json().get("attempt").asInt()).isEqualTo(2);
    assertThat(replay.json().get("status").asString()).isEqualTo("succeeded");

    List<WebhookReceiver.Received> both =
        requestOf(everything, "notification.sent", "notification_id", id);
    assertThat(both).hasSize(2);
    WebhookReceiver.Received again = both.get(1);
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(Long.parseLong(again.timestamp()))
        .isGreaterThanOrEqualTo(Long.parseLong(first.timestamp()));
    assertThat(again.verifiedBy(verifyEverything, Instant.now())).isTrue();

    var log =
        api.get("/v1/webhooks/" + everythingId + "/attempts?message_id=" + first.id())
            .json()
            .get("data");
    assertThat(log).hasSize(2);
    assertThat(log.get(0).get("trigger").asString()).as("newest first").isEqualTo("replay");
    assertThat(
            api.get("/v1/webhooks/" + everythingId + "/attempts?status=failed").json().get("data"))
        .isEmpty();
  }

  private static String send(List<String> subscribers, List<String> channels) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of("to", Map.of("subscribers", subscribers), "channels", channels, "title", "Hi"));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  /**
   * Waits for an event whose data has {@code key} = {@code value}; checks every copy's signature.
   */
  private static JsonNode awaitData(
      WebhookReceiver receiver,
      StandardWebhooksVerifier verifier,
      String type,
      String key,
      String value) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !requestOf(receiver, type, key, value).isEmpty());
    for (WebhookReceiver.Received r : requestOf(receiver, type, key, value)) {
      assertThat(r.verifiedBy(verifier, Instant.now())).as("signature of " + r.body()).isTrue();
    }
    return requestOf(receiver, type, key, value).getFirst().json().get("data");
  }

  private static List<WebhookReceiver.Received> requestOf(
      WebhookReceiver receiver, String type, String key, String value) {
    return receiver.ofType(type).stream()
        .filter(r -> value.equals(r.json().get("data").path(key).asString(null)))
        .toList();
  }

  private static List<JsonNode> dataOf(
      WebhookReceiver receiver, String type, String key, String value) {
    return requestOf(receiver, type, key, value).stream().map(r -> r.json().get("data")).toList();
  }
}
