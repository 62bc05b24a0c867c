package dev.herald.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What operators rely on: health, metrics, the API description and stats. */
class OperationsTest {
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
  void healthReportsEveryCheck() {
    var r = server.anonymous().get("/health");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode h = r.json();
    assertThat(h.get("status").asString()).isEqualTo("up");
    for (String check : List.of("database", "queue", "bus", "webpush")) {
      assertThat(h.get("checks").has(check)).as(check).isTrue();
      assertThat(h.get("checks").get(check).get("status").asString())
          .as(check)
          .isNotEqualTo("down");
    }
    assertThat(h.get("checks").get("database").get("status").asString()).isEqualTo("up");
  }

  @Test
  void livenessAndReadinessAnswerUp() {
    var live = server.anonymous().get("/health/live");
    var ready = server.anonymous().get("/health/ready");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().get("status").asString()).isEqualTo("up");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asString()).isEqualTo("up");
    assertThat(ready.json().get("checks").get("database").get("status").asString()).isEqualTo("up");
  }

  @Test
  void metricsArePrometheusTextWithHeraldJvmAndHttpSeries() {
    ApiClient api = server.api();
    api.put("/v1/subscribers/metered", Map.of());
    var sent =
        api.post(
            "/v1/notifications",
            Map.of(
                "to", Map.of("subscribers", List.of("metered")),
                "channels", List.of("in_app"),
                "title", "Counted"));
    assertThat(sent.status()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var r = server.anonymous().get("/metrics");
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.contentType()).startsWith("text/plain");
              assertThat(r.body())
                  .contains("herald_notifications_accepted_total")
                  .contains("herald_deliveries_total{")
                  .contains("herald_notification_latency_seconds")
                  .contains("herald_queue_jobs{")
                  .contains("herald_websocket_connections")
                  .contains("jvm_memory_used_bytes")
                  .contains("http_server_requests");
              assertThat(r.body())
                  .containsPattern("(?m)^herald_notifications_accepted_total(\\{[^}]*\\})? [1-9]");
              assertThat(r.body())
                  .containsPattern(
                      "(?m)^herald_deliveries_total\\{[^}]*channel=\"in_app\"[^}]*outcome=\"sent\"[^}]*\\}"
                          + " [1-9]");
              for (String lane : List.of("critical", "important", "bulk")) {
                assertThat(r.body()).contains("lane=\"" + lane + "\"");
              }
            });
    // Every line is a comment or "name{labels} value": no stray output.
    for (String line : server.anonymous().get("/metrics").body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      assertThat(line).matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? \\S+( \\d+)?");
    }
  }

  @Test
  void openApiDescribesThePaths() {
    var r = server.anonymous().get("/openapi.json");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode doc = r.json();
    assertThat(doc.get("openapi").asString()).startsWith("3.");
    assertThat(doc.get("paths").isObject()).isTrue();
    assertThat(doc.get("paths").has("/health")).isTrue();
  }

  @Test
  void docsAreAnHtmlPage() {
    var r = server.anonymous().get("/docs");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/html");
    assertThat(r.body()).containsIgnoringCase("<html").contains("/openapi.json");
  }

  @Test
  void everyResponseCarriesARequestId() {
    var given = server.anonymous().withHeader("X-Request-Id", "trace-42").get("/health/live");
    var generated = server.anonymous().get("/v1/nothing");

    assertThat(given.header("X-Request-Id")).isEqualTo("trace-42");
    assertThat(generated.header("X-Request-Id")).isNotBlank();
    assertThat(generated.json().get("request_id").asString())
        .isEqualTo(generated.header("X-Request-Id"));
  }

  @Test
  void statsCountDevicesQueueLanesAndDeliveries() {
    TestApp app = TestApp.create(server, "stats");
    ApiClient api = app.api();
    String hex = "ab".repeat(32);
    assertThat(api.post("/v1/devices", Map.of("token", hex)).status()).isEqualTo(201);
    assertThat(api.post("/v1/devices", Map.of("token", "cd".repeat(32))).status()).isEqualTo(201);
    assertThat(
            api.post(
                    "/v1/devices",
                    Map.of("token", "ExponentPushToken[statsexpo1]", "platform", "android"))
                .status())
        .isEqualTo(201);
    String gone =
        api.post("/v1/devices", Map.of("token", "ExponentPushToken[statsexpo2]"))
            .json()
            .get("id")
            .asString();
    assertThat(api.delete("/v1/devices/" + gone).status()).isEqualTo(204);
    var sent =
        api.post(
            "/v1/notifications",
            Map.of(
                "to", Map.of("subscribers", List.of("stats-user")),
                "channels", List.of("in_app", "push"),
                "title", "Counted"));
    assertThat(sent.status()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode d = api.get("/v1/stats").json().get("deliveries");
              assertThat(d.path("sent").asLong()).isEqualTo(1);
              assertThat(d.path("skipped").asLong()).isEqualTo(1);
            });
    var r = api.get("/v1/stats");
    assertThat(r.status()).isEqualTo(200);
    JsonNode stats = r.json();
    JsonNode devices = stats.get("devices");
    assertThat(devices.get("active").asLong()).isEqualTo(3);
    assertThat(devices.get("by_provider").get("apns").asLong()).isEqualTo(2);
    assertThat(devices.get("by_provider").get("expo").asLong()).isEqualTo(1);
    assertThat(devices.get("by_platform").get("ios").asLong()).isEqualTo(2);
    assertThat(devices.get("by_platform").get("android").asLong()).isEqualTo(1);
    for (String lane : List.of("critical", "important", "bulk")) {
      JsonNode q = stats.get("queue").get(lane);
      assertThat(q).as(lane).isNotNull();
      for (String state : List.of("waiting", "active", "delayed", "failed", "completed")) {
        assertThat(q.get(state).isNumber()).as("%s.%s", lane, state).isTrue();
        assertThat(q.get(state).asLong()).as("%s.%s", lane, state).isGreaterThanOrEqualTo(0);
      }
    }
    // Another app's stats do not count this one's.
    assertThat(server.api().get("/v1/stats").json().get("devices").get("active").asLong()).isZero();
  }
}
