package dev.herald.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A channel that fails on purpose: retries follow HERALD_RETRY_BACKOFF, the last failure becomes a
 * dead letter, and re-driving it delivers once the channel works again.
 */
class RetryAndDeadLetterIT {
  static final List<Duration> BACKOFF =
      List.of(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofMillis(1200));

  /** A sender whose behaviour the test switches, recording when each attempt happened. */
  static final class ScriptedSender implements DeliverySender {
    final List<Long> attempts = new CopyOnWriteArrayList<>();
    final AtomicReference<SendOutcome> answer =
        new AtomicReference<>(new SendOutcome.Retry("451 try later", null));

    @Override
    public List<SendOutcome> send(List<Message> batch) {
      attempts.add(System.nanoTime());
      return batch.stream().map(m -> answer.get()).toList();
    }
  }

  final ScriptedSender sender = new ScriptedSender();
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private ApiClient start() {
    server =
        TestServer.builder()
            .env("HERALD_RETRY_BACKOFF", "300ms,600ms,1200ms")
            .senders(new ChannelSenders().register("email", "smtp", sender))
            .start();
    ApiClient api = server.api();
    assertThat(api.put("/v1/subscribers/dora", Map.of("email", "dora@example.com")).status())
        .isEqualTo(201);
    return api;
  }

  private static String sendEmail(ApiClient api) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("dora")),
                "channels",
                List.of("email"),
                "title",
                "Hello"));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  @Test
  void retriesFollowTheBackoffThenDeadLetterThenRedriveDelivers() {
    ApiClient api = start();
    String id = sendEmail(api);

    await().atMost(Duration.ofSeconds(15)).until(() -> status(api, id).equals("failed"));
    assertThat(sender.attempts).hasSize(1 + BACKOFF.size());
    for (int i = 0; i < BACKOFF.size(); i++) {
      long gapMs = (sender.attempts.get(i + 1) - sender.attempts.get(i)) / 1_000_000;
      long step = BACKOFF.get(i).toMillis();
      assertThat(gapMs)
          .as("gap before attempt %d", i + 2)
          .isBetween((long) (step * 0.8) - 20, (long) (step * 1.2) + 700);
    }
    JsonNode delivery =
        api.get("/v1/notifications/" + id + "/deliveries").json().get("data").get(0);
    assertThat(delivery.get("status").asString()).isEqualTo("dead");
    assertThat(delivery.get("reason").asString()).isEqualTo("451 try later");
    assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
    JsonNode counts = api.get("/v1/notifications/" + id).json().get("counts");
    assertThat(counts.get("failed").asLong()).isEqualTo(1);
    assertThat(counts.get("pending").asLong()).isZero();

    JsonNode letters = api.get("/v1/dead-letters").json().get("data");
    assertThat(letters).hasSize(1);
    JsonNode letter = letters.get(0);
    assertThat(letter.get("notification_id").asString()).isEqualTo(id);
    assertThat(letter.get("attempts").asInt()).isEqualTo(4);
    assertThat(letter.get("last_error").asString()).isEqualTo("451 try later");
    assertThat(api.get("/v1/stats").json().get("queue").get("important").get("failed").asLong())
        .isEqualTo(1);

    sender.answer.set(new SendOutcome.Accepted("msg-42"));
    var redrive = api.post("/v1/dead-letters/" + letter.get("id").asString() + "/retry", "{}");
    assertThat(redrive.status()).as(redrive.body()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(10)).until(() -> status(api, id).equals("sent"));
    JsonNode after = api.get("/v1/notifications/" + id + "/deliveries").json().get("data").get(0);
    assertThat(after.get("status").asString()).isEqualTo("sent");
    assertThat(after.get("provider_message_id").asString()).isEqualTo("msg-42");
    JsonNode finalCounts = api.get("/v1/notifications/" + id).json().get("counts");
    assertThat(finalCounts.get("sent").asLong()).isEqualTo(1);
    assertThat(finalCounts.get("failed").asLong()).isZero();
    assertThat(api.get("/v1/dead-letters").json().get("data")).isEmpty();
    assertThat(
            api.post("/v1/dead-letters/" + letter.get("id").asString() + "/retry", "{}").status())
        .isEqualTo(404);
  }

  @Test
  void aProvidersRetryAfterWinsWhenLongerThanTheBackoff() {
    sender.answer.set(new SendOutcome.Retry("429 slow down", Duration.ofMillis(1500)));
    ApiClient api = start();
    sendEmail(api);
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.attempts.size() >= 2);
    long gapMs = (sender.attempts.get(1) - sender.attempts.get(0)) / 1_000_000;
    assertThat(gapMs).isGreaterThanOrEqualTo(1500);
  }

  @Test
  void aRejectedDeliveryIsNeverRetried() {
    sender.answer.set(new SendOutcome.Rejected("550 no such mailbox", false));
    ApiClient api = start();
    String id = sendEmail(api);
    await().atMost(Duration.ofSeconds(10)).until(() -> status(api, id).equals("failed"));
    JsonNode delivery =
        api.get("/v1/notifications/" + id + "/deliveries").json().get("data").get(0);
    assertThat(delivery.get("status").asString()).isEqualTo("failed");
    assertThat(delivery.get("reason").asString()).isEqualTo("550 no such mailbox");
    assertThat(sender.attempts).hasSize(1);
    assertThat(api.get("/v1/dead-letters").json().get("data")).isEmpty();
  }

  @Test
  void refusedProviderCredentialsDeadLetterTheBatchAtOnceWithTheReason() {
    sender.answer.set(new SendOutcome.Misconfigured("InvalidProviderToken"));
    ApiClient api = start();
    String id = sendEmail(api);
    await().atMost(Duration.ofSeconds(10)).until(() -> status(api, id).equals("failed"));
    assertThat(sender.attempts).hasSize(1);
    JsonNode letter = api.get("/v1/dead-letters").json().get("data").get(0);
    assertThat(letter.get("last_error").asString())
        .isEqualTo("provider misconfigured: InvalidProviderToken");
    JsonNode delivery =
        api.get("/v1/notifications/" + id + "/deliveries").json().get("data").get(0);
    assertThat(delivery.get("status").asString()).isEqualTo("dead");

    sender.answer.set(new SendOutcome.Accepted("fixed"));
    assertThat(
            api.post("/v1/dead-letters/" + letter.get("id").asString() + "/retry", "{}").status())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> status(api, id).equals("sent"));
  }

  private static String status(ApiClient api, String id) {
    return api.get("/v1/notifications/" + id).json().get("status").asString();
  }
}
