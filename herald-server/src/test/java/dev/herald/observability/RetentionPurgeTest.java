package dev.herald.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.DeliveryRepository;
import dev.herald.inbox.InboxRepository;
import dev.herald.notification.NotificationRepository;
import dev.herald.queue.LocalWakeSignal;
import dev.herald.queue.SqlWorkQueue;
import dev.herald.store.Database;
import dev.herald.testing.ApiClient;
import dev.herald.testing.MutableClock;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPurgeTest {
  @Test
  void itemsOlderThanTheRetentionArePurgedAndNewerOnesKept() {
    MutableClock clock = new MutableClock();
    try (TestServer server =
        TestServer.builder().clock(clock).env("HERALD_RETENTION", "30d").start()) {
      ApiClient api = server.api();
      String old = send(api, "old-news");
      clock.advance(Duration.ofDays(31));
      String fresh = send(api, "fresh-news");

      Database db = server.herald().database();
      RetentionPurge purge =
          new RetentionPurge(
              db,
              new NotificationRepository(db),
              new DeliveryRepository(db),
              new InboxRepository(db),
              new SqlWorkQueue(db, new LocalWakeSignal(), clock),
              Duration.ofDays(30),
              clock);
      assertThat(purge.purgeOnce())
          .isEqualTo(3); // the old notification, its delivery and its inbox item

      assertThat(api.get("/v1/notifications/" + old).status()).isEqualTo(404);
      assertThat(api.get("/v1/notifications/" + fresh).status()).isEqualTo(200);
      var inbox = api.get("/v1/inbox?subscriber_id=reader").json().get("data");
      assertThat(inbox).hasSize(1);
      assertThat(inbox.get(0).get("notification_id").asString()).isEqualTo(fresh);
    }
  }

  private static String send(ApiClient api, String title) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("reader")),
                "channels",
                List.of("in_app"),
                "title",
                title));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }
}
