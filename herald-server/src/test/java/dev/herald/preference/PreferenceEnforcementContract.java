package dev.herald.preference;

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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Preferences, quiet hours and throttles enforced by fan-out, end to end through the API on each
 * database, with a clock the tests move. Fan-out pages hold two subscribers, so topic sends span
 * several pages. Subclasses only say which database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PreferenceEnforcementContract {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

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
  void aGlobalOptOutSkipsThatChannelInEveryCategory() {
    subscriber("opt-global", Map.of("email", "opt-global@example.com"));
    preferences("opt-global", Map.of("channels", Map.of("push", false)));

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("opt-global")),
                "channels",
                List.of("push", "in_app", "email"),
                "category",
                "orders",
                "title",
                "Shipped"));
    String plain =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("opt-global")),
                "channels",
                List.of("push"),
                "title",
                "Hi"));

    JsonNode n = awaitStatus(id, "sent");
    assertThat(n.get("counts").get("skipped").asLong()).isEqualTo(1);
    assertThat(n.get("counts").get("sent").asLong()).isEqualTo(2);
    assertThat(delivery(id, "push").get("status").asString()).isEqualTo("skipped");
    assertThat(delivery(id, "push").get("reason").asString()).isEqualTo("preferences");
    assertThat(delivery(id, "in_app").get("status").asString()).isEqualTo("sent");
    await().untilAsserted(() -> assertThat(email.messagesTo("opt-global")).hasSize(1));
    assertThat(
            delivery(awaitStatus(plain, "sent").get("id").asString(), "push")
                .get("reason")
                .asString())
        .isEqualTo("preferences");
    assertThat(push.messagesTo("opt-global")).isEmpty();
    assertThat(inbox("opt-global")).hasSize(1);
  }

  @Test
  void anInAppOptOutSetWithTheSubscribersTokenKeepsTheItemOutOfTheInbox() {
    subscriber("opt-inbox", Map.of());
    var token = api.post("/v1/subscribers/opt-inbox/token", "{}").json().get("token").asString();
    var r =
        new ApiClient(server.baseUrl())
            .withKey(token)
            .put("/v1/inbox/preferences", Map.of("channels", Map.of("in_app", false)));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("opt-inbox")),
                "channels",
                List.of("push", "in_app"),
                "title",
                "Quietly"));

    awaitStatus(id, "sent");
    assertThat(delivery(id, "in_app").get("reason").asString()).isEqualTo("preferences");
    await().untilAsserted(() -> assertThat(push.messagesTo("opt-inbox")).hasSize(1));
    assertThat(inbox("opt-inbox")).isEmpty();
  }

  @Test
  void aCategoryOptOutSkipsOnlyThatCategory() {
    subscriber("opt-category", Map.of());
    preferences(
        "opt-category",
        Map.of("categories", Map.of("marketing", Map.of("channels", Map.of("push", false)))));

    String marketing =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("opt-category")),
                "channels",
                List.of("push"),
                "category",
                "marketing",
                "title",
                "Sale"));
    String orders =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("opt-category")),
                "channels",
                List.of("push"),
                "category",
                "orders",
                "title",
                "Shipped"));

    awaitStatus(marketing, "sent");
    awaitStatus(orders, "sent");
    assertThat(delivery(marketing, "push").get("reason").asString()).isEqualTo("preferences");
    assertThat(push.messagesTo("opt-category"))
        .extracting(Message::notificationId)
        .containsExactly(orders);
  }

  @Test
  void anAppDefaultOffSkipsUnlessTheSubscriberTurnsTheCategoryOn() {
    category("weekly", Map.of("default_channels", Map.of("push", false)));
    subscriber("default-none", Map.of());
    subscriber("default-on", Map.of());
    subscriber("default-global-on", Map.of());
    preferences(
        "default-on",
        Map.of("categories", Map.of("weekly", Map.of("channels", Map.of("push", true)))));
    preferences("default-global-on", Map.of("channels", Map.of("push", true)));

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("default-none", "default-on", "default-global-on")),
                "channels",
                List.of("push"),
                "category",
                "weekly",
                "title",
                "Digest"));

    awaitStatus(id, "sent");
    Map<String, String> reasons = new java.util.HashMap<>();
    for (JsonNode d : deliveries(id))
      reasons.put(
          d.get("subscriber_id").asString(),
          d.get("status").asString() + "/" + d.get("reason").asString(""));
    assertThat(reasons)
        .isEqualTo(
            Map.of(
                "default-none",
                "skipped/preferences",
                "default-on",
                "sent/",
                "default-global-on",
                "skipped/preferences"));
  }

  @Test
  void aLockedCategoryIgnoresOptOutsAndQuietHours() {
    category("security", Map.of("locked", true));
    subscriber("locked-out", Map.of());
    preferences(
        "locked-out",
        Map.of(
            "channels",
            Map.of("push", false, "in_app", false),
            "categories",
            Map.of("security", Map.of("channels", Map.of("push", false))),
            "quiet_hours",
            quietNow()));

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("locked-out")),
                "channels",
                List.of("push", "in_app"),
                "category",
                "security",
                "title",
                "New sign-in"));

    awaitStatus(id, "sent");
    assertThat(deliveries(id))
        .allSatisfy(d -> assertThat(d.get("status").asString()).isEqualTo("sent"));
    assertThat(push.messagesTo("locked-out")).hasSize(1);
    assertThat(inbox("locked-out")).hasSize(1);
  }

  @Test
  void quietHoursHoldPushAndEmailUntilTheWindowEndsInTheSubscribersZone() {
    subscriber("quiet-berlin", Map.of("timezone", "Europe/Berlin", "email", "quiet@example.com"));
    preferences("quiet-berlin", Map.of("quiet_hours", Map.of("start", "22:00", "end", "07:00")));
    ZonedDateTime evening = clock.next(BERLIN, LocalTime.of(22, 30));
    clock.advanceTo(evening.toInstant());

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("quiet-berlin")),
                "channels",
                List.of("push", "in_app", "email"),
                "title",
                "Good night"));

    assertThat(inbox("quiet-berlin")).as("the inbox item is silent: stored at once").hasSize(1);
    JsonNode n = notification(id);
    assertThat(n.get("status").asString()).isEqualTo("processing");
    assertThat(n.get("counts").get("pending").asLong()).isEqualTo(2);
    for (String channel : List.of("push", "email")) {
      assertThat(delivery(id, channel).get("status").asString()).isEqualTo("pending");
      assertThat(delivery(id, channel).get("reason").asString()).isEqualTo("quiet_hours");
    }
    Instant morning = evening.plusDays(1).with(LocalTime.of(7, 0)).toInstant();
    clock.advanceTo(morning.minusSeconds(60));
    server.herald().wakeWorkers();
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(push.messagesTo("quiet-berlin")).isEmpty();
              assertThat(email.messagesTo("quiet-berlin")).isEmpty();
            });

    clock.advanceTo(morning);
    server.herald().wakeWorkers();
    JsonNode done = awaitStatus(id, "sent");
    assertThat(done.get("counts").get("sent").asLong()).isEqualTo(3);
    assertThat(push.messagesTo("quiet-berlin")).hasSize(1);
    assertThat(email.messagesTo("quiet-berlin")).hasSize(1);
    assertThat(delivery(id, "push").get("reason").isNull()).isTrue();
  }

  @Test
  void criticalNotificationsGoThroughQuietHoursButNotOptOuts() {
    subscriber("quiet-critical", Map.of());
    preferences("quiet-critical", Map.of("quiet_hours", quietNow()));
    subscriber("critical-opted-out", Map.of());
    preferences("critical-opted-out", Map.of("channels", Map.of("push", false)));

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("quiet-critical", "critical-opted-out")),
                "channels",
                List.of("push"),
                "priority",
                "critical",
                "title",
                "Smoke alarm"));

    awaitStatus(id, "sent");
    assertThat(push.messagesTo("quiet-critical")).hasSize(1);
    assertThat(push.messagesTo("critical-opted-out")).isEmpty();
  }

  @Test
  void theFourthNotificationInAWindowIsThrottledAndTheNextWindowIsOpen() {
    category("chat", Map.of("throttle", Map.of("max", 3, "per", "1h")));
    subscriber("throttled", Map.of());
    clock.advanceTo(clock.nextHour().plusSeconds(60));

    List<String> ids = new java.util.ArrayList<>();
    for (int i = 1; i <= 4; i++) ids.add(send(chat("throttled", "Message " + i)));

    for (String id : ids) awaitStatus(id, "sent");
    for (String id : ids.subList(0, 3))
      assertThat(deliveries(id))
          .allSatisfy(d -> assertThat(d.get("status").asString()).isEqualTo("sent"));
    assertThat(deliveries(ids.get(3)))
        .hasSize(2)
        .allSatisfy(
            d -> {
              assertThat(d.get("status").asString()).isEqualTo("skipped");
              assertThat(d.get("reason").asString()).isEqualTo("throttled");
            });
    assertThat(notification(ids.get(3)).get("counts").get("skipped").asLong()).isEqualTo(2);
    assertThat(inbox("throttled")).hasSize(3);
    await().untilAsserted(() -> assertThat(push.messagesTo("throttled")).hasSize(3));

    clock.advance(Duration.ofHours(1));
    String nextWindow = send(chat("throttled", "Message 5"));
    awaitStatus(nextWindow, "sent");
    assertThat(deliveries(nextWindow))
        .allSatisfy(d -> assertThat(d.get("status").asString()).isEqualTo("sent"));
    await().untilAsserted(() -> assertThat(push.messagesTo("throttled")).hasSize(4));
  }

  @Test
  void concurrentSendsToOneSubscriberNeverExceedTheLimit() throws Exception {
    category("burst", Map.of("throttle", Map.of("max", 3, "per", "1h")));
    subscriber("burst", Map.of());
    clock.advanceTo(clock.nextHour().plusSeconds(60));

    List<Future<String>> sends = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 16; i++) {
        Map<String, Object> body =
            Map.of(
                "to",
                Map.of("subscribers", List.of("burst")),
                "channels",
                List.of("in_app"),
                "category",
                "burst",
                "title",
                "Burst " + i);
        sends.add(pool.submit(() -> send(body)));
      }
    }

    long sent = 0;
    for (Future<String> f : sends)
      sent += awaitStatus(f.get(), "sent").get("counts").get("sent").asLong();
    assertThat(sent).isEqualTo(3);
    assertThat(inbox("burst")).hasSize(3);
  }

  @Test
  void aLongExplicitListIsCountedInChunks() {
    category("announcements", Map.of("throttle", Map.of("max", 1, "per", "1d")));
    List<String> everyone = new ArrayList<>();
    for (int i = 0; i < ThrottleRepository.CHUNK + 100; i++) everyone.add("crowd-" + i);
    Map<String, Object> body =
        Map.of(
            "to",
            Map.of("subscribers", everyone),
            "channels",
            List.of("in_app"),
            "category",
            "announcements",
            "title",
            "Opening hours");
    clock.advanceTo(clock.nextHour().plusSeconds(60));

    JsonNode first = awaitStatus(send(body), "sent");
    JsonNode second = awaitStatus(send(body), "sent");

    assertThat(first.get("counts").get("sent").asLong()).isEqualTo(everyone.size());
    assertThat(second.get("counts").get("skipped").asLong()).isEqualTo(everyone.size());
    assertThat(inbox(everyone.getLast())).hasSize(1);
  }

  @Test
  void overflowIntoADigestIsRecordedForTheDigest() {
    category("likes", Map.of("throttle", Map.of("max", 1, "per", "1h", "overflow", "digest")));
    subscriber("digested", Map.of());
    clock.advanceTo(clock.nextHour().plusSeconds(60));

    String first =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("digested")),
                "channels",
                List.of("push", "in_app"),
                "category",
                "likes",
                "title",
                "Ann likes your photo"));
    String second =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("digested")),
                "channels",
                List.of("push", "in_app"),
                "category",
                "likes",
                "title",
                "Bob likes your photo"));

    awaitStatus(first, "sent");
    awaitStatus(second, "sent");
    assertThat(deliveries(second))
        .allSatisfy(d -> assertThat(d.get("reason").asString()).isEqualTo("digested"));
    List<Map<String, Object>> recorded =
        server
            .herald()
            .database()
            .read(
                h ->
                    h.createQuery(
                            "SELECT notification_id, subscriber_id, category, channel FROM digest_items WHERE subscriber_id = 'digested' ORDER BY channel")
                        .mapToMap()
                        .list());
    assertThat(recorded)
        .containsExactly(
            Map.of(
                "notification_id",
                second,
                "subscriber_id",
                "digested",
                "category",
                "likes",
                "channel",
                "in_app"),
            Map.of(
                "notification_id",
                second,
                "subscriber_id",
                "digested",
                "category",
                "likes",
                "channel",
                "push"));
    assertThat(inbox("digested")).hasSize(1);
  }

  @Test
  void aTopicSendCountsEachSubscriberOnceThoughListedSubscribersGetTheirInboxItemAtAcceptance() {
    category("mixed", Map.of("throttle", Map.of("max", 1, "per", "1h")));
    List<String> members = List.of("mix-1", "mix-2", "mix-3");
    for (String s : members) subscriber(s, Map.of());
    subscriber("mix-listed", Map.of());
    var joined = api.put("/v1/topics/mixed-topic/subscribers", Map.of("subscribers", members));
    assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
    clock.advanceTo(clock.nextHour().plusSeconds(60));
    Map<String, Object> body =
        Map.of(
            "to",
            Map.of("topics", List.of("mixed-topic"), "subscribers", List.of("mix-listed")),
            "channels",
            List.of("in_app", "push"),
            "category",
            "mixed",
            "title",
            "Hello all");

    String first = send(body);
    JsonNode sent = awaitStatus(first, "sent");
    assertThat(sent.get("counts").get("sent").asLong()).isEqualTo(8);
    String second = send(body);
    JsonNode throttled = awaitStatus(second, "sent");

    assertThat(throttled.get("counts").get("skipped").asLong()).isEqualTo(8);
    assertThat(deliveries(second))
        .allSatisfy(d -> assertThat(d.get("reason").asString()).isEqualTo("throttled"));
    for (String s : List.of("mix-1", "mix-2", "mix-3", "mix-listed")) {
      assertThat(inbox(s)).as(s).hasSize(1);
      assertThat(push.messagesTo(s))
          .as(s)
          .extracting(Message::notificationId)
          .containsExactly(first);
    }
  }

  @Test
  void anEscalatedStepHonoursOptOutsAndQuietHours() {
    subscriber("esc-opted-out", Map.of());
    preferences("esc-opted-out", Map.of("channels", Map.of("push", false)));
    subscriber("esc-quiet", Map.of());
    preferences("esc-quiet", Map.of("quiet_hours", quietNow()));
    subscriber("esc-plain", Map.of());

    String id =
        send(
            Map.of(
                "to",
                Map.of("subscribers", List.of("esc-opted-out", "esc-quiet", "esc-plain")),
                "title",
                "Approve the event",
                "escalation",
                List.of(Map.of("channel", "in_app"), Map.of("channel", "push", "after", "5m"))));
    clock.advance(Duration.ofMinutes(5));
    server.herald().wakeWorkers();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(push.messagesTo("esc-plain")).hasSize(1));
    Map<String, String> push = new java.util.HashMap<>();
    for (JsonNode d : deliveries(id)) {
      if (d.get("channel").asString().equals("push")) {
        push.put(
            d.get("subscriber_id").asString(),
            d.get("status").asString() + "/" + d.get("reason").asString(""));
      }
    }
    assertThat(push)
        .isEqualTo(
            Map.of(
                "esc-opted-out",
                "skipped/preferences",
                "esc-quiet",
                "pending/quiet_hours",
                "esc-plain",
                "sent/"));
  }

  @Test
  void aDryRunCountsWhatPreferencesAndQuietHoursWouldSkipWithoutWriting() {
    subscriber("dry-opted-out", Map.of());
    preferences("dry-opted-out", Map.of("channels", Map.of("push", false)));
    subscriber("dry-quiet", Map.of());
    preferences("dry-quiet", Map.of("quiet_hours", quietNow()));
    subscriber("dry-plain", Map.of());

    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("dry-opted-out", "dry-quiet", "dry-plain")),
                "channels",
                List.of("push", "in_app"),
                "title",
                "Rehearsal",
                "dry_run",
                true));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode skipped = r.json().get("skipped");
    assertThat(skipped.get("preferences").asLong()).isEqualTo(1);
    assertThat(skipped.get("quiet_hours").asLong()).isEqualTo(1);
    JsonNode deliveries = r.json().get("audience").get("deliveries");
    assertThat(deliveries.get("push").get("apns").asLong()).isEqualTo(1);
    assertThat(deliveries.get("in_app").asLong()).isEqualTo(3);
    for (String s : List.of("dry-opted-out", "dry-quiet", "dry-plain")) {
      assertThat(inbox(s)).isEmpty();
      assertThat(push.messagesTo(s)).isEmpty();
    }
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
    Steps.putCategory(api, key, body);
  }

  private String send(Map<String, Object> body) {
    var r = api.post("/v1/notifications", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private static Map<String, Object> chat(String subscriber, String title) {
    return Map.of(
        "to",
        Map.of("subscribers", List.of(subscriber)),
        "channels",
        List.of("push", "in_app"),
        "category",
        "chat",
        "title",
        title);
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

  private List<JsonNode> deliveries(String id) {
    var r = api.get("/v1/notifications/" + id + "/deliveries?limit=500");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("data").valueStream().toList();
  }

  /** The one delivery of a notification on {@code channel}. */
  private JsonNode delivery(String id, String channel) {
    List<JsonNode> found =
        deliveries(id).stream().filter(d -> d.get("channel").asString().equals(channel)).toList();
    assertThat(found).as(channel + " deliveries of " + id).hasSize(1);
    return found.getFirst();
  }

  private List<JsonNode> inbox(String subscriber) {
    var r = api.get("/v1/inbox?subscriber_id=" + subscriber);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("data").valueStream().toList();
  }

  /** A quiet window (UTC) from an hour ago to two hours ahead on the test clock. */
  private Map<String, Object> quietNow() {
    LocalTime now = LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return Map.of(
        "start", hhmm(now.minusHours(1)), "end", hhmm(now.plusHours(2)), "timezone", "UTC");
  }

  private static String hhmm(LocalTime t) {
    return "%02d:%02d".formatted(t.getHour(), t.getMinute());
  }
}
