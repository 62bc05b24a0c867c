package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.DeliverySender;
import dev.herald.delivery.Message;
import dev.herald.delivery.SendOutcome;
import dev.herald.testing.ApiClient;
import dev.herald.testing.MutableClock;
import dev.herald.testing.RecordingSender;
import dev.herald.testing.TestDatabase;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Read-aware escalation end to end through the API, on each database: in-app at once, push after 5
 * minutes and email after an hour unless the in-app item was read. Time is an injected clock the
 * tests move; push, email and SMS go to recording senders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EscalationContract {
  static final String ESCALATION =
      """
      [{"channel": "in_app"}, {"channel": "push", "after": "5m", "unless": "read"},
       {"channel": "email", "after": "1h", "unless": "read"}]""";

  private final MutableClock clock = new MutableClock();
  private final RecordingSender push = new RecordingSender();
  private final RecordingSender email = new RecordingSender();
  private final RetryingFirst sms = new RetryingFirst();
  private TestDatabase database;
  private TestServer server;
  private SendApi herald;

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
                    .register("push", "expo", push)
                    .register("email", "smtp", email)
                    .register("sms", "sms", sms))
            // Pages of two make a broadcast's steps span several pages.
            .fanOutPageSize(2)
            .start();
    herald = new SendApi(server.api());
  }

  @AfterAll
  void stop() {
    server.close();
    database.close();
  }

  @Test
  void nobodyReadsSoPushFollowsAfterFiveMinutesAndEmailAfterAnHourEachOnce() {
    recipient("esc-none");
    String id = send("esc-none");

    JsonNode accepted = herald.notification(id);
    assertThat(accepted.get("status").asString()).isEqualTo("processing");
    assertThat(accepted.get("channels").valueStream().map(JsonNode::asString))
        .containsExactly("in_app");
    assertThat(states(accepted)).containsExactly("done", "scheduled", "scheduled");
    JsonNode pushStep = accepted.get("escalation").get(1);
    assertThat(pushStep.get("after").asString()).isEqualTo("5m");
    assertThat(pushStep.get("unless").asString()).isEqualTo("read");
    assertThat(Instant.parse(pushStep.get("due_at").asString()))
        .isEqualTo(
            Instant.parse(accepted.get("created_at").asString()).plus(Duration.ofMinutes(5)));
    assertThat(herald.inbox("esc-none")).hasSize(1);

    advance(Duration.ofMinutes(4));
    assertNothingMoreSent(id, 0, 0);

    advance(Duration.ofMinutes(1));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));
    JsonNode afterPush = herald.notification(id);
    assertThat(afterPush.get("status").asString())
        .as("email is still to come")
        .isEqualTo("processing");
    assertThat(states(afterPush)).containsExactly("done", "done", "scheduled");
    assertThat(sent(email, id)).isEmpty();

    advance(Duration.ofMinutes(55));
    await().untilAsserted(() -> assertThat(sent(email, id)).hasSize(1));
    JsonNode done = herald.awaitStatus(id, "sent");
    assertThat(states(done)).containsExactly("done", "done", "done");
    assertThat(done.get("counts").get("total").asLong()).isEqualTo(3);
    assertThat(done.get("counts").get("sent").asLong()).isEqualTo(3);
    assertThat(Instant.parse(done.get("finished_at").asString()))
        .isAfterOrEqualTo(Instant.parse(done.get("escalation").get(2).get("due_at").asString()));
    SendApi.assertCountsAddUp(done);
    assertThat(sent(email, id).getFirst().address()).isEqualTo("esc-none@example.com");

    advance(Duration.ofHours(2));
    assertNothingMoreSent(id, 1, 1);
  }

  @Test
  void readingBeforeTheFirstStepCancelsEveryStep() {
    recipient("esc-early");
    String id = send("esc-early");

    advance(Duration.ofMinutes(2));
    read("esc-early");

    advance(Duration.ofMinutes(3));
    await()
        .untilAsserted(
            () -> assertThat(delivery(id, "push").get("status").asString()).isEqualTo("canceled"));
    assertThat(delivery(id, "push").get("reason").asString()).isEqualTo("read");
    assertThat(herald.notification(id).get("status").asString()).isEqualTo("processing");

    advance(Duration.ofMinutes(55));
    JsonNode done = herald.awaitStatus(id, "sent");
    assertThat(delivery(id, "email").get("status").asString()).isEqualTo("canceled");
    assertThat(delivery(id, "email").get("reason").asString()).isEqualTo("read");
    assertThat(done.get("counts").get("sent").asLong()).isEqualTo(1);
    assertThat(done.get("counts").get("canceled").asLong()).isEqualTo(2);
    SendApi.assertCountsAddUp(done);
    assertThat(done.get("escalation").get(1).get("canceled_by_read").asLong()).isEqualTo(1);
    assertThat(sent(push, id)).isEmpty();
    assertThat(sent(email, id)).isEmpty();
  }

  @Test
  void readingBetweenTheStepsSendsPushButCancelsEmail() {
    recipient("esc-between");
    String id = send("esc-between");

    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));
    advance(Duration.ofMinutes(20));
    read("esc-between");

    advance(Duration.ofMinutes(35));
    JsonNode done = herald.awaitStatus(id, "sent");
    assertThat(delivery(id, "push").get("status").asString()).isEqualTo("sent");
    assertThat(delivery(id, "email").get("status").asString()).isEqualTo("canceled");
    assertThat(delivery(id, "email").get("reason").asString()).isEqualTo("read");
    assertThat(done.get("counts").get("sent").asLong()).isEqualTo(2);
    assertThat(done.get("counts").get("canceled").asLong()).isEqualTo(1);
    assertThat(sent(email, id)).isEmpty();
  }

  @Test
  void openingThePushCancelsTheEmail() {
    recipient("esc-opened");
    String id = send("esc-opened");
    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));

    // The app reports the tap with the subscriber's own token, naming the push delivery.
    String token =
        server
            .api()
            .post("/v1/subscribers/esc-opened/token", Map.of())
            .json()
            .get("token")
            .asString();
    ApiClient app =
        new ApiClient(server.baseUrl())
            .withKey(token)
            .withHeader("X-Herald-Key", TestServer.PUBLISHABLE_KEY);
    var opened =
        app.post(
            "/v1/events",
            Map.of("type", "opened", "delivery_id", delivery(id, "push").get("id").asString()));
    assertThat(opened.status()).as(opened.toString()).isEqualTo(202);
    assertThat(herald.inbox("esc-opened").getFirst().get("read_at").isNull()).isFalse();

    advance(Duration.ofMinutes(55));
    JsonNode done = herald.awaitStatus(id, "sent");
    assertThat(delivery(id, "push").get("status").asString()).isEqualTo("opened");
    assertThat(delivery(id, "email").get("status").asString()).isEqualTo("canceled");
    assertThat(delivery(id, "email").get("reason").asString()).isEqualTo("read");
    assertThat(sent(email, id)).isEmpty();
    SendApi.assertCountsAddUp(done);
  }

  @Test
  void aTopicBroadcastEscalatesOnlyToThoseWhoHaveNotRead() {
    List<String> members = List.of("esc-t1", "esc-t2", "esc-t3", "esc-t4", "esc-t5");
    members.forEach(this::recipient);
    herald.join("esc-team", members);
    String id =
        herald.send(
            """
            {"to": {"topics": ["esc-team"]}, "escalation": %s, "title": "Standup moved"}
            """
                .formatted(ESCALATION));
    await().untilAsserted(() -> assertThat(herald.inbox("esc-t5")).hasSize(1));

    read("esc-t1");
    read("esc-t4");
    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(3));
    assertThat(subscribers(sent(push, id))).containsExactlyInAnyOrder("esc-t2", "esc-t3", "esc-t5");

    read("esc-t3");
    advance(Duration.ofMinutes(55));
    JsonNode done = herald.awaitStatus(id, "sent");
    assertThat(subscribers(sent(email, id))).containsExactlyInAnyOrder("esc-t2", "esc-t5");
    assertThat(sent(push, id)).hasSize(3);
    assertThat(canceledSubscribers(id, "push")).containsExactlyInAnyOrder("esc-t1", "esc-t4");
    assertThat(canceledSubscribers(id, "email"))
        .containsExactlyInAnyOrder("esc-t1", "esc-t3", "esc-t4");
    assertThat(done.get("counts").get("total").asLong()).isEqualTo(15);
    assertThat(done.get("counts").get("sent").asLong()).isEqualTo(10);
    assertThat(done.get("counts").get("canceled").asLong()).isEqualTo(5);
    assertThat(done.get("escalation").get(1).get("recipients_processed").asLong()).isEqualTo(5);
    SendApi.assertCountsAddUp(done);
  }

  @Test
  void aReadCancelsAStepsDeliveriesStillWaitingToBeSent() {
    recipient("esc-pending");
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["esc-pending"]}, "title": "Your code",
             "escalation": [{"channel": "in_app"}, {"channel": "sms", "after": "5m", "unless": "read"}]}
            """);
    advance(Duration.ofMinutes(5));
    // The SMS provider asks to retry in 10 minutes: the delivery waits, pending.
    await().untilAsserted(() -> assertThat(sms.calls(id)).isEqualTo(1));
    await()
        .untilAsserted(() -> assertThat(delivery(id, "sms").get("attempts").asInt()).isEqualTo(1));
    assertThat(delivery(id, "sms").get("status").asString()).isEqualTo("pending");

    read("esc-pending");
    JsonNode sms = delivery(id, "sms");
    assertThat(sms.get("status").asString()).isEqualTo("canceled");
    assertThat(sms.get("reason").asString()).isEqualTo("read");
    JsonNode done = herald.notification(id);
    assertThat(done.get("status").asString()).as("nothing is left to do").isEqualTo("sent");
    assertThat(done.get("counts").get("pending").asLong()).isZero();
    assertThat(done.get("counts").get("canceled").asLong()).isEqualTo(1);
    SendApi.assertCountsAddUp(done);

    advance(Duration.ofMinutes(15));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(this.sms.calls(id)).isEqualTo(1));
  }

  @Test
  void readAllCancelsToo() {
    recipient("esc-all");
    String id = send("esc-all");
    var r = herald.client().post("/v1/inbox/read-all?subscriber_id=esc-all", Map.of());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);

    advance(Duration.ofHours(1));
    herald.awaitStatus(id, "sent");
    assertThat(delivery(id, "push").get("reason").asString()).isEqualTo("read");
    assertThat(delivery(id, "email").get("reason").asString()).isEqualTo("read");
  }

  @Test
  void cancelingTheNotificationCancelsItsRemainingSteps() {
    recipient("esc-cancel");
    String id = send("esc-cancel");
    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));

    var r = herald.client().post("/v1/notifications/" + id + "/cancel", "{}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("status").asString()).isEqualTo("canceled");
    assertThat(states(r.json())).containsExactly("done", "done", "canceled");

    advance(Duration.ofHours(2));
    assertNothingMoreSent(id, 1, 0);
    assertThat(herald.deliveries(id).stream().map(d -> d.get("channel").asString()))
        .doesNotContain("email");
  }

  @Test
  void aScheduledSendCountsItsStepsFromSendAt() {
    recipient("esc-later");
    Instant sendAt = clock.instant().plus(Duration.ofMinutes(10));
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["esc-later"]}, "title": "Reminder", "send_at": "%s",
             "escalation": [{"channel": "in_app"}, {"channel": "push", "after": "5m", "unless": "read"}]}
            """
                .formatted(sendAt));
    JsonNode scheduled = herald.notification(id);
    assertThat(states(scheduled)).containsExactly("scheduled", "scheduled");
    assertThat(scheduled.get("escalation").get(1).get("due_at").asString())
        .isEqualTo(sendAt.plus(Duration.ofMinutes(5)).toString());

    advance(Duration.ofMinutes(6));
    assertNothingMoreSent(id, 0, 0);
    advance(Duration.ofMinutes(4));
    await().untilAsserted(() -> assertThat(herald.inbox("esc-later")).hasSize(1));
    assertThat(sent(push, id)).isEmpty();
    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));
    herald.awaitStatus(id, "sent");
  }

  @Test
  void anEscalatedPushCountsItsLatencyFromWhenItsStepCameDue() {
    recipient("esc-latency");
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["esc-latency"]}, "title": "Alarm", "priority": "critical",
             "escalation": [{"channel": "in_app"}, {"channel": "push", "after": "5m"}]}
            """);
    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));

    // The clock stood still since the step came due: the push took no time, not five minutes.
    String metrics = server.anonymous().get("/metrics").body();
    assertThat(latencies(metrics, "0.5")).as("in-app and push within half a second").isEqualTo(2);
    assertThat(latencies(metrics, "+Inf")).isEqualTo(2);
  }

  @Test
  void aSyncSendDeliversItsFirstStepInTheRequestAndTheRestLater() {
    recipient("esc-sync");
    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["esc-sync"]}, "title": "Code 123456", "sync": true,
                 "escalation": [{"channel": "in_app"}, {"channel": "email", "after": "1m"}]}
                """);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("status").asString()).isEqualTo("processing");
    assertThat(r.json().get("deliveries").valueStream().map(d -> d.get("channel").asString()))
        .containsExactly("in_app");
    String id = r.json().get("id").asString();

    advance(Duration.ofMinutes(1));
    await().untilAsserted(() -> assertThat(sent(email, id)).hasSize(1));
    herald.awaitStatus(id, "sent");
  }

  @Test
  void aTemplatedSendEscalatesInTheRecipientsLanguage() {
    var t =
        herald
            .client()
            .put(
                "/v1/templates/esc-approval",
                """
                {"default_locale": "en",
                 "locales": {"en": {"title": "{{event}} needs your approval"},
                             "de": {"title": "{{event}} wartet auf dich"}}}
                """);
    assertThat(t.status()).as(t.toString()).isIn(200, 201);
    recipient("esc-de");
    herald.subscriber("esc-de", Map.of("locale", "de-AT", "email", "esc-de@example.com"));
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["esc-de"]}, "template": "esc-approval", "vars": {"event": "Picknick"},
             "escalation": [{"channel": "in_app"}, {"channel": "push", "after": "5m", "unless": "read"}]}
            """);
    assertThat(herald.inbox("esc-de").getFirst().get("title").asString())
        .isEqualTo("Picknick wartet auf dich");

    advance(Duration.ofMinutes(5));
    await().untilAsserted(() -> assertThat(sent(push, id)).hasSize(1));
    assertThat(sent(push, id).getFirst().content().title()).isEqualTo("Picknick wartet auf dich");
    herald.awaitStatus(id, "sent");
  }

  @Test
  void dryRunCountsEveryStepAndListsThem() {
    recipient("esc-dry");
    var r =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["esc-dry", "esc-dry-nobody"]}, "title": "Hi", "dry_run": true,
                 "escalation": %s}
                """
                    .formatted(ESCALATION));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode deliveries = r.json().get("audience").get("deliveries");
    assertThat(deliveries.get("in_app").asLong()).isEqualTo(2);
    assertThat(deliveries.get("push").get("expo").asLong()).isEqualTo(1);
    assertThat(deliveries.get("email").asLong()).isEqualTo(1);
    assertThat(r.json().get("skipped").get("no_device").asLong()).isEqualTo(1);
    JsonNode steps = r.json().get("escalation");
    assertThat(steps.valueStream().map(s -> s.get("channel").asString()))
        .containsExactly("in_app", "push", "email");
    assertThat(steps.get(2).get("after").asString()).isEqualTo("1h");
    assertThat(herald.inbox("esc-dry")).isEmpty();
  }

  @Test
  void invalidEscalationsAreRefusedNamingEachField() {
    var badDurations =
        post(
            """
            [{"channel": "in_app", "after": "1m"}, {"channel": "push", "after": "soon"},
             {"channel": "email", "after": "31d"}]""");
    SendApi.assertProblemNaming(badDurations, 400, "escalation[0].after");
    SendApi.assertProblemNaming(badDurations, 400, "escalation[1].after");
    SendApi.assertProblemNaming(badDurations, 400, "escalation[2].after");

    var notIncreasing =
        post(
            """
            [{"channel": "in_app"}, {"channel": "push", "after": "1h"}, {"channel": "email", "after": "5m"},
             {"channel": "sms"}]""");
    SendApi.assertProblemNaming(notIncreasing, 400, "escalation[2].after");
    SendApi.assertProblemNaming(notIncreasing, 400, "escalation[3].after");

    var unlessWithoutInApp =
        post(
            """
            [{"channel": "push"}, {"channel": "email", "after": "1h", "unless": "read"}]""");
    SendApi.assertProblemNaming(unlessWithoutInApp, 400, "escalation");

    var badUnless =
        post(
            """
            [{"channel": "in_app", "unless": "read"}, {"channel": "push", "after": "5m", "unless": "clicked"}]""");
    SendApi.assertProblemNaming(badUnless, 400, "escalation[0].unless");
    SendApi.assertProblemNaming(badUnless, 400, "escalation[1].unless");

    var duplicate =
        post(
            """
            [{"channel": "in_app"}, {"channel": "push", "after": "5m"}, {"channel": "push", "after": "1h"}]""");
    SendApi.assertProblemNaming(duplicate, 400, "escalation[2].channel");

    var unknownChannel =
        post(
            """
        [{"channel": "in_app"}, {"channel": "fax", "after": "5m"}]""");
    SendApi.assertProblemNaming(unknownChannel, 400, "escalation[1].channel");

    var empty = post("[]");
    SendApi.assertProblemNaming(empty, 400, "escalation");

    var withChannels =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"subscribers": ["esc-v"]}, "title": "x", "channels": ["push"], "escalation": %s}
                """
                    .formatted(ESCALATION));
    SendApi.assertProblemNaming(withChannels, 400, "channels");

    var toDevices =
        herald
            .client()
            .post(
                "/v1/notifications",
                """
                {"to": {"tokens": [{"provider": "expo", "token": "ExponentPushToken[escvalidxxxxxxxxxxxx]"}]},
                 "title": "x", "escalation": %s}
                """
                    .formatted(ESCALATION));
    SendApi.assertProblemNaming(toDevices, 400, "to.tokens");

    var unknownField =
        post(
            """
        [{"channel": "in_app", "delay": "5m"}]""");
    assertThat(unknownField.status()).as(unknownField.toString()).isEqualTo(400);
    assertThat(herald.inbox("esc-v")).isEmpty();
  }

  // --- helpers ---

  private ApiClient.Response post(String escalation) {
    return herald
        .client()
        .post(
            "/v1/notifications",
            """
            {"to": {"subscribers": ["esc-v"]}, "title": "x", "escalation": %s}
            """
                .formatted(escalation));
  }

  /** A subscriber with an email address, a phone number and one Expo device. */
  private void recipient(String id) {
    herald.subscriber(id, Map.of("email", id + "@example.com", "phone", "+14155550123"));
    herald.device(
        Map.of(
            "subscriber_id",
            id,
            "provider",
            "expo",
            "token",
            "ExponentPushToken[" + id + "-" + "x".repeat(20) + "]"));
  }

  private String send(String subscriber) {
    return herald.send(
        """
        {"to": {"subscribers": ["%s"]}, "escalation": %s, "title": "Approve the event",
         "body": "Family dinner on Friday"}
        """
            .formatted(subscriber, ESCALATION));
  }

  private void read(String subscriber) {
    String item = herald.inbox(subscriber).getFirst().get("id").asString();
    var r =
        herald.client().post("/v1/inbox/" + item + "/read?subscriber_id=" + subscriber, Map.of());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  /** Moves the clock and wakes the workers, which otherwise look again only every few seconds. */
  private void advance(Duration d) {
    clock.advance(d);
    server.herald().wakeWorkers();
  }

  private void assertNothingMoreSent(String id, int pushes, int emails) {
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(sent(push, id)).hasSize(pushes);
              assertThat(sent(email, id)).hasSize(emails);
            });
  }

  private static List<Message> sent(RecordingSender sender, String notificationId) {
    return sender.messages().stream()
        .filter(m -> m.notificationId().equals(notificationId))
        .toList();
  }

  private static Set<String> subscribers(List<Message> messages) {
    return messages.stream().map(Message::subscriberId).collect(Collectors.toSet());
  }

  private List<String> states(JsonNode notification) {
    return notification
        .get("escalation")
        .valueStream()
        .map(s -> s.get("state").asString())
        .toList();
  }

  /** The notification's only delivery on {@code channel}. */
  private JsonNode delivery(String id, String channel) {
    List<JsonNode> on =
        herald.deliveries(id).stream()
            .filter(d -> d.get("channel").asString().equals(channel))
            .toList();
    assertThat(on).as(channel + " deliveries").hasSize(1);
    return on.getFirst();
  }

  private Set<String> canceledSubscribers(String id, String channel) {
    return herald.deliveries(id, "canceled").stream()
        .filter(d -> d.get("channel").asString().equals(channel))
        .peek(d -> assertThat(d.get("reason").asString()).isEqualTo("read"))
        .map(d -> d.get("subscriber_id").asString())
        .collect(Collectors.toSet());
  }

  private static long latencies(String metrics, String le) {
    Matcher m =
        Pattern.compile(
                "herald_notification_latency_seconds_bucket\\{lane=\"critical\",le=\""
                    + Pattern.quote(le)
                    + "\"} (\\d+)")
            .matcher(metrics);
    assertThat(m.find()).as("bucket le=" + le).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** A provider that asks for a retry in 10 minutes the first time it sees a message. */
  static final class RetryingFirst implements DeliverySender {
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();
    private final List<Message> calls = new CopyOnWriteArrayList<>();

    @Override
    public List<SendOutcome> send(List<Message> batch) {
      calls.addAll(batch);
      return batch.stream()
          .<SendOutcome>map(
              m ->
                  seen.merge(m.deliveryId(), 1, Integer::sum) == 1
                      ? new SendOutcome.Retry("busy", Duration.ofMinutes(10))
                      : new SendOutcome.Accepted("sms-" + m.deliveryId()))
          .toList();
    }

    long calls(String notificationId) {
      return calls.stream().filter(m -> m.notificationId().equals(notificationId)).count();
    }
  }
}
