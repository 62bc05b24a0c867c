package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.ChannelSenders;
import dev.herald.delivery.Content;
import dev.herald.delivery.Message;
import dev.herald.testing.ApiClient;
import dev.herald.testing.MutableClock;
import dev.herald.testing.RecordingSender;
import dev.herald.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sends that name a template: each recipient's inbox item, push and email rendered in their
 * language from the version the notification recorded, and sends lacking a variable refused.
 */
class TemplatedSendTest {
  static final String EVENT_APPROVED =
      """
      {"default_locale": "en",
       "locales": {
         "en": {"title": "{{event}} approved", "body": "See you on {{day}}", "url": "https://example.com/e/{{id}}",
                "data": {"event_id": "{{id}}"},
                "email": {"subject": "{{event}} approved", "html": "<p>{{event}} on {{day}}</p>", "text": "{{event}} on {{day}}"},
                "sms": {"text": "{{event}}: {{day}}"}},
         "de": {"title": "{{event}} genehmigt", "body": "Bis {{day}}"}}}
      """;

  static final MutableClock clock = new MutableClock();
  static final RecordingSender push = new RecordingSender();
  static final RecordingSender email = new RecordingSender();
  static TestServer server;
  static ApiClient api;
  static SendApi herald;

  @BeforeAll
  static void start() {
    server =
        TestServer.builder()
            .clock(clock)
            .senders(
                new ChannelSenders()
                    .register("push", "expo", push)
                    .register("email", "smtp", email))
            .start();
    api = server.api();
    herald = new SendApi(api);
    template("event-approved", EVENT_APPROVED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eachSubscriberGetsTheTemplateInTheirLanguageAndTheNotificationRecordsTheVersion() {
    herald.subscriber("lang-en", Map.of("locale", "en-US"));
    herald.subscriber("lang-de", Map.of("locale", "de-AT"));
    herald.subscriber("lang-none", Map.of());

    var r =
        api.post(
            "/v1/notifications",
            """
            {"to": {"subscribers": ["lang-en", "lang-de", "lang-none", "lang-new"]}, "channels": ["in_app"],
             "template": "event-approved", "vars": {"event": "Picnic", "day": "Friday", "id": 42}}
            """);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    String id = r.json().get("id").asString();
    assertThat(r.json().at("/template/key").asString()).isEqualTo("event-approved");
    int version = r.json().at("/template/version").asInt();
    assertThat(version).isEqualTo(latestVersion("event-approved"));

    assertThat(inboxItem("lang-en", id).get("title").asString()).isEqualTo("Picnic approved");
    assertThat(inboxItem("lang-en", id).get("body").asString()).isEqualTo("See you on Friday");
    assertThat(inboxItem("lang-en", id).get("url").asString())
        .isEqualTo("https://example.com/e/42");
    assertThat(inboxItem("lang-en", id).at("/data/event_id").asString()).isEqualTo("42");
    assertThat(inboxItem("lang-de", id).get("title").asString()).isEqualTo("Picnic genehmigt");
    assertThat(inboxItem("lang-de", id).get("body").asString()).isEqualTo("Bis Friday");
    assertThat(inboxItem("lang-de", id).get("url").isNull()).isTrue();
    assertThat(inboxItem("lang-none", id).get("title").asString()).isEqualTo("Picnic approved");
    assertThat(inboxItem("lang-new", id).get("title").asString()).isEqualTo("Picnic approved");

    JsonNode n = herald.awaitStatus(id, "sent");
    assertThat(n.at("/template/key").asString()).isEqualTo("event-approved");
    assertThat(n.at("/template/version").asInt()).isEqualTo(version);
    assertThat(n.get("title").isNull()).as("no explicit title").isTrue();
  }

  @Test
  void topicSendsRenderForEachRecipientInTheFanOutJob() {
    herald.subscriber("topic-de", Map.of("locale", "de"));
    herald.subscriber("topic-en", Map.of("locale", "en"));
    herald.join("tpl-topic", List.of("topic-de", "topic-en"));

    String id =
        herald.send(
            """
            {"to": {"topics": ["tpl-topic"]}, "channels": ["in_app"],
             "template": "event-approved", "vars": {"event": "Fest", "day": "Samstag", "id": 7}}
            """);
    herald.awaitStatus(id, "sent");
    assertThat(inboxItem("topic-de", id).get("title").asString()).isEqualTo("Fest genehmigt");
    assertThat(inboxItem("topic-en", id).get("title").asString()).isEqualTo("Fest approved");
  }

  @Test
  void pushAndEmailMessagesCarryContentRenderedForTheirRecipient() {
    template(
        "personal",
        """
        {"default_locale": "en",
         "locales": {
           "en": {"title": "Hi {{subscriber.attributes.first}}", "body": "{{what}} is ready",
                  "email": {"subject": "For {{subscriber.email}}", "html": "<p>{{what}} for {{subscriber.attributes.first}}</p>",
                            "text": "{{what}}"}},
           "de": {"title": "Hallo {{subscriber.attributes.first}}", "body": "{{what}} ist fertig"}}}
        """);
    herald.subscriber(
        "push-en",
        Map.of("locale", "en", "email", "ann@example.com", "attributes", Map.of("first", "Ann")));
    herald.subscriber(
        "push-de",
        Map.of(
            "locale",
            "de-DE",
            "email",
            "bernd@example.com",
            "attributes",
            Map.of("first", "Bernd")));
    herald.device(Map.of("subscriber_id", "push-en", "token", "ExponentPushToken[tplpushenphone]"));
    herald.device(Map.of("subscriber_id", "push-de", "token", "ExponentPushToken[tplpushdephone]"));

    String id =
        herald.send(
            """
            {"to": {"subscribers": ["push-en", "push-de"]}, "channels": ["push", "email"],
             "template": "personal", "vars": {"what": "<Report>"}}
            """);
    herald.awaitStatus(id, "sent");

    Map<String, Content> pushed = bySubscriber(push, id);
    assertThat(pushed.get("push-en").title()).isEqualTo("Hi Ann");
    assertThat(pushed.get("push-en").body()).isEqualTo("<Report> is ready");
    assertThat(pushed.get("push-de").title()).isEqualTo("Hallo Bernd");
    assertThat(pushed.get("push-de").body()).isEqualTo("<Report> ist fertig");

    Map<String, Content> mailed = bySubscriber(email, id);
    Content.Email en = mailed.get("push-en").email();
    assertThat(en.subject()).isEqualTo("For ann@example.com");
    assertThat(en.html()).isEqualTo("<p>&lt;Report&gt; for Ann</p>");
    assertThat(en.text()).isEqualTo("<Report>");
    assertThat(mailed.get("push-de").email()).as("the de variant has no email form").isNull();
    assertThat(mailed.get("push-de").emailOrDefault().subject()).isEqualTo("Hallo Bernd");
  }

  @Test
  void aScheduledSendRendersTheVersionItWasAcceptedWithAfterTheTemplateChangesOrIsDeleted() {
    template("reminder", reminder("Old wording {{what}}"));
    int accepted = latestVersion("reminder");
    herald.subscriber("sched-tpl", Map.of("locale", "en"));
    Instant sendAt = clock.instant().plusSeconds(3_600);
    String early = scheduled("sched-tpl", sendAt);

    template("reminder", reminder("New wording {{what}}"));
    String late = scheduled("sched-tpl", sendAt);
    assertThat(api.delete("/v1/templates/reminder").status()).isEqualTo(204);
    assertThat(herald.inbox("sched-tpl")).isEmpty();

    clock.advance(Duration.ofSeconds(3_601));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(herald.inbox("sched-tpl")).hasSize(2));
    assertThat(inboxItem("sched-tpl", early).get("title").asString()).isEqualTo("Old wording tea");
    assertThat(inboxItem("sched-tpl", late).get("title").asString()).isEqualTo("New wording tea");
    assertThat(herald.awaitStatus(early, "sent").at("/template/version").asInt())
        .isEqualTo(accepted);
    assertThat(herald.awaitStatus(late, "sent").at("/template/version").asInt())
        .isEqualTo(accepted + 1);
  }

  @Test
  void aSendLackingAVariableTheTemplateUsesIsRefusedNamingIt() {
    template(
        "needs-vars",
        """
        {"default_locale": "en",
         "locales": {"en": {"title": "{{greeting}} {{subscriber.email}}", "body": "{{#coupon}}{{code}}{{/coupon}}"},
                     "de": {"title": "{{greeting}}", "body": "Bestellung {{order.id}}"}}}
        """);
    var r =
        api.post(
            "/v1/notifications",
            """
            {"to": {"subscribers": ["vars-1"]}, "template": "needs-vars", "vars": {"order": {"total": 1}}}
            """);
    SendApi.assertProblemNaming(r, 400, "vars.greeting");
    SendApi.assertProblemNaming(r, 400, "vars.order.id");
    assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()))
        .as("sections and subscriber fields are not required")
        .containsExactlyInAnyOrder("vars.greeting", "vars.order.id");
    assertThat(herald.inbox("vars-1")).isEmpty();

