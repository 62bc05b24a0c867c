package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import dev.herald.web.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SyncSendTest {
  static final List<Message> mailed = new CopyOnWriteArrayList<>();
  static TestServer server;
  static SendApi herald;

  @BeforeAll
  static void start() {
    DeliverySender smtp =
        batch -> {
          mailed.addAll(batch);
          return batch.stream()
              .map(m -> (SendOutcome) new SendOutcome.Accepted("smtp-" + m.deliveryId()))
              .toList();
        };
    server =
        TestServer.builder().senders(new ChannelSenders().register("email", "smtp", smtp)).start();
    herald = new SendApi(server.api());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void syncSendAnswersEachDeliveryOutcomeFromInsideTheRequest() {
    herald.subscriber("sync-mail", Map.of("email", "mail@example.com"));
    herald.subscriber("sync-nomail", "{}");

    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["sync-mail", "sync-nomail"]},
                 "channels": ["in_app", "email"], "title": "Right now", "sync": true}
                """);

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var body = r.json();
    assertThat(body.get("status").asString()).isEqualTo("sent");
    assertThat(body.get("deliveries").valueStream().map(SyncSendTest::outcome))
        .containsExactlyInAnyOrder(
            "sync-mail in_app sent",
            "sync-nomail in_app sent",
            "sync-mail email sent",
            "sync-nomail email skipped");
    String id = body.get("id").asString();
    JsonNode email =
        body.get("deliveries")
            .valueStream()
            .filter(d -> d.get("channel").asString().equals("email"))
            .filter(d -> d.get("status").asString().equals("sent"))
            .findFirst()
            .orElseThrow();
    assertThat(email.get("provider_message_id").asString())
        .isEqualTo("smtp-" + email.get("id").asString());
    assertThat(mailed.stream().filter(m -> m.notificationId().equals(id)))
        .singleElement()
        .satisfies(m -> assertThat(m.address()).isEqualTo("mail@example.com"));
    SendApi.assertCountsAddUp(herald.notification(id));
  }

  @Test
  void syncAcceptsAHundredRecipientsAndRefusesMore() {
    var hundred = syncSend(ids("sync-h", 100));
    assertThat(hundred.status()).as(hundred.toString()).isEqualTo(200);
    assertThat(hundred.json().get("deliveries")).hasSize(100);

    var tooMany = syncSend(ids("sync-m", 101));
    SendApi.assertProblemNaming(tooMany, 400, "sync");
    assertThat(herald.inbox("sync-m000")).isEmpty();

    herald.join("sync-crowd", ids("sync-t", 101));
    var viaTopic =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"topics": ["sync-crowd"]}, "channels": ["in_app"], "title": "t",
                 "sync": true}
                """);
    SendApi.assertProblemNaming(viaTopic, 400, "sync");
  }

  @Test
  void syncCannotBeADryRun() {
    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["sync-dry"]}, "title": "t", "sync": true,
                 "dry_run": true}
                """);
    SendApi.assertProblemNaming(r, 400, "sync");
  }

  private static ApiClient.Response syncSend(List<String> subscribers) {
    return herald
        .client()
        .post(
            "/v1/notifications",
            Json.write(
                Map.of(
                    "to",
                    Map.of("subscribers", subscribers),
                    "channels",
                    List.of("in_app"),
                    "title",
                    "crowd",
                    "sync",
                    true)));
  }

  private static List<String> ids(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "%03d".formatted(i)).toList();
  }

  private static String outcome(JsonNode d) {
    return d.get("subscriber_id").asString()
        + " "
        + d.get("channel").asString()
        + " "
        + d.get("status").asString();
  }
}
