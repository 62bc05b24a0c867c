package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Message;
import dev.herald.testing.ApiClient;
import dev.herald.testing.RecordingSender;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two Herald nodes on one PostgreSQL database, as a cluster runs: work accepted by one node is done
 * exactly once by whichever claims it, and an idle node hears about new work through LISTEN/NOTIFY
 * rather than its idle timeout.
 */
class PostgresClusterIT {

  @Test
  void everyDeliveryIsSentExactlyOnceAcrossTwoNodes() {
    // Slow providers and few workers per node, so both nodes take part.
    RecordingSender onA = new RecordingSender(Duration.ofMillis(20));
    RecordingSender onB = new RecordingSender(Duration.ofMillis(20));
    try (TestDatabase db = TestDatabase.postgres();
        TestServer a = node(db, onA).start();
        TestServer b = node(db, onB).start()) {
      ApiClient api = a.api();
      List<String> everyone = IntStream.range(0, 300).mapToObj(i -> "c" + (1000 + i)).toList();
      for (String id : everyone) {
        var r = api.put("/v1/subscribers/" + id, Map.of("email", id + "@example.com"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
      }

      String broadcast = send(api, Map.of("all", true));
      String listed = send(api, Map.of("subscribers", everyone.subList(0, 120)));

      for (String id : List.of(broadcast, listed)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(status(api, id)).isEqualTo("sent"));
      }
      List<Message> sent = new ArrayList<>(onA.messages());
      sent.addAll(onB.messages());
      Map<String, Long> perDelivery = new HashMap<>();
      sent.forEach(m -> perDelivery.merge(m.deliveryId(), 1L, Long::sum));
      assertThat(perDelivery).hasSize(420);
      assertThat(perDelivery.values()).containsOnly(1L);
      assertThat(addresses(sent, broadcast)).containsExactlyInAnyOrderElementsOf(emails(everyone));
      assertThat(addresses(sent, listed))
          .containsExactlyInAnyOrderElementsOf(emails(everyone.subList(0, 120)));
      assertThat(onA.messages()).as("node A sent some").isNotEmpty();
      assertThat(onB.messages()).as("node B sent some").isNotEmpty();
    }
  }

  @Test
  void anIdleWorkerNodeIsWokenByWorkAnotherNodeAccepts() {
    RecordingSender onApi = new RecordingSender();
    RecordingSender onWorker = new RecordingSender();
    try (TestDatabase db = TestDatabase.postgres();
        TestServer api = node(db, onApi).env("HERALD_ROLE", "api").start();
        TestServer worker = node(db, onWorker).env("HERALD_ROLE", "worker").start()) {
      ApiClient client = api.api();
      client.put("/v1/subscribers/w1", Map.of("email", "w1@example.com"));

      // Each send follows the previous one's completion, when the worker has just gone idle: its
      // idle timeout (5 s) would be far too late, only the NOTIFY from the API node is in time.
      for (int i = 1; i <= 3; i++) {
        int expected = i;
        long start = System.nanoTime();
        String id = send(client, Map.of("subscribers", List.of("w1")));
        await()
            .atMost(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(10))
            .untilAsserted(() -> assertThat(onWorker.messages()).hasSize(expected));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(onWorker.messages().getLast().notificationId()).isEqualTo(id);
        await()
            .atMost(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(status(client, id)).isEqualTo("sent"));
      }
      assertThat(onApi.messages()).as("the API node runs no workers").isEmpty();
    }
  }

  private static String status(ApiClient api, String notificationId) {
    return api.get("/v1/notifications/" + notificationId).json().get("status").asString();
  }

  private static TestServer.Builder node(TestDatabase db, RecordingSender sender) {
    return db.server()
        .senders(new ChannelSenders().register("email", "smtp", sender))
        .fanOutPageSize(25)
        .env("HERALD_WORKERS_IMPORTANT", "2");
  }

  private static String send(ApiClient api, Map<String, Object> to) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of("to", to, "channels", List.of("email"), "title", "Cluster"));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private static List<String> addresses(List<Message> sent, String notificationId) {
    return sent.stream()
        .filter(m -> m.notificationId().equals(notificationId))
        .map(Message::address)
        .toList();
  }

  private static List<String> emails(List<String> ids) {
    return ids.stream().map(id -> id + "@example.com").toList();
  }
}
