package dev.herald.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.HeraldProcess;
import dev.herald.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM stops Herald cleanly: exit code 0, and work accepted before it completes after restart.
 */
class GracefulShutdownIT {
  Path dataDir;

  @AfterEach
  void cleanUp() {
    TestFiles.deleteQuietly(dataDir);
  }

  @Test
  void sigtermDrainsAndExitsZeroAndAcceptedWorkFinishesAfterRestart() throws Exception {
    dataDir = Files.createTempDirectory("herald-term");
    Map<String, String> env = Map.of("HERALD_FANOUT_PAGE_SIZE", "100");
    List<String> ids = new ArrayList<>();
    try (HeraldProcess herald = HeraldProcess.start(dataDir, env)) {
      ApiClient api = herald.api();
      List<String> members = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) members.add("m" + i);
      assertThat(
              api.put("/v1/topics/all-hands/subscribers", Map.of("subscribers", members)).status())
          .isEqualTo(200);
      for (int i = 0; i < 5; i++) {
        var r =
            api.post(
                "/v1/notifications",
                Map.of(
                    "to",
                    Map.of("topics", List.of("all-hands")),
                    "channels",
                    List.of("in_app"),
                    "title",
                    "n" + i));
        assertThat(r.status()).isEqualTo(202);
        ids.add(r.json().get("id").asString());
      }
      assertThat(herald.terminate(Duration.ofSeconds(30))).isZero();
      assertThat(Files.readString(herald.logFile())).contains("Herald stopped");
    }
    try (HeraldProcess again = HeraldProcess.start(dataDir, env)) {
      ApiClient api = again.api();
      for (String id : ids) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    api.get("/v1/notifications/" + id)
                        .json()
                        .get("status")
                        .asString()
                        .equals("sent"));
        assertThat(api.get("/v1/notifications/" + id).json().get("counts").get("sent").asLong())
            .isEqualTo(5_000);
      }
    }
  }
}
