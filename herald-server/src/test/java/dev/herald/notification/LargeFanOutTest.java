package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A topic of 1,000 subscribers fanned out in pages of 50: twenty checkpointed pages. */
class LargeFanOutTest {
  static final int AUDIENCE = 1_000;
  static TestServer server;
  static SendApi herald;

  @BeforeAll
  static void start() {
    server = TestServer.builder().fanOutPageSize(50).start();
    herald = new SendApi(server.api());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void topicSendOverManyPagesReachesEverySubscriberExactlyOnce() throws Exception {
    List<String> members =
        IntStream.range(0, AUDIENCE).mapToObj(i -> "fan-%04d".formatted(i)).toList();
    herald.join("fan-everyone", members);

    String id =
        herald.send(
            """
            {"to": {"topics": ["fan-everyone"]}, "title": "Big news", "priority": "bulk"}
            """);

    var n = herald.awaitStatus(id, "sent");
    assertThat(n.get("progress").get("recipients_processed").asLong()).isEqualTo(AUDIENCE);
    assertThat(n.get("progress").get("fanout").asString()).isEqualTo("done");
    var counts = n.get("counts");
    // default channels for a topic: in_app (sent) and push (skipped: nobody has a device)
    assertThat(counts.get("total").asLong()).isEqualTo(2 * AUDIENCE);
    assertThat(counts.get("sent").asLong()).isEqualTo(AUDIENCE);
    assertThat(counts.get("skipped").asLong()).isEqualTo(AUDIENCE);
    assertThat(counts.get("pending").asLong()).isZero();
    SendApi.assertCountsAddUp(n);

    List<JsonNode> inApp = allDeliveries(id, "sent");
    assertThat(inApp).hasSize(AUDIENCE);
    Set<String> reached = new HashSet<>();
    for (JsonNode d : inApp) {
      assertThat(d.get("channel").asString()).isEqualTo("in_app");
      reached.add(d.get("subscriber_id").asString());
    }
    assertThat(reached).containsExactlyInAnyOrderElementsOf(members);

    assertThat(inboxTotals(members)).allSatisfy((s, total) -> assertThat(total).as(s).isEqualTo(1));
  }

  /** Each subscriber's inbox size, read a few at a time. */
  private static Map<String, Long> inboxTotals(List<String> subscribers) throws Exception {
    Map<String, Long> totals = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (String s : subscribers) {
        pool.submit(
            () -> {
              var r = herald.client().get("/v1/inbox/count?subscriber_id=" + s);
              totals.put(s, r.status() == 200 ? r.json().get("total").asLong() : -r.status());
            });
      }
    }
    assertThat(totals).hasSize(subscribers.size());
    return totals;
  }

  private static List<JsonNode> allDeliveries(String id, String status) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      var page =
          herald
              .client()
              .get(
                  "/v1/notifications/%s/deliveries?status=%s&limit=500%s"
                      .formatted(id, status, cursor == null ? "" : "&cursor=" + cursor))
              .json();
      page.get("data").forEach(all::add);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    } while (cursor != null);
    return all;
  }
}
