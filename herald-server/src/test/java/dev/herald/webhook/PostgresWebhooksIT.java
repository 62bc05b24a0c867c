package dev.herald.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL database: both relays race for the same outbox, yet every event
 * reaches the endpoint once; an event recorded on a node without workers is relayed by the other.
 */
class PostgresWebhooksIT {

  @Test
  void eventsRecordedOnEitherNodeArriveExactlyOnce() {
    try (TestDatabase db = TestDatabase.postgres();
        WebhookReceiver receiver = WebhookReceiver.start();
        TestServer a = db.server().start();
        TestServer b = db.server().start()) {
      JsonNode hook =
          WebhookApiTest.create(
              a.api(), Map.of("url", receiver.url(), "events", List.of("device.registered")));
      var verifier = new StandardWebhooksVerifier(hook.get("secret").asString());
      int events = 60;
      for (int i = 0; i < events; i++) {
        ApiClient node = i % 2 == 0 ? a.api() : b.api();
        var r =
            node.post(
                "/v1/devices",
                Map.of("provider", "expo", "token", "ExponentPushToken[pg-node-" + i + "]"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= events);
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> receiver.received().size() == events);
      Map<String, Long> perMessage =
          receiver.received().stream()
              .collect(Collectors.groupingBy(WebhookReceiver.Received::id, Collectors.counting()));
      assertThat(perMessage).hasSize(events);
      assertThat(perMessage.values()).containsOnly(1L);
      assertThat(receiver.received()).allMatch(r -> r.verifiedBy(verifier, Instant.now()));
      JsonNode attempts =
          b.api()
              .get("/v1/webhooks/" + hook.get("id").asString() + "/attempts?limit=500")
              .json()
              .get("data");
      assertThat(attempts).hasSize(events);
    }
  }

  @Test
  void aWorkerNodeRelaysEventsAnApiNodeRecorded() {
    try (TestDatabase db = TestDatabase.postgres();
        WebhookReceiver receiver = WebhookReceiver.start();
        TestServer api = db.server().env("HERALD_ROLE", "api").start();
        TestServer worker = db.server().env("HERALD_ROLE", "worker").start()) {
      WebhookApiTest.create(api.api(), Map.of("url", receiver.url(), "events", List.of("*")));
      var r =
          api.api()
              .post(
                  "/v1/devices",
                  Map.of("provider", "expo", "token", "ExponentPushToken[pg-api-node]"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      // The API node has no relay; the worker's sweep finds the event within its interval.
      await()
          .atMost(Duration.ofMillis(OutboxRelay.SWEEP_MILLIS + 5_000))
          .until(() -> receiver.received().size() == 1);
      assertThat(receiver.received().getFirst().type()).isEqualTo("device.registered");
    }
  }
}
