package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.MockCertificates;
import dev.herald.testing.TestServer;
import dev.herald.testkit.apns.ApnsMock;
import dev.herald.testkit.apns.ApnsTeamKey;
import dev.herald.testkit.fcm.FcmMock;
import dev.herald.web.Json;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slow provider holds only its share of a lane's workers: other providers in the same lane, and
 * the critical lane, keep their pace. A provider that refuses connections is retried on the backoff
 * schedule and then dead-lettered.
 */
class ProviderIsolationIT {
  static final ApnsTeamKey TEAM = ApnsTeamKey.generate("ABCDE12345", "KEY1234567");
  static ApnsMock apns;
  static FcmMock fcm;
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    apns = ApnsMock.builder().acceptKey(TEAM).topic("com.example.app").start();
    fcm = FcmMock.start();
    var ca =
        MockCertificates.pemFile(
            Files.createTempDirectory("herald-ca"), apns.uri(), fcm.endpoint());
    server =
        TestServer.builder()
            .env("HERALD_PROVIDER_CA_FILE", ca.toString())
            .env("HERALD_WORKERS_IMPORTANT", "8")
            .env("HERALD_PROVIDER_CONCURRENCY", "4")
            .env("HERALD_RETRY_BACKOFF", "100ms,200ms")
            .start();
    api = server.api();
    api.put(
        "/v1/providers/apns",
        Map.of(
            "team_id",
            TEAM.teamId(),
            "key_id",
            TEAM.keyId(),
            "signing_key",
            TEAM.privateKeyPem(),
            "topic",
            "com.example.app",
            "endpoint",
            apns.uri().toString()));
    api.put(
        "/v1/providers/fcm",
        Map.of(
            "service_account",
            Json.map(fcm.mintServiceAccount("p").json()),
            "endpoint",
            fcm.endpoint().toString()));
  }

  @AfterAll
  static void stop() {
    server.close();
    apns.close();
    fcm.close();
  }

  @Test
  void aSlowProviderDoesNotHoldBackAnotherProviderOrTheCriticalLane() {
    for (int i = 0; i < 12; i++) {
      register("slow-" + i, Map.of("provider", "apns", "token", String.format("%064x", 1000 + i)));
    }
    register("fast", Map.of("provider", "fcm", "token", "fcm-fast-" + "f".repeat(120)));
    register("urgent", Map.of("provider", "fcm", "token", "fcm-urgent-" + "u".repeat(120)));
    apns.latency(Duration.ofSeconds(3));
    try {
      List<String> slow = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) slow.add(send("slow-" + i, "important"));
      String fast = send("fast", "important");
      String urgent = send("urgent", "critical");
      long t0 = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> status(fast).equals("sent") && status(urgent).equals("sent"));
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(tookMs).as("other providers and lanes keep their pace").isLessThan(2_000);
      assertThat(slow.stream().filter(id -> status(id).equals("sent")))
          .as("the slow ones are still under way")
          .hasSizeLessThan(12);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> slow.stream().allMatch(id -> status(id).equals("sent")));
    } finally {
      apns.latency(Duration.ZERO);
    }
  }

  @Test
  void aProviderThatRefusesConnectionsIsRetriedThenDeadLettered() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    var app = server.admin().post("/v1/apps", Map.of("name", "refused-app"));
    ApiClient other =
        new ApiClient(server.baseUrl()).withKey(app.json().get("secret_key").asString());
    assertThat(
            other
                .put(
                    "/v1/providers/apns",
                    Map.of(
                        "team_id",
                        TEAM.teamId(),
                        "key_id",
                        TEAM.keyId(),
                        "signing_key",
                        TEAM.privateKeyPem(),
                        "topic",
                        "com.example.app",
                        "endpoint",
                        "https://127.0.0.1:" + closedPort))
                .status())
        .isEqualTo(200);
    assertThat(
            other
                .post(
                    "/v1/devices",
                    Map.of("subscriber_id", "r", "provider", "apns", "token", "c".repeat(64)))
                .status())
        .isEqualTo(201);
    String id =
        other
            .post(
                "/v1/notifications",
                Map.of(
                    "to",
                    Map.of("subscribers", List.of("r")),
                    "channels",
                    List.of("push"),
                    "title",
                    "x"))
            .json()
            .get("id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                other
                    .get("/v1/notifications/" + id)
                    .json()
                    .get("status")
                    .asString()
                    .equals("failed"));
    var delivery = other.get("/v1/notifications/" + id + "/deliveries").json().get("data").get(0);
    assertThat(delivery.get("status").asString()).isEqualTo("dead");
    assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
    assertThat(other.get("/v1/dead-letters").json().get("data")).hasSize(1);
    assertThat(
            other
                .get("/v1/subscribers/r/devices")
                .json()
                .get("data")
                .get(0)
                .get("active")
                .asBoolean())
        .isTrue();
  }

  private static void register(String subscriber, Map<String, Object> body) {
    Map<String, Object> b = new java.util.HashMap<>(body);
    b.put("subscriber_id", subscriber);
    var r = api.post("/v1/devices", b);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static String send(String subscriber, String priority) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscriber)),
                "channels",
                List.of("push"),
                "priority",
                priority,
                "title",
                "t"));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private static String status(String id) {
    return api.get("/v1/notifications/" + id).json().get("status").asString();
  }
}
