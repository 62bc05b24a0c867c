package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InAppSendTest {
  static TestServer server;
  static ApiClient api;
  static SendApi herald;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
    herald = new SendApi(api);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void inAppItemIsReadableWhenThePostReturnsAndTheNotificationEndsSent() {
    assertThat(api.put("/v1/subscribers/alice", Map.of("email", "alice@example.com")).status())
        .isEqualTo(201);

    var accepted =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("alice")),
                "channels",
                List.of("in_app"),
                "title",
                "Approved",
                "body",
                "Your event was approved"));
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().get("id").asString();

    var inbox = api.get("/v1/inbox?subscriber_id=alice");
    assertThat(inbox.status()).isEqualTo(200);
    assertThat(inbox.json().get("data")).hasSize(1);
    assertThat(inbox.json().get("data").get(0).get("notification_id").asString()).isEqualTo(id);
    assertThat(inbox.json().get("data").get(0).get("title").asString()).isEqualTo("Approved");
    assertThat(api.get("/v1/inbox/count?subscriber_id=alice").json().get("unread").asLong())
        .isEqualTo(1);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var n = api.get("/v1/notifications/" + id).json();
              assertThat(n.get("status").asString()).isEqualTo("sent");
              assertThat(n.get("counts").get("total").asLong()).isEqualTo(1);
              assertThat(n.get("counts").get("sent").asLong()).isEqualTo(1);
              assertThat(n.get("counts").get("pending").asLong()).isZero();
            });
  }

  @Test
  void deliveriesListEachRecipientsOutcomePerChannelAndFilterByStatus() {
    herald.subscriber("carol", Map.of("email", "carol@example.com"));
    herald.subscriber("dave", "{}");

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["carol", "dave"]}, "channels": ["in_app", "push", "email"],
             "title": "Weekly digest"}
            """);
    assertThat(herald.inbox("carol")).singleElement().satisfies(i -> assertNotification(i, id));
    assertThat(herald.inbox("dave")).singleElement().satisfies(i -> assertNotification(i, id));

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("counts").get("total").asLong()).isEqualTo(6);
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(2);
    assertThat(n.get("counts").get("skipped").asLong()).isEqualTo(4);
    assertThat(n.get("counts").get("pending").asLong()).isZero();
    assertThat(n.get("counts").get("failed").asLong()).isZero();
    SendApi.assertCountsAddUp(n);

    assertThat(herald.deliveries(id).stream().map(InAppSendTest::outcome))
        .containsExactlyInAnyOrder(
            "carol in_app sent null",
            "dave in_app sent null",
            "carol push skipped no_device",
            "dave push skipped no_device",
            "carol email skipped provider_not_configured",
            "dave email skipped no_address");
    assertThat(herald.deliveries(id, "sent").stream().map(InAppSendTest::outcome))
        .containsExactlyInAnyOrder("carol in_app sent null", "dave in_app sent null");
    assertThat(herald.deliveries(id, "skipped"))
        .hasSize(4)
        .allSatisfy(d -> assertThat(d.get("status").asString()).isEqualTo("skipped"));
    assertThat(herald.deliveries(id, "failed")).isEmpty();
    assertThat(herald.deliveries(id))
        .allSatisfy(d -> assertThat(d.get("notification_id").asString()).isEqualTo(id));

    SendApi.assertProblemNaming(
        api.get("/v1/notifications/" + id + "/deliveries?status=lost"), 400, "status");
  }

  private static void assertNotification(JsonNode item, String notificationId) {
    assertThat(item.get("notification_id").asString()).isEqualTo(notificationId);
    assertThat(item.get("title").asString()).isEqualTo("Weekly digest");
    assertThat(item.get("read_at").isNull()).isTrue();
  }

  private static String outcome(JsonNode d) {
    return d.get("subscriber_id").asString()
        + " "
        + d.get("channel").asString()
        + " "
        + d.get("status").asString()
        + " "
        + (d.get("reason").isNull() ? "null" : d.get("reason").asString());
  }
}
