package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Message;
import dev.herald.testing.ApiClient;
import dev.herald.testing.RecordingSender;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The notification path end to end on each database Herald supports: audience selection (whose
 * segment SQL differs per dialect), fan-out in keyset pages, and acceptance under concurrent
 * retries. Subclasses only say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NotificationStoreContract {
  private final RecordingSender email = new RecordingSender();
  private TestDatabase database;
  private TestServer server;
  private ApiClient api;

  /** A fresh, empty database for this class. */
  protected abstract TestDatabase newDatabase();

  @BeforeAll
  void start() {
    database = newDatabase();
    server =
        database
            .server()
            .senders(new ChannelSenders().register("email", "smtp", email))
            // Pages of two make every selector span several pages.
            .fanOutPageSize(2)
            .start();
    api = server.api();
  }

  @AfterAll
  void stop() {
    server.close();
    database.close();
  }

  @Test
  void sendReachesEverySubscriberItSelectsExactlyOnce() {
    Map<String, Object> match =
        Map.of("cohort", "audience", "role", "HEAD", "plan", "pro", "age", 42, "vip", true);
    subscriber("seg-1", match);
    subscriber("seg-2", with(match, "plan", "team"));
    subscriber("seg-3", with(match, "plan", "free"));
    subscriber("seg-4", with(match, "role", "MEMBER"));
    subscriber("seg-5", with(match, "age", 41));
    subscriber("seg-6", with(match, "vip", false));
    subscriber("seg-7", match);
    subscriber("seg-8", Map.of("cohort", "audience", "role", "HEAD", "plan", "pro", "vip", true));
    for (String id : List.of("top-1", "top-2", "exp-1")) subscriber(id, Map.of("plan", "pro"));
    var joined =
        api.put(
            "/v1/topics/family-42/subscribers",
            Map.of("subscribers", List.of("top-1", "top-2", "seg-7", "seg-1")));
    assertThat(joined.json().get("added").asInt()).isEqualTo(4);

    var accepted =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of(
                    "subscribers", List.of("exp-1", "seg-2"),
                    "topics", List.of("family-42"),
                    "segment",
                        Map.of(
                            "attributes",
                            Map.of(
                                "cohort",
                                "audience",
                                "role",
                                "HEAD",
                                "plan",
                                List.of("pro", "team"),
                                "age",
                                42,
                                "vip",
                                true))),
                "channels",
                List.of("in_app", "email"),
                "title",
                "Hello"));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String id = accepted.json().get("id").asString();

    List<String> expected = List.of("exp-1", "seg-1", "seg-2", "seg-7", "top-1", "top-2");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(api.get("/v1/notifications/" + id).json().get("status").asString())
                    .isEqualTo("sent"));
    JsonNode n = api.get("/v1/notifications/" + id).json();
    assertThat(n.get("counts").get("total").asLong()).isEqualTo(12);
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(12);
    assertThat(n.get("progress").get("recipients_processed").asLong()).isEqualTo(6);

    List<JsonNode> deliveries = deliveries(id);
    assertThat(deliveries).hasSize(12);
    for (String channel : List.of("in_app", "email")) {
      assertThat(
              deliveries.stream()
                  .filter(d -> d.get("channel").asString().equals(channel))
                  .map(d -> d.get("subscriber_id").asString()))
          .as(channel)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    List<Message> mails =
        email.messages().stream().filter(m -> m.notificationId().equals(id)).toList();
    assertThat(mails)
        .extracting(Message::address)
        .containsExactlyInAnyOrderElementsOf(
            expected.stream().map(s -> s + "@example.com").toList());
    for (String s : expected) {
      assertThat(api.get("/v1/inbox/count?subscriber_id=" + s).json().get("total").asLong())
          .as(s)
          .isEqualTo(1);
    }
    assertThat(api.get("/v1/inbox/count?subscriber_id=seg-3").json().get("total").asLong())
        .isZero();
  }

  @Test
  void segmentValuesMatchAttributesOfTheSameJsonType() {
    subscriber("typ-int", Map.of("cohort", "types", "age", 42, "vip", true));
    subscriber("typ-real", Map.of("cohort", "types", "age", 42.0, "vip", "true"));
    subscriber("typ-text", Map.of("cohort", "types", "age", "42", "vip", "yes"));

    assertThat(recipients(Map.of("cohort", "types", "age", 42)))
        .containsExactlyInAnyOrder("typ-int", "typ-real");
    assertThat(recipients(Map.of("cohort", "types", "age", "42"))).containsExactly("typ-text");
    assertThat(recipients(Map.of("cohort", "types", "vip", true))).containsExactly("typ-int");
    assertThat(recipients(Map.of("cohort", "types", "vip", List.of("true", "yes"))))
        .containsExactlyInAnyOrder("typ-real", "typ-text");
  }

  /** Sends in-app to a segment and answers who received it. */
  private List<String> recipients(Map<String, Object> segment) {
    var accepted =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("segment", Map.of("attributes", segment)),
                "channels",
                List.of("in_app"),
                "title",
                "Segment"));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String id = accepted.json().get("id").asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(api.get("/v1/notifications/" + id).json().get("status").asString())
                    .isIn("sent", "failed"));
    return deliveries(id).stream().map(d -> d.get("subscriber_id").asString()).toList();
  }

  @Test
  void concurrentRetriesWithOneIdempotencyKeyCreateOneNotification() throws Exception {
    Map<String, Object> body =
        Map.of(
            "to",
            Map.of("subscribers", List.of("idem-1")),
            "channels",
            List.of("in_app"),
            "title",
            "Order shipped");
    ApiClient keyed = api.withHeader("Idempotency-Key", "order-1234");
    int requests = 20;
    CountDownLatch start = new CountDownLatch(1);
    List<ApiClient.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(requests)) {
      List<Future<ApiClient.Response>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return keyed.post("/v1/notifications", body);
                }));
      }
      start.countDown();
      for (Future<ApiClient.Response> f : futures) answers.add(f.get());
    }

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isIn(200, 202));
    assertThat(answers).filteredOn(a -> a.status() == 202).hasSize(1);
    assertThat(answers)
        .filteredOn(a -> a.status() == 200)
        .allSatisfy(a -> assertThat(a.header("Idempotent-Replayed")).isEqualTo("true"));
    assertThat(answers.stream().map(a -> a.json().get("id").asString()).distinct()).hasSize(1);
    long stored =
        server
            .herald()
            .database()
            .read(
                h ->
                    h.createQuery(
                            "SELECT COUNT(*) FROM notifications WHERE idempotency_key ="
                                + " 'order-1234'")
                        .mapTo(Long.class)
                        .one());
    assertThat(stored).isEqualTo(1);
    assertThat(api.get("/v1/inbox/count?subscriber_id=idem-1").json().get("total").asLong())
        .isEqualTo(1);
  }

  @Test
  void textWithNulCharactersIsRefusedRatherThanStored() {
    // SQLite would keep it; PostgreSQL text and JSONB cannot hold U+0000.
    var attributes =
        api.put("/v1/subscribers/nul-1", "{\"attributes\": {\"name\": \"a\\u0000b\"}}");
    var title =
        api.post(
            "/v1/notifications",
            "{\"to\": {\"subscribers\": [\"nul-1\"]}, \"title\": \"x\\u0000\"}");
    var escapedBackslash =
        api.put("/v1/subscribers/nul-2", "{\"attributes\": {\"path\": \"C:\\\\u0000\"}}");
    String cursor =
        java.util.Base64.getUrlEncoder()
            .encodeToString("c:\u0000".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var page = api.get("/v1/notifications?cursor=" + cursor);
    var category = api.get("/v1/notifications?category=a%00b");
    var path = api.get("/v1/subscribers/a%00b");
    var inbox = api.get("/v1/inbox?subscriber_id=a%00b");

    assertThat(attributes.status()).as(attributes.body()).isEqualTo(400);
    assertThat(title.status()).as(title.body()).isEqualTo(400);
    assertThat(page.status()).as(page.body()).isEqualTo(400);
    assertThat(category.status()).as(category.body()).isEqualTo(400);
    assertThat(path.status()).as(path.body()).isIn(400, 404);
    assertThat(inbox.status()).as(inbox.body()).isIn(400, 404);
    assertThat(escapedBackslash.status()).as("a backslash before u0000 is not NUL").isEqualTo(201);
    assertThat(api.get("/v1/subscribers/nul-2").json().get("attributes").get("path").asString())
        .isEqualTo("C:\\u0000");
  }

  @Test
  void statsCountDevicesByStateOnEveryDatabase() {
    String expo = "ExponentPushToken[stats-device-%s-0123456789]";
    for (String n : List.of("1", "2")) {
      var r =
          api.post(
              "/v1/devices",
              Map.of("subscriber_id", "stats-1", "provider", "expo", "token", expo.formatted(n)));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    String second =
        api.get("/v1/subscribers/stats-1/devices").json().get("data").get(1).get("id").asString();
    assertThat(api.delete("/v1/devices/" + second).status()).isIn(200, 204);

    var stats = api.get("/v1/stats");

    assertThat(stats.status()).as(stats.body()).isEqualTo(200);
    JsonNode devices = stats.json().get("devices");
    assertThat(devices.get("active").asLong()).isEqualTo(1);
    assertThat(devices.get("inactive").asLong()).isEqualTo(1);
    assertThat(devices.get("by_provider").get("expo").asLong()).isEqualTo(1);
    assertThat(stats.json().get("queue").get("critical").get("failed").asLong()).isZero();
  }

  private void subscriber(String id, Map<String, Object> attributes) {
    var r =
        api.put(
            "/v1/subscribers/" + id,
            Map.of("email", id + "@example.com", "attributes", attributes));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> m = new HashMap<>(base);
    m.put(key, value);
    return m;
  }

  private List<JsonNode> deliveries(String notificationId) {
    JsonNode page = api.get("/v1/notifications/" + notificationId + "/deliveries?limit=100").json();
    return StreamSupport.stream(page.get("data").spliterator(), false).toList();
  }
}
