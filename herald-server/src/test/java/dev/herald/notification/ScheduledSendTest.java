package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScheduledSendTest {
  static TestServer server;
  static SendApi herald;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    herald = new SendApi(server.api());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void scheduledSendDeliversNothingBeforeItsTimeAndIsSentAfter() {
    Instant sendAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
    var r = herald.client().post("/v1/notifications", inApp("sched-early", sendAt, "Doors open"));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    assertThat(r.json().get("status").asString()).isEqualTo("scheduled");
    assertThat(r.json().get("send_at").asString()).isEqualTo(sendAt.toString());
    String id = r.json().get("id").asString();
    assertThat(herald.inbox("sched-early")).isEmpty();
    assertThat(herald.notification(id).get("status").asString()).isEqualTo("scheduled");

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(herald.inbox("sched-early")).hasSize(1));
    var item = herald.inbox("sched-early").getFirst();
    assertThat(item.get("notification_id").asString()).isEqualTo(id);
    assertThat(Instant.parse(item.get("created_at").asString())).isAfterOrEqualTo(sendAt);

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(1);
    SendApi.assertCountsAddUp(n);
  }

  @Test
  void canceledScheduledSendNeverDelivers() {
    Instant sendAt = Instant.now().plusMillis(1_500);
    // Due at the same time: once this one arrives, the canceled one had its chance too.
    String kept = herald.send(inApp("sched-kept", sendAt, "Still on"));
    String canceled = herald.send(inApp("sched-dropped", sendAt, "Called off"));

    var r = herald.client().post("/v1/notifications/" + canceled + "/cancel", "{}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("status").asString()).isEqualTo("canceled");

    herald.awaitStatus(kept, "sent");
    assertThat(herald.inbox("sched-kept")).hasSize(1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              assertThat(herald.inbox("sched-dropped")).isEmpty();
              assertThat(herald.notification(canceled).get("status").asString())
                  .isEqualTo("canceled");
            });
    assertThat(herald.deliveries(canceled)).isEmpty();
  }

  @Test
  void cancelingAFinishedNotificationIsAConflict() {
    String id = herald.send(inApp("sched-done", null, "Already out"));
    herald.awaitStatus(id, "sent");

    var r = herald.client().post("/v1/notifications/" + id + "/cancel", "{}");
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo("conflict");
    assertThat(herald.notification(id).get("status").asString()).isEqualTo("sent");
    assertThat(herald.inbox("sched-done")).hasSize(1);
  }

  @Test
  void cancelingTwiceIsAConflictAndUnknownIdsAreNotFound() {
    String id = herald.send(inApp("sched-twice", Instant.now().plusSeconds(600), "Later"));
    assertThat(herald.client().post("/v1/notifications/" + id + "/cancel", "{}").status())
        .isEqualTo(200);

    var again = herald.client().post("/v1/notifications/" + id + "/cancel", "{}");
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.json().get("code").asString()).isEqualTo("conflict");
    var unknown = herald.client().post("/v1/notifications/nope/cancel", "{}");
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
  }

  private static String inApp(String subscriber, Instant sendAt, String title) {
    return """
    {"to": {"subscribers": ["%s"]}, "channels": ["in_app"], "title": "%s"%s}
    """
        .formatted(subscriber, title, sendAt == null ? "" : ", \"send_at\": \"" + sendAt + "\"");
  }
}
