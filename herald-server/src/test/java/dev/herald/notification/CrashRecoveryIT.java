package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.HeraldProcess;
import dev.herald.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kills Herald with SIGKILL in the middle of a 50,000-recipient fan-out, restarts it on the same
 * SQLite file, and checks that every recipient ends with exactly one inbox item and that the counts
 * add up.
 */
class CrashRecoveryIT {
  static final int RECIPIENTS = 50_000;
  Path dataDir;

  @AfterEach
  void cleanUp() {
    TestFiles.deleteQuietly(dataDir);
  }

  @Test
  void killDuringFanOutLosesNothingAndDuplicatesNothing() throws Exception {
    dataDir = Files.createTempDirectory("herald-crash");
    // Small pages make the fan-out long enough to be cut off in the middle.
    Map<String, String> env = Map.of("HERALD_FANOUT_PAGE_SIZE", "250", "HERALD_JOB_LEASE", "5s");
    String id;
    long processedAtKill;
    try (HeraldProcess first = HeraldProcess.start(dataDir, env)) {
      ApiClient api = first.api();
      joinTopic(api, "everyone", RECIPIENTS);
      var accepted =
          api.post(
              "/v1/notifications",
              Map.of(
                  "to",
                  Map.of("topics", List.of("everyone")),
                  "channels",
                  List.of("in_app"),
                  "title",
                  "Crash test"));
      assertThat(accepted.status()).isEqualTo(202);
      id = accepted.json().get("id").asString();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> progress(api, id).get("recipients_processed").asLong() >= 2_000);
      first.kill();
      processedAtKill = countInbox(id)[0];
    }
    assertThat(processedAtKill)
        .as("killed in the middle of the fan-out")
        .isBetween(1L, (long) RECIPIENTS - 1);

    try (HeraldProcess second = HeraldProcess.start(dataDir, env)) {
      ApiClient api = second.api();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  api.get("/v1/notifications/" + id)
                      .json()
                      .get("status")
                      .asString()
                      .equals("sent"));
      JsonNode n = api.get("/v1/notifications/" + id).json();
      assertThat(n.get("counts").get("total").asLong()).isEqualTo(RECIPIENTS);
      assertThat(n.get("counts").get("sent").asLong()).isEqualTo(RECIPIENTS);
      assertThat(n.get("counts").get("pending").asLong()).isZero();
      assertThat(n.get("progress").get("recipients_processed").asLong()).isEqualTo(RECIPIENTS);
    }
    long[] inbox = countInbox(id);
    assertThat(inbox[0]).as("inbox items").isEqualTo(RECIPIENTS);
    assertThat(inbox[1]).as("distinct recipients").isEqualTo(RECIPIENTS);
    assertThat(inbox[2]).as("deliveries").isEqualTo(RECIPIENTS);
  }

  static void joinTopic(ApiClient api, String topic, int n) {
    for (int start = 0; start < n; start += 10_000) {
      List<String> ids = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + 10_000); i++)
        ids.add(String.format("user-%06d", i));
      var r = api.put("/v1/topics/" + topic + "/subscribers", Map.of("subscribers", ids));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  static JsonNode progress(ApiClient api, String id) {
    return api.get("/v1/notifications/" + id).json().get("progress");
  }

  /** Inbox items, distinct subscribers with an item, and delivery rows for the notification. */
  private long[] countInbox(String notificationId) throws Exception {
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"))) {
      long[] out = new long[3];
      try (var s =
          c.prepareStatement(
              "SELECT COUNT(*), COUNT(DISTINCT subscriber_id) FROM inbox_items WHERE notification_id = ?")) {
        s.setString(1, notificationId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          out[0] = rs.getLong(1);
          out[1] = rs.getLong(2);
        }
      }
      try (var s =
          c.prepareStatement("SELECT COUNT(*) FROM deliveries WHERE notification_id = ?")) {
        s.setString(1, notificationId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          out[2] = rs.getLong(1);
        }
      }
      return out;
    }
  }
}