    var ok =
        api.post(
            "/v1/notifications",
            """
            {"to": {"subscribers": ["vars-1"]}, "channels": ["in_app"], "template": "needs-vars",
             "vars": {"greeting": "Hey", "order": {"id": "A-1"}}}
            """);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
    assertThat(inboxItem("vars-1", ok.json().get("id").asString()).get("title").asString())
        .isEqualTo("Hey ");

    SendApi.assertProblemNaming(
        api.post(
            "/v1/notifications",
            Map.of("to", Map.of("subscribers", List.of("x")), "template", "nope")),
        400,
        "template");
    SendApi.assertProblemNaming(
        api.post(
            "/v1/notifications",
            Map.of("to", Map.of("subscribers", List.of("x")), "template", "Bad Key!")),
        400,
        "template");
    SendApi.assertProblemNaming(
        api.post(
            "/v1/notifications",
            Map.of(
                "to", Map.of("subscribers", List.of("x")), "title", "t", "vars", Map.of("a", 1))),
        400,
        "vars");
    SendApi.assertProblemNaming(
        api.post(
            "/v1/notifications",
            Map.of(
                "to", Map.of("subscribers", List.of("x")),
                "template", "event-approved",
                "vars",
                    Map.of(
                        "event",
                        "e",
                        "day",
                        "d",
                        "id",
                        1,
                        "subscriber",
                        Map.of("email", "spoof")))),
        400,
        "vars.subscriber");
  }

  @Test
  void explicitFieldsOverrideTheTemplateAndDataKeysAreLaidOverIt() {
    String id =
        herald.send(
            """
            {"to": {"subscribers": ["override-1"]}, "channels": ["in_app"], "template": "event-approved",
             "vars": {"event": "Picnic", "day": "Friday", "id": 1},
             "title": "Changed plans", "data": {"extra": true}}
            """);
    JsonNode item = inboxItem("override-1", id);
    assertThat(item.get("title").asString()).isEqualTo("Changed plans");
    assertThat(item.get("body").asString()).isEqualTo("See you on Friday");
    assertThat(item.at("/data/event_id").asString()).isEqualTo("1");
    assertThat(item.at("/data/extra").asBoolean()).isTrue();
  }

  @Test
  void dryRunPreviewsTheFirstRecipientInTheirLocale() {
    herald.subscriber("dry-de", Map.of("locale", "de-CH"));
    var r =
        api.post(
            "/v1/notifications",
            """
            {"to": {"subscribers": ["dry-de"]}, "channels": ["in_app"], "template": "event-approved",
             "vars": {"event": "Picnic", "day": "Friday", "id": 1}, "dry_run": true}
            """);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode preview = r.json().get("preview");
    assertThat(preview.at("/template/key").asString()).isEqualTo("event-approved");
    assertThat(preview.get("locale").asString()).isEqualTo("de");
    assertThat(preview.get("subscriber_id").asString()).isEqualTo("dry-de");
    assertThat(preview.get("title").asString()).isEqualTo("Picnic genehmigt");
    assertThat(preview.at("/sms/text").asString()).isEqualTo("Picnic genehmigt: Bis Friday");
    assertThat(herald.inbox("dry-de")).isEmpty();
  }

  @Test
  void anIdempotentRetryAfterTheTemplateChangedReplaysTheSameNotification() {
    template("retried", reminder("First {{what}}"));
    String body =
        """
        {"to": {"subscribers": ["idem-tpl"]}, "channels": ["in_app"], "template": "retried", "vars": {"what": "x"}}
        """;
    ApiClient keyed = api.withHeader("Idempotency-Key", "tpl-retry-1");
    var first = keyed.post("/v1/notifications", body);
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    template("retried", reminder("Second {{what}}"));

    var again = keyed.post("/v1/notifications", body);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
    var other = keyed.post("/v1/notifications", body.replace("\"x\"", "\"y\""));
    assertThat(other.status()).as(other.toString()).isEqualTo(409);
  }

  private static String scheduled(String subscriber, Instant sendAt) {
    return herald.send(
        """
        {"to": {"subscribers": ["%s"]}, "channels": ["in_app"], "template": "reminder",
         "vars": {"what": "tea"}, "send_at": "%s"}
        """
            .formatted(subscriber, sendAt));
  }

  private static String reminder(String title) {
    return """
        {"default_locale": "en", "locales": {"en": {"title": "%s"}}}
        """
        .formatted(title);
  }

  private static void template(String key, String json) {
    var r = api.put("/v1/templates/" + key, json);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
  }

  private static int latestVersion(String key) {
    return api.get("/v1/templates/" + key).json().get("version").asInt();
  }

  private static JsonNode inboxItem(String subscriber, String notificationId) {
    return herald.inbox(subscriber).stream()
        .filter(i -> i.get("notification_id").asString().equals(notificationId))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no inbox item of " + notificationId + " for " + subscriber));
  }

  private static Map<String, Content> bySubscriber(RecordingSender sender, String notificationId) {
    return sender.messages().stream()
        .filter(m -> m.notificationId().equals(notificationId))
        .collect(Collectors.toMap(Message::subscriberId, Message::content));
  }
}
