package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Many notifications at once, across lanes, through a channel that accepts, rejects and asks for
 * retries at random: every notification ends settled, and its counts equal its deliveries.
 */
class CountsUnderConcurrencyIT {
  static final int SUBSCRIBERS = 300;
  static final int NOTIFICATIONS = 40;

  /** Accepts 70 %, rejects 15 %, asks for a retry 15 % of messages, with a little latency. */
  static final class FlakySender implements DeliverySender {
    @Override
    public int batchSize() {
      return 25;
    }

    @Override
    public List<SendOutcome> send(List<Message> batch) throws InterruptedException {
      Thread.sleep(ThreadLocalRandom.current().nextInt(3));
      List<SendOutcome> out = new ArrayList<>();
      for (Message m : batch) {
        int roll = ThreadLocalRandom.current().nextInt(100);
        out.add(
            roll < 70
                ? new SendOutcome.Accepted("ok-" + m.deliveryId())
                : roll < 85
                    ? new SendOutcome.Rejected("550 rejected", false)
                    : new SendOutcome.Retry("451 later", null));
      }
      return out;
    }
  }

  @Test
  void countsAddUpForEveryNotificationUnderConcurrentSendsAndOutcomes() throws Exception {
    try (TestServer server =
        TestServer.builder()
            .env("HERALD_RETRY_BACKOFF", "50ms,100ms")
            .fanOutPageSize(40)
            .senders(new ChannelSenders().register("email", "smtp", new FlakySender()))
            .start()) {
      ApiClient api = server.api();
      List<String> members = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        String id = "c" + i;
        members.add(id);
        assertThat(
                api.put(
                        "/v1/subscribers/" + id,
                        i % 3 == 0 ? Map.of() : Map.of("email", id + "@example.com"))
                    .status())
            .isEqualTo(201);
      }
      assertThat(api.put("/v1/topics/crowd/subscribers", Map.of("subscribers", members)).status())
          .isEqualTo(200);

      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<String>> sent = new ArrayList<>();
      String[] lanes = {"critical", "important", "bulk"};
      for (int i = 0; i < NOTIFICATIONS; i++) {
        int n = i;
        sent.add(
            pool.submit(
                () -> {
                  Map<String, Object> body = new HashMap<>();
                  body.put(
                      "to",
                      n % 2 == 0
                          ? Map.of("topics", List.of("crowd"))
                          : Map.of("subscribers", members.subList(0, 120)));
                  body.put("channels", List.of("in_app", "email"));
                  body.put("priority", lanes[n % 3]);
                  body.put("title", "n" + n);
                  var r = api.post("/v1/notifications", body);
                  assertThat(r.status()).as(r.body()).isEqualTo(202);
                  return r.json().get("id").asString();
                }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : sent) ids.add(f.get());
      pool.shutdown();

      for (String id : ids) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  String status =
                      api.get("/v1/notifications/" + id).json().get("status").asString();
                  return status.equals("sent")
                      || status.equals("partial")
                      || status.equals("failed");
                });
        JsonNode n = api.get("/v1/notifications/" + id).json();
        JsonNode c = n.get("counts");
        Map<String, Long> byStatus = deliveriesByStatus(api, id);
        long recipients = n.get("progress").get("recipients_processed").asLong();
        assertThat(c.get("pending").asLong()).isZero();
        assertThat(c.get("total").asLong()).isEqualTo(2 * recipients);
        assertThat(c.get("total").asLong())
            .isEqualTo(byStatus.values().stream().mapToLong(Long::longValue).sum());
        assertThat(c.get("sent").asLong()).isEqualTo(byStatus.getOrDefault("sent", 0L));
        assertThat(c.get("skipped").asLong()).isEqualTo(byStatus.getOrDefault("skipped", 0L));
        assertThat(c.get("failed").asLong())
            .isEqualTo(byStatus.getOrDefault("failed", 0L) + byStatus.getOrDefault("dead", 0L));
        assertThat(c.get("total").asLong())
            .isEqualTo(
                c.get("sent").asLong()
                    + c.get("failed").asLong()
                    + c.get("skipped").asLong()
                    + c.get("delivered").asLong());
      }
    }
  }

  private static Map<String, Long> deliveriesByStatus(ApiClient api, String id) {
    Map<String, Long> counts = new HashMap<>();
    String cursor = "";
    do {
      JsonNode page =
          api.get(
                  "/v1/notifications/"
                      + id
                      + "/deliveries?limit=500"
                      + (cursor.isEmpty() ? "" : "&cursor=" + cursor))
              .json();
      page.get("data").forEach(d -> counts.merge(d.get("status").asString(), 1L, Long::sum));
      cursor = page.get("next_cursor").isNull() ? "" : page.get("next_cursor").asString();
    } while (!cursor.isEmpty());
    return counts;
  }
}
