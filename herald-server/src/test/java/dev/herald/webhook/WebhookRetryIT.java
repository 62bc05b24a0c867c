package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.MutableClock;
import dev.herald.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A failing receiver: retries follow HERALD_RETRY_BACKOFF through the work queue, messages that use
 * every attempt disable the endpoint after HERALD_WEBHOOK_DISABLE_AFTER of them in a row (reason
 * visible), a 410 disables at once, Retry-After is honoured, and re-enabling plus a replay
 * delivers.
 */
class WebhookRetryIT {
  final WebhookReceiver receiver = WebhookReceiver.start();
  TestServer server;
  ApiClient api;
  Clock clock = Clock.systemUTC();
  String webhookId;
  StandardWebhooksVerifier verifier;
  int devices;

  @AfterEach
  void stop() {
    if (server != null) server.close();
    receiver.close();
  }

  private void start(String backoff, int disableAfter) {
    server =
        TestServer.builder()
            .clock(clock)
            .env("HERALD_RETRY_BACKOFF", backoff)
            .env("HERALD_WEBHOOK_DISABLE_AFTER", String.valueOf(disableAfter))
            .start();
    api = server.api();
    JsonNode created =
        WebhookApiTest.create(
            api, Map.of("url", receiver.url(), "events", List.of("device.registered")));
    webhookId = created.get("id").asString();
    verifier = new StandardWebhooksVerifier(created.get("secret").asString());
  }

  @Test
  void failedAttemptsAreRetriedOnTheBackoffScheduleAndTheMessageIsTheSameEachTime() {
    MutableClock time = new MutableClock();
    clock = time;
    List<Duration> backoff =
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
    receiver.answer(500);
    start("1s,5s,30s", 20);

    event();
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
    for (int i = 0; i < backoff.size(); i++) {
      int before = receiver.received().size();
      long earliest = Math.round(backoff.get(i).toMillis() * 0.8);
      long latest = Math.round(backoff.get(i).toMillis() * 1.2);
      // Not before the backoff (less its jitter) has passed on Herald's clock…
      time.advance(Duration.ofMillis(earliest - 1));
      server.herald().wakeWorkers();
      await()
          .during(Duration.ofMillis(400))
          .atMost(Duration.ofSeconds(2))
          .until(() -> receiver.received().size() == before);
      // …and once it has (plus the jitter), the retry comes.
      time.advance(Duration.ofMillis(latest - earliest + 1));
      server.herald().wakeWorkers();
      Instant due = time.instant();
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == before + 1);
      WebhookReceiver.Received retry = receiver.received().getLast();
      assertThat(retry.timestamp())
          .as("signed at the attempt's time")
          .isEqualTo(String.valueOf(due.getEpochSecond()));
      assertThat(retry.verifiedBy(verifier, time.instant())).isTrue();
    }
    List<WebhookReceiver.Received> calls = receiver.received();
    assertThat(calls).hasSize(1 + backoff.size());
    assertThat(calls).extracting(WebhookReceiver.Received::id).containsOnly(calls.getFirst().id());
    assertThat(calls)
        .extracting(WebhookReceiver.Received::body)
        .containsOnly(calls.getFirst().body());

