package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotentSendTest {
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
  void sameKeyAndSameBodyReplaysTheFirstNotification() {
    ApiClient keyed = herald.client().withHeader("Idempotency-Key", "order-1001-shipped");
    String body =
        """
        {"to": {"subscribers": ["idem-same"]}, "channels": ["in_app"], "category": "idem-same",
         "title": "Shipped"}
        """;

    var first = keyed.post("/v1/notifications", body);
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    String id = first.json().get("id").asString();

    var replay = keyed.post("/v1/notifications", body);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().get("id").asString()).isEqualTo(id);

    assertThat(herald.notificationIds("&category=idem-same")).containsExactly(id);
    assertThat(herald.inbox("idem-same")).hasSize(1);
  }

  @Test
  void sameKeyWithADifferentBodyIsAConflict() {
    ApiClient keyed = herald.client().withHeader("Idempotency-Key", "invoice-77");
    String body =
        """
        {"to": {"subscribers": ["idem-diff"]}, "channels": ["in_app"], "category": "idem-diff",
         "title": "%s"}
        """;
    var first = keyed.post("/v1/notifications", body.formatted("Invoice ready"));
    assertThat(first.status()).as(first.toString()).isEqualTo(202);

    var other = keyed.post("/v1/notifications", body.formatted("Invoice overdue"));
    assertThat(other.status()).as(other.toString()).isEqualTo(409);
    assertThat(other.contentType()).startsWith("application/problem+json");
    assertThat(other.json().get("code").asString()).isEqualTo("conflict");

    assertThat(herald.notificationIds("&category=idem-diff"))
        .containsExactly(first.json().get("id").asString());
    assertThat(herald.inbox("idem-diff"))
        .singleElement()
        .satisfies(i -> assertThat(i.get("title").asString()).isEqualTo("Invoice ready"));
  }

  @Test
  void differentKeysWithTheSameBodyAreTwoNotifications() {
    String body =
        """
        {"to": {"subscribers": ["idem-two"]}, "channels": ["in_app"], "category": "idem-two",
         "title": "Reminder"}
        """;
    var a =
        herald.client().withHeader("Idempotency-Key", "reminder-a").post("/v1/notifications", body);
    var b =
        herald.client().withHeader("Idempotency-Key", "reminder-b").post("/v1/notifications", body);
    assertThat(a.status()).isEqualTo(202);
    assertThat(b.status()).isEqualTo(202);
    assertThat(herald.notificationIds("&category=idem-two")).hasSize(2);
  }

  @Test
  void retryAfterTheScheduledTimeHasPassedStillReplays() {
    ApiClient keyed = herald.client().withHeader("Idempotency-Key", "reminder-at-nine");
    String body =
        """
        {"to": {"subscribers": ["idem-later"]}, "channels": ["in_app"], "category": "idem-later",
         "title": "Starts soon", "send_at": "%s"}
        """
            .formatted(Instant.now().plusMillis(800));
    var first = keyed.post("/v1/notifications", body);
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    String id = first.json().get("id").asString();
    herald.awaitStatus(id, "sent");

    var retry = keyed.post("/v1/notifications", body);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json().get("id").asString()).isEqualTo(id);
    assertThat(herald.notificationIds("&category=idem-later")).containsExactly(id);
    assertThat(herald.inbox("idem-later")).hasSize(1);
  }
}
