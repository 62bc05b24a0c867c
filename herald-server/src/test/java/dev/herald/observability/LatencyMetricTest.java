package dev.herald.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LatencyMetricTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void subSecondLatenciesLandInSubSecondBuckets() {
    var sent =
        server
            .api()
            .post(
                "/v1/notifications",
                Map.of(
                    "to",
                    Map.of("subscribers", List.of("ann")),
                    "channels",
                    List.of("in_app"),
                    "priority",
                    "critical",
                    "title",
                    "Door opened"));
    assertThat(sent.status()).isEqualTo(202);

    String metrics = server.anonymous().get("/metrics").body();

    assertThat(bucket(metrics, "critical", "0.5")).isEqualTo(1);
    assertThat(bucket(metrics, "critical", "+Inf")).isEqualTo(1);
  }

  private static long bucket(String metrics, String lane, String le) {
    Matcher m =
        Pattern.compile(
                "herald_notification_latency_seconds_bucket\\{lane=\""
                    + lane
                    + "\",le=\""
                    + Pattern.quote(le)
                    + "\"} (\\d+)")
            .matcher(metrics);
    assertThat(m.find()).as("bucket le=" + le + " of lane " + lane).isTrue();
    return Long.parseLong(m.group(1));
  }
}