    await().atMost(Duration.ofSeconds(5)).until(() -> attempts().size() == 1 + backoff.size());
    List<JsonNode> logged = attempts();
    for (int i = 0; i < logged.size(); i++) {
      JsonNode a = logged.get(i);
      assertThat(a.get("attempt").asInt()).isEqualTo(i + 1);
      assertThat(a.get("status").asString()).isEqualTo("failed");
      assertThat(a.get("response_status").asInt()).isEqualTo(500);
      assertThat(a.get("error").asString()).isEqualTo("HTTP 500");
      assertThat(a.get("response_body").asString()).isEqualTo("answered 500");
      if (i > 0) {
        long gap = millis(a) - millis(logged.get(i - 1));
        long step = backoff.get(i - 1).toMillis();
        assertThat(gap)
            .as("logged gap before attempt %d", i + 1)
            .isBetween(Math.round(step * 0.8), Math.round(step * 1.2));
      }
    }
    // Every attempt used: the message is a dead letter and counts towards disabling.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> webhook().get("consecutive_failures").asLong() == 1);
    JsonNode letter = api.get("/v1/dead-letters").json().get("data").get(0);
    assertThat(letter.get("kind").asString()).isEqualTo("webhook");
    assertThat(letter.get("last_error").asString()).isEqualTo("HTTP 500");
  }

  @Test
  void messagesFailingEveryAttemptDisableTheEndpointAndReplayWorksOnceReenabled() {
    receiver.answer(500);
    start("50ms,50ms", 2);
    int attemptsPerMessage = 3;

    event();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> webhook().get("consecutive_failures").asLong() == 1);
    assertThat(webhook().get("enabled").asBoolean())
        .as("one failed message is not enough")
        .isTrue();
    String messageId = receiver.received().getFirst().id();
    String firstBody = receiver.received().getFirst().body();

    event();
    await().atMost(Duration.ofSeconds(10)).until(() -> !webhook().get("enabled").asBoolean());
    JsonNode disabled = webhook();
    assertThat(receiver.received()).hasSize(2 * attemptsPerMessage);
    assertThat(disabled.get("disabled_reason").asString())
        .isEqualTo("2 messages in a row failed every attempt; the last: HTTP 500");
    assertThat(Instant.parse(disabled.get("disabled_at").asString()))
        .isBefore(Instant.now().plusSeconds(1));
    assertThat(disabled.get("consecutive_failures").asLong()).isEqualTo(2);
    assertThat(api.get("/v1/webhooks").json().get("data").get(0).get("disabled_reason").asString())
        .startsWith("2 messages in a row");

    // Disabled: nothing more is sent, and a replay is refused until it is enabled again.
    receiver.answer(204);
    event();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> receiver.received().size() == 2 * attemptsPerMessage);
    String replay = "/v1/webhooks/" + webhookId + "/messages/" + messageId + "/replay";
    var refused = api.post(replay, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("code").asString()).isEqualTo("conflict");

    var enabled = WebhookApiTest.patch(api, "/v1/webhooks/" + webhookId, Map.of("enabled", true));
    assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
    assertThat(enabled.json().get("consecutive_failures").asLong()).isZero();
    assertThat(enabled.json().get("disabled_reason").isNull()).isTrue();

    var replayed = api.post(replay, null);
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
    assertThat(replayed.json().get("attempt").asInt()).isEqualTo(attemptsPerMessage + 1);
    assertThat(replayed.json().get("trigger").asString()).isEqualTo("replay");
    assertThat(replayed.json().get("status").asString()).isEqualTo("succeeded");
    WebhookReceiver.Received resent = receiver.received().getLast();
    assertThat(resent.id()).isEqualTo(messageId);
    assertThat(resent.body()).isEqualTo(firstBody);
    assertThat(resent.verifiedBy(verifier, Instant.now())).isTrue();

    event();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> receiver.received().size() == 2 * attemptsPerMessage + 2);
    assertThat(receiver.received().getLast().id()).isNotEqualTo(messageId);
  }

  @Test
  void aSuccessEndsTheRunOfFailedMessages() {
    receiver.answer(500);
    start("50ms", 2);
    event();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> webhook().get("consecutive_failures").asLong() == 1);
    receiver.answer(200);
    event();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> webhook().get("consecutive_failures").asLong() == 0);
    assertThat(webhook().get("enabled").asBoolean()).isTrue();
  }

  @Test
  void a410GoneDisablesTheEndpointAtOnce() {
    receiver.answer(410);
    start("50ms,50ms", 20);
    event();
    await().atMost(Duration.ofSeconds(10)).until(() -> !webhook().get("enabled").asBoolean());
    assertThat(webhook().get("disabled_reason").asString())
        .isEqualTo("the endpoint answered 410 Gone");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> receiver.received().size() == 1);
    assertThat(attempts()).hasSize(1);
    assertThat(attempts().getFirst().get("response_status").asInt()).isEqualTo(410);
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsHonoured() {
    receiver.answer(429);
    receiver.retryAfter("2");
    start("100ms", 20);
    event();
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() >= 1);
    receiver.answer(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() >= 2);
    long gapMs =
        (receiver.received().get(1).nanos() - receiver.received().get(0).nanos()) / 1_000_000;
    assertThat(gapMs).isGreaterThanOrEqualTo(2000);
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts().size() == 2);
    assertThat(attempts().getLast().get("status").asString()).isEqualTo("succeeded");
  }

  /** Registers a new device: one device.registered event. */
  private void event() {
    String token = "ExponentPushToken[retry-" + (++devices) + "-" + System.nanoTime() + "]";
    var r = api.post("/v1/devices", Map.of("provider", "expo", "token", token));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private JsonNode webhook() {
    return api.get("/v1/webhooks/" + webhookId).json();
  }

  /** The endpoint's attempts, oldest first. */
  private List<JsonNode> attempts() {
    List<JsonNode> out = new ArrayList<>();
    api.get("/v1/webhooks/" + webhookId + "/attempts?limit=500")
        .json()
        .get("data")
        .forEach(out::add);
    return out.reversed();
  }

  private static long millis(JsonNode attempt) {
    return Instant.parse(attempt.get("created_at").asString()).toEpochMilli();
  }
}
