package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** APNs, FCM and SMTP have senders here; Expo and Web Push are left unconfigured. */
class DryRunTest {
  static final List<Message> sentMessages = new CopyOnWriteArrayList<>();
  static TestServer server;
  static SendApi herald;

  @BeforeAll
  static void start() {
    DeliverySender recording =
        batch -> {
          sentMessages.addAll(batch);
          return batch.stream().map(m -> (SendOutcome) new SendOutcome.Accepted(null)).toList();
        };
    server =
        TestServer.builder()
            .senders(
                new ChannelSenders()
                    .register("push", "apns", recording)
                    .register("push", "fcm", recording)
                    .register("email", "smtp", recording))
            .start();
    herald = new SendApi(server.api());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void dryRunCountsAudiencePerChannelAndProviderAndWhatWouldBeSkippedWithoutWriting() {
    // dry-1: APNs device and email address
    herald.subscriber("dry-1", Map.of("email", "one@example.com"));
    herald.device(
        """
        {"subscriber_id": "dry-1", "provider": "apns", "platform": "ios", "token": "%s"}
        """
            .formatted("ab".repeat(32)));
    // dry-2: Expo (unconfigured) and FCM devices, no email
    herald.subscriber("dry-2", "{}");
    herald.device(
        """
        {"subscriber_id": "dry-2", "token": "ExponentPushToken[dry2xxxxxxxxxxxxxxxxx]"}
        """);
    herald.device(
        """
        {"subscriber_id": "dry-2", "provider": "fcm", "token": "fcm-dry2:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ"}
        """);
    // dry-3: a Web Push subscription (unconfigured) and email
    herald.subscriber("dry-3", Map.of("email", "three@example.com"));
    herald.device(
        """
        {"subscriber_id": "dry-3", "provider": "webpush", "platform": "web",
         "subscription": {"endpoint": "https://push.example.net/send/dry3",
                          "keys": {"p256dh": "%s", "auth": "%s"}}}
        """
            .formatted(WebPushKeys.p256dh(), WebPushKeys.auth()));
    // dry-4: nothing; dry-5: email only
    herald.subscriber("dry-4", "{}");
    herald.subscriber("dry-5", Map.of("email", "five@example.com"));
    List<String> logBefore = herald.notificationIds("");

    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["dry-1", "dry-2", "dry-3", "dry-4", "dry-5"]},
                 "channels": ["push", "in_app", "email"], "title": "Preview me",
                 "body": "Only a rehearsal", "data": {"kind": "rehearsal"}, "dry_run": true}
                """);

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var body = r.json();
    assertThat(body.get("dry_run").asBoolean()).isTrue();
    assertThat(body.get("id")).isNull();
    var audience = body.get("audience");
    assertThat(audience.get("subscribers").asLong()).isEqualTo(5);
    var deliveries = audience.get("deliveries");
    assertThat(deliveries.get("in_app").asLong()).isEqualTo(5);
    assertThat(deliveries.get("email").asLong()).isEqualTo(3);
    assertThat(deliveries.get("sms").asLong()).isZero();
    assertThat(longs(deliveries.get("push")))
        .isEqualTo(Map.of("apns", 1L, "fcm", 1L, "expo", 0L, "webpush", 0L));
    assertThat(longs(body.get("skipped")))
        .isEqualTo(
            Map.of(
                "no_device", 2L,
                "provider_not_configured", 2L,
                "no_address", 2L,
                "preferences", 0L,
                "quiet_hours", 0L,
                "digested", 0L));
    var preview = body.get("preview");
    assertThat(preview.get("title").asString()).isEqualTo("Preview me");
    assertThat(preview.get("body").asString()).isEqualTo("Only a rehearsal");
    assertThat(preview.get("data").get("kind").asString()).isEqualTo("rehearsal");

    assertThat(herald.notificationIds("")).isEqualTo(logBefore);
    for (String s : List.of("dry-1", "dry-2", "dry-3", "dry-4", "dry-5"))
      assertThat(herald.inbox(s)).as(s).isEmpty();
    assertThat(sentMessages).isEmpty();
  }

  @Test
  void dryRunCountsADeviceSelectedTwiceOnce() {
    String device =
        herald.device(
            """
            {"subscriber_id": "dry-twice", "provider": "apns", "token": "%s"}
            """
                .formatted("cf".repeat(32)));

    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["dry-twice"], "devices": ["%s"],
                        "tokens": [{"provider": "apns", "token": "%s"}]},
                 "channels": ["push"], "title": "Once", "dry_run": true}
                """
                    .formatted(device, "cf".repeat(32)));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("audience").get("deliveries").get("push").get("apns").asLong())
        .isEqualTo(1);
    assertThat(longs(r.json().get("skipped")).values()).containsOnly(0L);
  }

  @Test
  void dryRunOfUnknownSubscribersCountsThemWithoutCreatingThem() {
    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["dry-ghost"]}, "channels": ["in_app", "push"],
                 "title": "Boo", "dry_run": true}
                """);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("audience").get("subscribers").asLong()).isEqualTo(1);
    assertThat(r.json().get("skipped").get("no_device").asLong()).isEqualTo(1);
    assertThat(herald.client().get("/v1/subscribers/dry-ghost").status()).isEqualTo(404);
  }

  private static Map<String, Long> longs(tools.jackson.databind.JsonNode object) {
    Map<String, Long> m = new java.util.HashMap<>();
    object.properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }
}
