package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * App B's credentials never reach app A's data: every route answers 404 for A's ids (or an empty
 * list where it lists by an id), and A's data is unchanged afterwards.
 */
class CrossAppIsolationTest {
  static TestServer server;
  static TestApp a;
  static TestApp b;
  static ApiClient apiA;
  static ApiClient apiB;
  static String deviceA;
  static String keyA;
  static String notificationA;
  static String scheduledA;
  static String deadLetterA;
  static String tokenA;

  @BeforeAll
  static void start() {
    // Email always fails for now, so a delivery job ends as a dead letter after one quick retry.
    ChannelSenders senders =
        new ChannelSenders()
            .register(
                "email",
                "smtp",
                batch ->
                    batch.stream()
                        .map(m -> (SendOutcome) new SendOutcome.Retry("smtp unavailable", null))
                        .toList());
    server = TestServer.builder().senders(senders).env("HERALD_RETRY_BACKOFF", "10ms").start();
    a = TestApp.create(server, "app-a");
    b = TestApp.create(server, "app-b");
    apiA = a.api();
    apiB = b.api();

    assertThat(apiA.put("/v1/subscribers/alice", Map.of("email", "alice@example.com")).status())
        .isEqualTo(201);
    assertThat(apiA.put("/v1/subscribers/bob", Map.of()).status()).isEqualTo(201);
    deviceA =
        apiA.post(
                "/v1/devices",
                Map.of("subscriber_id", "alice", "token", "ExponentPushToken[alicephone1]"))
            .json()
            .get("id")
            .asString();
    keyA = apiA.post("/v1/keys", Map.of("kind", "secret")).json().get("id").asString();
    assertThat(
            apiA.put("/v1/topics/a-topic/subscribers", Map.of("subscribers", List.of("alice")))
                .status())
        .isEqualTo(200);
    notificationA = send(Map.of("subscribers", List.of("alice")), "in_app", null);
    assertThat(
            apiA.post(
                    "/v1/notifications",
                    Map.of(
                        "to", Map.of("subscribers", List.of("bob")),
                        "channels", List.of("in_app"),
                        "title", "For Bob only"))
                .status())
        .isEqualTo(202);
    scheduledA =
        send(Map.of("subscribers", List.of("alice")), "in_app", Instant.now().plusSeconds(3600));
    send(Map.of("subscribers", List.of("alice")), "email", null);
    deadLetterA =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  JsonNode data = apiA.get("/v1/dead-letters").json().get("data");
                  return data.isEmpty() ? null : data.get(0).get("id").asString();
                },
                id -> id != null);
    tokenA = apiA.post("/v1/subscribers/alice/token", null).json().get("token").asString();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String send(Map<String, Object> to, String channel, Instant sendAt) {
    var body = new java.util.LinkedHashMap<String, Object>();
    body.put("to", to);
    body.put("channels", List.of(channel));
    body.put("title", "Private to A");
    if (sendAt != null) body.put("send_at", sendAt.toString());
    var r = apiA.post("/v1/notifications", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  @Test
  void subscriberOfAnotherAppIsNotFound() {
    assertNotFound(apiB.get("/v1/subscribers/alice"));
    assertNotFound(apiB.delete("/v1/subscribers/alice"));
    assertNotFound(apiB.post("/v1/subscribers/alice/token", null));
    assertThat(apiB.get("/v1/subscribers?limit=500").json().get("data")).isEmpty();
    assertThat(apiA.get("/v1/subscribers/alice").json().get("email").asString())
        .isEqualTo("alice@example.com");
  }

  @Test
  void sameSubscriberIdInTwoAppsAreTwoSubscribers() {
    TestApp c = TestApp.create(server, "app-c");
    assertThat(c.api().put("/v1/subscribers/alice", Map.of()).status()).isEqualTo(201);

    assertThat(c.api().get("/v1/subscribers/alice").json().get("email").isNull()).isTrue();
    assertThat(c.api().get("/v1/inbox?subscriber_id=alice").json().get("data")).isEmpty();
    String tokenC =
        c.api().post("/v1/subscribers/alice/token", null).json().get("token").asString();
    var inboxC = server.anonymous().withKey(tokenC).get("/v1/inbox");
    assertThat(inboxC.status()).isEqualTo(200);
    assertThat(inboxC.json().get("data")).isEmpty();
    assertThat(apiA.get("/v1/subscribers/alice").json().get("email").asString())
        .isEqualTo("alice@example.com");
  }

  @Test
  void devicesOfAnotherAppAreInvisibleAndUntouchable() {
    var listed = apiB.get("/v1/subscribers/alice/devices");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("data")).isEmpty();
    assertNotFound(apiB.delete("/v1/devices/" + deviceA));
    // Not usable as a send target either.
    var sent =
        apiB.post(
            "/v1/notifications",
            Map.of("to", Map.of("devices", List.of(deviceA)), "title", "hijack"));
    assertThat(sent.status()).isEqualTo(400);
    assertThat(apiB.get("/v1/stats").json().get("devices").get("active").asLong()).isZero();

    JsonNode device = apiA.get("/v1/subscribers/alice/devices").json().get("data").get(0);
    assertThat(device.get("id").asString()).isEqualTo(deviceA);
    assertThat(device.get("active").asBoolean()).isTrue();
  }

  @Test
  void notificationsOfAnotherAppAreNotFound() {
    assertNotFound(apiB.get("/v1/notifications/" + notificationA));
    assertNotFound(apiB.get("/v1/notifications/" + notificationA + "/deliveries"));
    assertNotFound(apiB.post("/v1/notifications/" + scheduledA + "/cancel", null));
    assertThat(apiB.get("/v1/notifications?limit=500").json().get("data")).isEmpty();

    assertThat(apiA.get("/v1/notifications/" + scheduledA).json().get("status").asString())
        .isEqualTo("scheduled");
    assertThat(apiA.get("/v1/notifications/" + notificationA + "/deliveries").json().get("data"))
        .isNotEmpty();
  }

  @Test
  void keysOfAnotherAppCannotBeRevoked() {
    assertNotFound(apiB.delete("/v1/keys/" + keyA));

    assertThat(apiB.get("/v1/keys").body()).doesNotContain(keyA);
    JsonNode keys = apiA.get("/v1/keys").json().get("data");
    for (JsonNode k : keys) {
      if (k.get("id").asString().equals(keyA)) assertThat(k.get("revoked_at").isNull()).isTrue();
    }
    assertThat(keys.toString()).contains(keyA);
  }

  @Test
  void deadLettersOfAnotherAppCannotBeRetriedOrSeen() {
    assertNotFound(apiB.post("/v1/dead-letters/" + deadLetterA + "/retry", null));

    assertThat(apiB.get("/v1/dead-letters").json().get("data")).isEmpty();
    assertThat(apiA.get("/v1/dead-letters").body()).contains(deadLetterA);
  }

  @Test
  void topicMembersOfAnotherAppAreNotListed() {
    var r = apiB.get("/v1/topics/a-topic/subscribers");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data")).isEmpty();
    // Leaving through B removes nothing from A's topic.
    assertThat(
            apiB.delete("/v1/topics/a-topic/subscribers", Map.of("subscribers", List.of("alice")))
                .json()
                .get("removed")
                .asInt())
        .isZero();
    assertThat(apiA.get("/v1/topics/a-topic/subscribers").body()).contains("\"alice\"");
  }

  @Test
  void inboxOfAnotherAppsSubscriberIsEmpty() {
    var r = apiB.get("/v1/inbox?subscriber_id=alice");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("data")).isEmpty();
    assertThat(apiB.get("/v1/inbox/count?subscriber_id=alice").json().get("total").asLong())
        .isZero();
    assertThat(apiA.get("/v1/inbox?subscriber_id=alice").json().get("data")).isNotEmpty();
  }

  @Test
  void subscriberTokenIsRefusedWithAnotherAppsPublishableKey() {
    var r =
        server
            .anonymous()
            .withKey(tokenA)
            .withHeader("X-Herald-Key", b.publishableKey())
            .get("/v1/inbox");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("Private to A");
    // The same token with its own app's key works.
    assertThat(
            server
                .anonymous()
                .withKey(tokenA)
                .withHeader("X-Herald-Key", a.publishableKey())
                .get("/v1/inbox")
                .status())
        .isEqualTo(200);
  }

  @Test
  void subscriberTokenReadsOnlyItsOwnInbox() {
    ApiClient alice = server.anonymous().withKey(tokenA);

    var r = alice.get("/v1/inbox?subscriber_id=bob");

    // The token decides whose inbox it is; naming another subscriber never yields theirs.
    assertThat(r.body()).doesNotContain("For Bob only");
    if (r.status() == 200) {
      assertThat(r.json().get("data")).isNotEmpty();
      r.json()
          .get("data")
          .forEach(i -> assertThat(i.get("title").asString()).isEqualTo("Private to A"));
    } else {
      assertThat(r.status()).isIn(403, 404);
    }
    assertThat(apiA.get("/v1/inbox?subscriber_id=bob").body()).contains("For Bob only");
  }

  private static void assertNotFound(ApiClient.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo("not_found");
    assertThat(r.body()).doesNotContain("Private to A").doesNotContain("alice@example.com");
  }
}
