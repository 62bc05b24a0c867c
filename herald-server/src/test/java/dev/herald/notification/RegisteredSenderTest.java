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
import tools.jackson.databind.JsonNode;

/** Email goes through a recording SMTP sender that refuses addresses starting with "bounce". */
class RegisteredSenderTest {
  static final String BOUNCE = "550 5.1.1 mailbox unavailable";
  static final List<Message> mailed = new CopyOnWriteArrayList<>();
  static TestServer server;
  static SendApi herald;

  @BeforeAll
  static void start() {
    DeliverySender smtp =
        batch -> {
          mailed.addAll(batch);
          return batch.stream()
              .map(
                  m ->
                      m.address().startsWith("bounce")
                          ? (SendOutcome) new SendOutcome.Rejected(BOUNCE, false)
                          : new SendOutcome.Accepted("<" + m.deliveryId() + "@mail.test>"))
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
  void acceptedEmailIsSentWithTheProviderMessageId() {
    herald.subscriber("mail-ok", Map.of("email", "ok@example.com"));
    herald.subscriber("mail-none", "{}");

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["mail-ok", "mail-none"]}, "channels": ["email"],
             "title": "Your receipt", "body": "Thanks for your order"}
            """);

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(1);
    assertThat(n.get("counts").get("skipped").asLong()).isEqualTo(1);
    SendApi.assertCountsAddUp(n);
    JsonNode sent = only(herald.deliveries(id, "sent"));
    assertThat(sent.get("subscriber_id").asString()).isEqualTo("mail-ok");
    assertThat(sent.get("provider").asString()).isEqualTo("smtp");
    assertThat(sent.get("attempts").asInt()).isEqualTo(1);
    assertThat(sent.get("provider_message_id").asString())
        .isEqualTo("<" + sent.get("id").asString() + "@mail.test>");
    JsonNode skipped = only(herald.deliveries(id, "skipped"));
    assertThat(skipped.get("subscriber_id").asString()).isEqualTo("mail-none");
    assertThat(skipped.get("reason").asString()).isEqualTo("no_address");

    assertThat(mailedFor(id))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.address()).isEqualTo("ok@example.com");
              assertThat(m.channel()).isEqualTo("email");
              assertThat(m.content().title()).isEqualTo("Your receipt");
              assertThat(m.content().body()).isEqualTo("Thanks for your order");
            });
  }

  @Test
  void rejectedEmailFailsTheDeliveryWithTheReasonAndTheNotification() {
    herald.subscriber("mail-bounce", Map.of("email", "bounce@example.com"));

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["mail-bounce"]}, "channels": ["email"], "title": "Hello"}
            """);

    var n = herald.awaitStatus(id, "failed");
    assertThat(n.get("counts").get("failed").asLong()).isEqualTo(1);
    SendApi.assertCountsAddUp(n);
    JsonNode failed = only(herald.deliveries(id, "failed"));
    assertThat(failed.get("subscriber_id").asString()).isEqualTo("mail-bounce");
    assertThat(failed.get("reason").asString()).isEqualTo(BOUNCE);
    assertThat(failed.get("attempts").asInt()).isEqualTo(1);
    assertThat(mailedFor(id)).hasSize(1);
  }

  @Test
  void oneRejectionAmongAcceptedDeliveriesMakesTheNotificationPartial() {
    herald.subscriber("mail-fine", Map.of("email", "fine@example.com"));
    herald.subscriber("mail-bounce2", Map.of("email", "bounce2@example.com"));

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["mail-fine", "mail-bounce2"]}, "channels": ["email"],
             "title": "Half of it"}
            """);

    var n = herald.awaitStatus(id, "partial");
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(1);
    assertThat(n.get("counts").get("failed").asLong()).isEqualTo(1);
    SendApi.assertCountsAddUp(n);
    assertThat(only(herald.deliveries(id, "failed")).get("subscriber_id").asString())
        .isEqualTo("mail-bounce2");
    assertThat(only(herald.deliveries(id, "sent")).get("subscriber_id").asString())
        .isEqualTo("mail-fine");
  }

  @Test
  void inAppSucceedingBesideARejectedEmailIsPartial() {
    herald.subscriber("mail-bounce3", Map.of("email", "bounce3@example.com"));

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["mail-bounce3"]}, "channels": ["in_app", "email"],
             "title": "Both ways"}
            """);

    var n = herald.awaitStatus(id, "partial");
    assertThat(herald.inbox("mail-bounce3")).hasSize(1);
    assertThat(only(herald.deliveries(id, "failed")).get("channel").asString()).isEqualTo("email");
    SendApi.assertCountsAddUp(n);
  }

  private static JsonNode only(List<JsonNode> list) {
    assertThat(list).hasSize(1);
    return list.getFirst();
  }

  private static List<Message> mailedFor(String notificationId) {
    return mailed.stream().filter(m -> m.notificationId().equals(notificationId)).toList();
  }
}
