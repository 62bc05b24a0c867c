package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PriorityAndDataTest {
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
  void priorityAliasesMapToTheThreeLanes() {
    Map<String, String> lanes =
        Map.of(
            "urgent", "critical",
            "critical", "critical",
            "high", "important",
            "normal", "important",
            "important", "important",
            "low", "bulk",
            "bulk", "bulk",
            "HIGH", "important");
    lanes.forEach(
        (given, lane) -> {
          var r =
              herald
                  .client()
                  .post(
                      "/v1/notifications",
                      """
                      {"to": {"subscribers": ["prio"]}, "channels": ["in_app"], "title": "p",
                       "priority": "%s"}
                      """
                          .formatted(given));
          assertThat(r.status()).as(r.toString()).isEqualTo(202);
          assertThat(r.json().get("priority").asString()).as(given).isEqualTo(lane);
          String id = r.json().get("id").asString();
          assertThat(herald.notification(id).get("priority").asString()).as(given).isEqualTo(lane);
        });
  }

  @Test
  void priorityDefaultsToImportant() {
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["prio-default"]}, "channels": ["in_app"], "title": "p"}
            """);
    assertThat(herald.notification(id).get("priority").asString()).isEqualTo("important");
  }

  @Test
  void unknownPriorityIsRejectedNamingPriority() {
    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["prio-bad"]}, "title": "p", "priority": "asap"}
                """);
    SendApi.assertProblemNaming(r, 400, "priority");
    assertThat(r.json().get("code").asString()).isEqualTo("invalid_request");
    assertThat(herald.inbox("prio-bad")).isEmpty();
  }

  @Test
  void metadataIsAcceptedAsDataAndReachesTheInboxItem() {
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["meta"]}, "channels": ["in_app"], "title": "Order update",
             "metadata": {"order_id": 42, "status": "packed", "tags": ["gift"]}}
            """);

    var item = herald.inbox("meta").getFirst();
    assertThat(item.get("notification_id").asString()).isEqualTo(id);
    assertThat(item.get("data").get("order_id").asLong()).isEqualTo(42);
    assertThat(item.get("data").get("status").asString()).isEqualTo("packed");
    assertThat(item.get("data").get("tags").get(0).asString()).isEqualTo("gift");
    assertThat(herald.notification(id).get("data").get("status").asString()).isEqualTo("packed");
  }
}
