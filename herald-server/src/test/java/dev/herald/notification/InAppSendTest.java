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

class InAppSendTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api();
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
}
