package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.Receipt;
import dev.herald.delivery.ReceiptChecker;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A provider that accepts a message and reports it failed later (like Expo's receipts): the
 * notification, sent at first, settles again as failed, and both events and the delivery's failure
 * reach the endpoint in order.
 */
class LateReceiptEventsTest {
  /** Accepts every message; its receipts say each one failed. */
  static final class BouncingLater implements DeliverySender {
    @Override
    public List<SendOutcome> send(List<Message> batch) {
      return batch.stream()
          .<SendOutcome>map(m -> new SendOutcome.Accepted("id-" + m.deliveryId()))
          .toList();
    }

    @Override
    public Optional<ReceiptChecker> receipts() {
      return Optional.of(
          ids ->
              ids.stream()
                  .collect(Collectors.toMap(id -> id, id -> new Receipt.Failed("mailbox full"))));
    }
  }

  @Test
  void aLateFailureSettlesTheNotificationAgainAndIsSentAsEvents() {
    try (WebhookReceiver receiver = WebhookReceiver.start();
        TestServer server =
            TestServer.builder()
                .env("HERALD_RECEIPT_DELAY", "100ms")
                .senders(new ChannelSenders().register("email", "smtp", new BouncingLater()))
                .start()) {
      ApiClient api = server.api();
      var hook =
          WebhookApiTest.create(
              api,
              Map.of(
                  "url",
                  receiver.url(),
                  "events",
                  List.of("notification.sent", "notification.failed", "delivery.failed")));
      var verifier = new StandardWebhooksVerifier(hook.get("secret").asString());
      assertThat(api.put("/v1/subscribers/late", Map.of("email", "late@example.com")).status())
          .isEqualTo(201);
      var sent =
          api.post(
              "/v1/notifications",
              Map.of(
                  "to",
                  Map.of("subscribers", List.of("late")),
                  "channels",
                  List.of("email"),
                  "title",
                  "Hi"));
      assertThat(sent.status()).as(sent.body()).isEqualTo(202);

      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() == 3);
      List<String> types =
          receiver.received().stream().map(WebhookReceiver.Received::type).toList();
      // Webhook calls run concurrently and may arrive in any order; the events' own times say
      // that the notification was first sent and only then failed.
      assertThat(eventTime(receiver, "notification.sent"))
          .isBeforeOrEqualTo(eventTime(receiver, "notification.failed"));
      assertThat(types)
          .containsExactlyInAnyOrder("notification.sent", "delivery.failed", "notification.failed");
      var failure = receiver.ofType("delivery.failed").getFirst().json().get("data");
      assertThat(failure.get("reason").asString()).isEqualTo("mailbox full");
      assertThat(failure.get("status").asString()).isEqualTo("failed");
      var settled = receiver.ofType("notification.failed").getFirst().json().get("data");
      assertThat(settled.get("counts").get("failed").asLong()).isEqualTo(1);
      assertThat(settled.get("counts").get("sent").asLong()).isZero();
      assertThat(receiver.received()).allMatch(r -> r.verifiedBy(verifier, Instant.now()));
    }
  }

  private static Instant eventTime(WebhookReceiver receiver, String type) {
    return Instant.parse(receiver.ofType(type).getFirst().json().get("timestamp").asString());
  }
}
