package dev.herald.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Message;
import dev.herald.testing.ApiClient;
import dev.herald.testing.MutableClock;
import dev.herald.testing.RecordingSender;
import dev.herald.testing.Steps;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Digests end to end through the API on each database, with a clock the tests move: notifications
 * of a digest category are kept, and when the window ends each subscriber gets one digest per
 * channel. Subclasses only say which database. Tests share one server, so each uses its own
 * subscribers and categories.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DigestContract {
  private static final String NEWS_TEMPLATE =
      """
      {"default_locale": "en",
       "locales": {"en": {"title": "News: {{headline}}", "body": "{{headline}} in full"},
                   "de": {"title": "Neu: {{headline}}", "body": "{{headline}} ganz"}},
       "digest": {"en": {"title": "{{count}} stories", "body": "{{#items}}[{{title}}]{{/items}}"},
                  "de": {"title": "{{count}} Meldungen für {{subscriber.id}}",
                         "body": "{{#items}}[{{title}}]{{/items}}"}}}
      """;

  private final MutableClock clock = new MutableClock();
  private final RecordingSender push = new RecordingSender();
  private final RecordingSender email = new RecordingSender();
  private TestDatabase database;
  private TestServer server;
  private ApiClient api;

  protected abstract TestDatabase newDatabase();

  @BeforeAll
  void start() {
    database = newDatabase();
    server =
        database
            .server()
            .clock(clock)
            .senders(
                new ChannelSenders()
                    .register("push", "apns", push)
                    .register("email", "smtp", email))
            .start();
    api = server.api();
    var t = api.put("/v1/templates/news-item", NEWS_TEMPLATE);
    assertThat(t.status()).as(t.toString()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    server.close();
    database.close();
  }

  @Test
  void anHourlyCategorySendsOneDigestPerChannelWhenTheHourEnds() {
    category("news", Map.of("digest", "hourly"));
    subscriber("hourly-de", Map.of("locale", "de-AT", "email", "de@example.com"));
    clock.advanceTo(clock.nextHour().plusSeconds(60));

    List<String> ids =
        List.of(news("hourly-de", "Alpha"), news("hourly-de", "Beta"), news("hourly-de", "Gamma"));

    for (String id : ids) {
      JsonNode n = awaitStatus(id, "sent");
      assertThat(n.get("counts").get("sent").asLong()).isEqualTo(1);
      assertThat(n.get("counts").get("skipped").asLong()).isEqualTo(2);
      for (String channel : List.of("push", "email")) {
        JsonNode d = delivery(id, channel);
        assertThat(d.get("status").asString()).isEqualTo("skipped");
        assertThat(d.get("reason").asString()).isEqualTo("digested");
      }
    }
    assertThat(inbox("hourly-de")).as("the inbox gets every item at once").hasSize(3);
    assertThat(push.messagesTo("hourly-de")).isEmpty();
    assertThat(email.messagesTo("hourly-de")).isEmpty();

    clock.advanceTo(clock.nextHour().minusSeconds(1));
    server.herald().wakeWorkers();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(push.messagesTo("hourly-de")).isEmpty());

    clock.advanceTo(clock.nextHour().plusSeconds(1));
    server.herald().wakeWorkers();
    await().untilAsserted(() -> assertThat(push.messagesTo("hourly-de")).hasSize(1));
    await().untilAsserted(() -> assertThat(email.messagesTo("hourly-de")).hasSize(1));
    Message digest = push.messagesTo("hourly-de").getFirst();
    assertThat(digest.content().title()).isEqualTo("3 Meldungen für hourly-de");
    assertThat(digest.content().body()).isEqualTo("[Neu: Alpha][Neu: Beta][Neu: Gamma]");
    assertThat(email.messagesTo("hourly-de").getFirst().content().emailOrDefault().subject())
        .isEqualTo("3 Meldungen für hourly-de");
    assertThat(digest.notificationId()).isNotIn(ids);
    assertThat(email.messagesTo("hourly-de").getFirst().notificationId())
        .isEqualTo(digest.notificationId());
    JsonNode digestNotification = awaitStatus(digest.notificationId(), "sent");
    assertThat(digestNotification.get("category").asString()).isEqualTo("news");
    assertThat(digestNotification.get("counts").get("sent").asLong()).isEqualTo(2);
    assertThat(inbox("hourly-de")).as("no in-app digest: the inbox had them all").hasSize(3);

    // The next window starts empty and holds only what comes after.
    news("hourly-de", "Delta");
    clock.advanceTo(clock.nextHour().plusSeconds(1));
    server.herald().wakeWorkers();
    await().untilAsserted(() -> assertThat(push.messagesTo("hourly-de")).hasSize(2));
    assertThat(push.messagesTo("hourly-de").getLast().content().body()).isEqualTo("[Neu: Delta]");
  }

  @Test
  void aDailyDigestGoesAtNineInTheSubscribersTimeZone() {
    ZoneId newYork = ZoneId.of("America/New_York");
    subscriber("daily-ny", Map.of("timezone", newYork.getId()));
    preferences("daily-ny", Map.of("categories", Map.of("weekly", Map.of("digest", "daily"))));
    ZonedDateTime morning = clock.next(newYork, LocalTime.of(10, 0));
    clock.advanceTo(morning.toInstant());

    String id = send("daily-ny", "weekly", "Roundup", Map.of());
    awaitStatus(id, "sent");
    assertThat(delivery(id, "push").get("reason").asString()).isEqualTo("digested");

    Instant nine = morning.plusDays(1).with(LocalTime.of(9, 0)).toInstant();
    clock.advanceTo(nine.minusSeconds(60));
    server.herald().wakeWorkers();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(push.messagesTo("daily-ny")).isEmpty());
    clock.advanceTo(nine);
    server.herald().wakeWorkers();
    await().untilAsserted(() -> assertThat(push.messagesTo("daily-ny")).hasSize(1));
    Message digest = push.messagesTo("daily-ny").getFirst();
    assertThat(digest.content().title()).isEqualTo("1 new notification");
    assertThat(digest.content().body()).isEqualTo("- Roundup");
  }

  @Test
  void aThrottlesOverflowGoesIntoTheDigestWhenTheThrottleWindowEnds() {
    category("likes", Map.of("throttle", Map.of("max", 1, "per", "1h", "overflow", "digest")));
    subscriber("liked", Map.of());
    clock.advanceTo(clock.nextHour().plusSeconds(60));

    String first = send("liked", "likes", "Ann likes your photo", Map.of());
    String second = send("liked", "likes", "Bob likes your photo", Map.of());
    String third = send("liked", "likes", "Cy likes your photo", Map.of());
    for (String id : List.of(first, second, third)) awaitStatus(id, "sent");
    await().untilAsserted(() -> assertThat(push.messagesTo("liked")).hasSize(1));
    assertThat(inbox("liked")).hasSize(1);

    clock.advanceTo(clock.nextHour().plusSeconds(1));
    server.herald().wakeWorkers();
    await().untilAsserted(() -> assertThat(push.messagesTo("liked")).hasSize(2));
    Message digest = push.messagesTo("liked").getLast();
    assertThat(digest.content().title()).isEqualTo("2 new notifications");
    assertThat(digest.content().body()).isEqualTo("- Bob likes your photo\n- Cy likes your photo");
    await().untilAsserted(() -> assertThat(inbox("liked")).hasSize(2));
    assertThat(inbox("liked").getFirst().get("title").asString()).isEqualTo("2 new notifications");
    assertThat(inbox("liked").getFirst().get("category").asString()).isEqualTo("likes");
  }

  @Test
  void criticalSendsLockedCategoriesAndSubscribersWithDigestsOffAreSentAtOnce() {
    category("alerts", Map.of("digest", "hourly"));
    category("security", Map.of("digest", "daily", "locked", true));
    subscriber("bypass", Map.of());
    subscriber("digest-off", Map.of());
    preferences("digest-off", Map.of("categories", Map.of("alerts", Map.of("digest", "off"))));

    String critical = send("bypass", "alerts", "Smoke", Map.of("priority", "critical"));
    String locked = send("bypass", "security", "New sign-in", Map.of());
    String off = send("digest-off", "alerts", "Heads up", Map.of());
    for (String id : List.of(critical, locked, off))
      assertThat(
              delivery(awaitStatus(id, "sent").get("id").asString(), "push")
                  .get("status")
                  .asString())
          .isEqualTo("sent");
    await().untilAsserted(() -> assertThat(push.messagesTo("bypass")).hasSize(2));
    await().untilAsserted(() -> assertThat(push.messagesTo("digest-off")).hasSize(1));

    var view = api.get("/v1/subscribers/digest-off/preferences").json();
    assertThat(view.get("effective").get("categories").get("alerts").get("digest").isNull())
        .isTrue();
    assertThat(
            api.get("/v1/subscribers/bypass/preferences")
                .json()
                .get("effective")
                .get("categories")
                .get("alerts")
                .get("digest")
                .asString())
        .isEqualTo("hourly");
  }

  @Test
  void aDryRunCountsWhatADigestWouldKeep() {
    category("dry-news", Map.of("digest", "hourly"));
    subscriber("dry-digest", Map.of("email", "dry@example.com"));

    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("dry-digest")),
                "channels",
                List.of("push", "in_app", "email"),
                "category",
                "dry-news",
                "title",
                "Rehearsal",
                "dry_run",
                true));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("skipped").get("digested").asLong()).isEqualTo(2);
    assertThat(r.json().get("audience").get("deliveries").get("in_app").asLong()).isEqualTo(1);
    assertThat(countItems("dry-digest")).isZero();
  }

  @Test
  void aSweepThatRunsAgainSendsNothingTwice() {
    category("twice", Map.of("digest", "hourly"));
    subscriber("twice", Map.of());
    clock.advanceTo(clock.nextHour().plusSeconds(60));
    String id = send("twice", "twice", "Once only", Map.of());
    awaitStatus(id, "sent");
    long window = clock.nextHour().toEpochMilli();
    assertThat(countItems("twice")).isEqualTo(1);

    clock.advanceTo(clock.nextHour().plusSeconds(1));
    server.herald().wakeWorkers();
    await().untilAsserted(() -> assertThat(push.messagesTo("twice")).hasSize(1));
    assertThat(countItems("twice")).isZero();

    // The same window's sweep again, as after a crash before its job was completed.
    String app =
        server
            .herald()
            .database()
            .read(
                h ->
                    h.createQuery("SELECT app_id FROM notifications WHERE id = :id")
                        .bind("id", id)
                        .mapTo(String.class)
                        .one());
    server
        .herald()
        .database()
        .write(
            tx ->
                tx.handle()
                    .createUpdate(
                        "INSERT INTO jobs (lane, kind, app_id, payload, state, run_at, attempts, created_at)"
                            + " VALUES ('bulk', 'digest', :app, :payload, 'ready', :now, 0, :now)")
                    .bind("app", app)
                    .bind("payload", "{\"due_at\":" + window + "}")
                    .bind("now", clock.millis())
                    .execute());
    server.herald().wakeWorkers();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dueSweeps()).isZero());
    assertThat(push.messagesTo("twice")).hasSize(1);
  }

  // --- steps ---

  /** A subscriber with an APNs device. */
  private void subscriber(String id, Map<String, Object> profile) {
    Steps.subscriberWithApnsDevice(api, id, profile);
  }

  private void preferences(String subscriber, Map<String, Object> body) {
    Steps.putPreferences(api, subscriber, body);
  }

  private void category(String key, Map<String, Object> body) {
    var r = Steps.putCategory(api, key, body);
    assertThat(r.json().get("digest").asString(null)).isEqualTo(body.get("digest"));
  }

  private String news(String subscriber, String headline) {
    Map<String, Object> body = new HashMap<>();
    body.put("to", Map.of("subscribers", List.of(subscriber)));
    body.put("channels", List.of("push", "in_app", "email"));
    body.put("category", "news");
    body.put("template", "news-item");
    body.put("vars", Map.of("headline", headline));
    return post(body);
  }

  private String send(String subscriber, String category, String title, Map<String, Object> more) {
    Map<String, Object> body = new HashMap<>(more);
    body.put("to", Map.of("subscribers", List.of(subscriber)));
    body.put("channels", List.of("push", "in_app"));
    body.put("category", category);
    body.put("title", title);
    return post(body);
  }

  /** Sends a second apart, so digests list them in a known order. */
  private String post(Map<String, Object> body) {
    clock.advance(Duration.ofSeconds(1));
    var r = api.post("/v1/notifications", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private JsonNode notification(String id) {
    var r = api.get("/v1/notifications/" + id);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private JsonNode awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(notification(id).get("status").asString()).isEqualTo(status));
    return notification(id);
  }

  private JsonNode delivery(String id, String channel) {
    var r = api.get("/v1/notifications/" + id + "/deliveries?limit=500");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<JsonNode> found =
        r.json()
            .get("data")
            .valueStream()
            .filter(d -> d.get("channel").asString().equals(channel))
            .toList();
    assertThat(found).as(channel + " deliveries of " + id).hasSize(1);
    return found.getFirst();
  }

  private List<JsonNode> inbox(String subscriber) {
    var r = api.get("/v1/inbox?subscriber_id=" + subscriber);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("data").valueStream().toList();
  }

  private long countItems(String subscriber) {
    return server
        .herald()
        .database()
        .read(
            h ->
                h.createQuery("SELECT COUNT(*) FROM digest_items WHERE subscriber_id = :s")
                    .bind("s", subscriber)
                    .mapTo(Long.class)
                    .one());
  }

  private long dueSweeps() {
    return server
        .herald()
        .database()
        .read(
            h ->
                h.createQuery("SELECT COUNT(*) FROM jobs WHERE kind = 'digest' AND run_at <= :now")
                    .bind("now", clock.millis())
                    .mapTo(Long.class)
                    .one());
  }
}
