package dev.herald.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.HeraldProcess;
import dev.herald.testing.LiveClient;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestFiles;
import dev.herald.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Herald processes (the built jar) on one PostgreSQL database, as a cluster runs them: a
 * subscriber connected to node B sees, live, what is done through node A's API, whichever bus
 * carries it between the nodes.
 */
class ClusterLiveInboxIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<Path> folders = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    folders.forEach(TestFiles::deleteQuietly);
  }

  @Test
  void theLiveInboxCrossesNodesOverPostgres() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      liveInboxAcrossTwoNodes(db, Map.of("HERALD_BUS", "postgres"));
    }
  }

  @Test
  void theLiveInboxCrossesNodesOverRedis() throws Exception {
    try (TestDatabase db = TestDatabase.postgres();
        TestRedis redis = TestRedis.start()) {
      liveInboxAcrossTwoNodes(db, Map.of("HERALD_BUS", "redis", "HERALD_REDIS_URL", redis.url()));
    }
  }

  private void liveInboxAcrossTwoNodes(TestDatabase db, Map<String, String> bus) throws Exception {
    Map<String, String> env = new HashMap<>(bus);
    env.put("HERALD_DATABASE_URL", db.url());
    db.user().ifPresent(u -> env.put("HERALD_DATABASE_USER", u));
    env.put("HERALD_MASTER_KEY", masterKey());
    try (HeraldProcess a = HeraldProcess.start(folder(), env);
        HeraldProcess b = HeraldProcess.start(folder(), env)) {
      ApiClient viaA = a.api();
      assertThat(viaA.put("/v1/subscribers/ann", Map.of()).status()).isIn(200, 201);
      String token =
          viaA.post("/v1/subscribers/ann/token", Map.of()).json().get("token").asString();

      try (LiveClient onB = LiveClient.connect(b.baseUrl(), "token=" + token)) {
        assertThat(onB.nextEvent(WAIT)).containsEntry("type", "ready").containsEntry("seq", 0);

        var sent =
            viaA.post(
                "/v1/notifications",
                Map.of(
                    "to", Map.of("subscribers", List.of("ann")),
                    "channels", List.of("in_app"),
                    "title", "Sent through node A"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);

        Map<String, Object> received = onB.nextEvent(WAIT);
        assertThat(received)
            .containsEntry("type", "notification_received")
            .containsEntry("seq", 1)
            .containsEntry("unread", 1);
        Map<String, Object> item = LiveInboxTest.item(received);
        assertThat(item)
            .containsEntry("title", "Sent through node A")
            .containsEntry("notification_id", sent.json().get("id").asString());

        var read = viaA.post("/v1/inbox/" + item.get("id") + "/read?subscriber_id=ann", null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);

        Map<String, Object> updated = onB.nextEvent(WAIT);
        assertThat(updated)
            .containsEntry("type", "notification_updated")
            .containsEntry("seq", 2)
            .containsEntry("unread", 0);
        Map<String, Object> readItem = LiveInboxTest.item(updated);
        assertThat(readItem).containsEntry("id", item.get("id"));
        assertThat(readItem.get("read_at")).isNotNull();
        // Presence is shared too: node A knows the subscriber is connected to node B.
        assertThat(viaA.get("/v1/subscribers/ann").json().get("online").asBoolean()).isTrue();
      }
      for (HeraldProcess node : List.of(a, b)) {
        var health = new ApiClient(node.baseUrl()).get("/health").json();
        assertThat(health.get("checks").get("bus").get("status").asString()).isEqualTo("up");
      }
    }
  }

  private Path folder() throws Exception {
    Path dir = Files.createTempDirectory("herald-node");
    folders.add(dir);
    return dir;
  }

  /** Every node of a cluster needs the same master key. */
  private static String masterKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
