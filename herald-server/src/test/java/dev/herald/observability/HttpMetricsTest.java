package dev.herald.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {
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
  void requestsAreTimedPerMatchedRouteWithHistogramBuckets() {
    assertThat(server.api().get("/v1/notifications/01NOSUCHNOTIFICATION0000000").status())
        .isEqualTo(404);
    assertThat(server.api().get("/v1/no-such-route").status()).isEqualTo(404);

    String metrics = server.anonymous().get("/metrics").body();

    assertThat(metrics)
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/notifications/{id}\",status=\"404\"}"
                + " 1")
        .contains(
            "http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/notifications/{id}\",status=\"404\",le=\"0.25\"}")
        .contains("route=\"unmatched\",status=\"404\"")
        .doesNotContain("route=\"*\"");
  }
}
