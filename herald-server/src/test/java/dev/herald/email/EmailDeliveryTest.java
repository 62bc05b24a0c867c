package dev.herald.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Email end to end through the API against GreenMail, a real SMTP server, reached through a relay
 * that counts connections: the message arrives with the right headers and body, connections are
 * reused across batches, a template renders in each subscriber's locale, one-click unsubscribe
 * works only with an intact token and only on POST and turns email off in the subscriber's
 * preferences (except for a locked category), and refused credentials dead-letter the send.
 */
class EmailDeliveryTest {
  static final String PUBLIC_URL = "https://herald.example.com";
  static GreenMail mail;
  static CountingProxy proxy;
  static TestServer server;
  static TestApp app;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    mail.start();
    mail.setUser("news@example.com", "herald", "s3cret");
    proxy = new CountingProxy(mail.getSmtp().getPort());
    server =
        TestServer.builder()
            .env("HERALD_PUBLIC_URL", PUBLIC_URL)
            .env("HERALD_RETRY_BACKOFF", "100ms")
            .start();
    app = TestApp.create(server, "email");
    api = app.api();
    var put = api.put("/v1/providers/smtp", smtp("s3cret"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("password").asString()).isEqualTo("<redacted>");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    proxy.close();
    mail.stop();
  }

  static Map<String, Object> smtp(String password) {
    return Map.of(
        "host",
        "127.0.0.1",
        "port",
        proxy.port(),
        "tls",
        "none",
        "username",
        "herald",
        "password",
        password,
        "from",
        "Herald News <news@example.com>",
        "reply_to",
        "help@example.com");
  }

  @Test
  void aSendArrivesWithItsHeadersAndAOneClickUnsubscribeLink() throws Exception {
    subscriber(api, "ada", "ada@example.com");
    String id = send(api, "ada", "weekly", "Your weekly digest");
    JsonNode delivery = awaitDelivery(api, id, "sent");
    MimeMessage m = receivedBy("ada@example.com").getFirst();
    assertThat(m.getFrom()[0].toString()).isEqualTo("Herald News <news@example.com>");
    assertThat(m.getReplyTo()[0].toString()).isEqualTo("help@example.com");
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
    assertThat(m.getSubject()).isEqualTo("Your weekly digest");
    assertThat(m.getContentType()).startsWith("text/plain; charset=UTF-8");
    assertThat(((String) m.getContent()).strip()).isEqualTo("Ten new things.");
    assertThat(m.getMessageID())
        .isEqualTo("<" + delivery.get("id").asString() + ".herald@example.com>");
    assertThat(delivery.get("provider_message_id").asString())
        .isEqualTo(delivery.get("id").asString() + ".herald@example.com");
    assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    String link = unsubscribeLink(m);
    assertThat(link).startsWith(PUBLIC_URL + "/v1/unsubscribe?t=");
  }

  @Test
  void oneClickNeedsAnIntactTokenAndAPost() throws Exception {
    subscriber(api, "bob", "bob@example.com");
    awaitDelivery(api, send(api, "bob", "weekly", "Hello"), "sent");
    String path =
        unsubscribeLink(receivedBy("bob@example.com").getFirst()).substring(PUBLIC_URL.length());

    ApiClient.Response page = server.anonymous().get(path);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body())
        .contains("<form method=\"post\"")
        .contains("name=\"List-Unsubscribe\" value=\"One-Click\"")
        .contains("weekly");
    assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");

    String token = path.substring(path.indexOf("t=") + 2);
    String tampered =
        token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
    for (String bad : List.of(tampered, token.substring(0, token.length() - 2), "x.y", "")) {
      ApiClient.Response r = oneClick("/v1/unsubscribe?t=" + bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(server.anonymous().get("/v1/unsubscribe?t=" + bad).status()).isEqualTo(400);
    }
    ApiClient.Response wrongBody =
        server
            .anonymous()
            .send("POST", path, "List-Unsubscribe=Yes", "application/x-www-form-urlencoded");
    assertThat(wrongBody.status()).isEqualTo(400);

    assertThat(receivedBy("bob@example.com")).as("the page alone unsubscribes nobody").hasSize(1);
    awaitDelivery(api, send(api, "bob", "weekly", "Still subscribed"), "sent");

    ApiClient.Response done = oneClick(path);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body()).contains("no longer receive");
    assertThat(oneClick(path).status()).as("idempotent").isEqualTo(200);

    JsonNode skipped =
        awaitDelivery(api, send(api, "bob", "weekly", "After unsubscribing"), "skipped");
    assertThat(skipped.get("reason").asString()).isEqualTo("preferences");
    var dryRun =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("bob")),
                "channels",
                List.of("email"),
                "category",
                "weekly",
                "title",
                "t",
                "dry_run",
                true));
    assertThat(dryRun.json().get("skipped").get("preferences").asLong()).isEqualTo(1);
    assertThat(dryRun.json().get("audience").get("deliveries").get("email").asLong()).isZero();
    awaitDelivery(api, send(api, "bob", "security", "Another category"), "sent");
    assertThat(receivedBy("bob@example.com").stream().map(EmailDeliveryTest::subject))
        .containsExactly("Hello", "Still subscribed", "Another category");

    JsonNode preferences = api.get("/v1/subscribers/bob/preferences").json();
    assertThat(preferences.get("preferences").get("categories").toString())
        .as("the opt-out is one of bob's preferences")
        .isEqualTo("{\"weekly\":{\"channels\":{\"email\":false}}}");
    var optIn =
        api.put(
            "/v1/subscribers/bob/preferences",
            Map.of("categories", Map.of("weekly", Map.of("channels", Map.of("email", true)))));
    assertThat(optIn.status()).as(optIn.toString()).isEqualTo(200);
    awaitDelivery(api, send(api, "bob", "weekly", "Subscribed again"), "sent");
  }

  @Test
  void aLinkFromANotificationWithoutCategoryTurnsOffEveryCategory() throws Exception {
    subscriber(api, "cat", "cat@example.com");
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of("cat")),
                "channels",
                List.of("email"),
                "title",
                "No category"));
    awaitDelivery(api, r.json().get("id").asString(), "sent");
    String path =
        unsubscribeLink(receivedBy("cat@example.com").getFirst()).substring(PUBLIC_URL.length());
    assertThat(server.anonymous().get(path).body())
        .contains("Stop receiving notifications by email");
    var chosen =
        api.put(
            "/v1/subscribers/cat/preferences",
            Map.of(
                "channels",
                Map.of("push", false),
                "categories",
                Map.of("security", Map.of("channels", Map.of("email", true, "sms", false)))));
    assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
    assertThat(oneClick(path).status()).isEqualTo(200);
    assertThat(api.get("/v1/subscribers/cat/preferences").json().get("preferences").toString())
        .as("email off everywhere, also where cat had turned it on; other choices stay")
        .isEqualTo(
            "{\"channels\":{\"email\":false,\"push\":false},"
                + "\"categories\":{\"security\":{\"channels\":{\"sms\":false}}},\"quiet_hours\":null}");
    assertThat(
            awaitDelivery(api, send(api, "cat", "weekly", "x"), "skipped").get("reason").asString())
        .isEqualTo("preferences");
    assertThat(
            awaitDelivery(api, send(api, "cat", "security", "y"), "skipped")
                .get("reason")
                .asString())
        .isEqualTo("preferences");
  }

  @Test
  void aTemplatedEmailInTheSubscribersLocaleUnsubscribesInOneClick() throws Exception {
    var template =
        api.put(
            "/v1/templates/order-shipped",
            Map.of(
                "default_locale",
                "en",
                "locales",
                Map.of(
                    "en",
                    Map.of(
                        "email",
                        Map.of(
                            "subject", "{{name}} has shipped",
                            "html",
                                "<p>Hi {{subscriber.attributes.first}}, {{name}} is on its way.</p>",
                            "text", "Hi {{subscriber.attributes.first}}, {{name}} is on its way.")),
                    "de",
                    Map.of(
                        "email",
                        Map.of(
                            "subject", "{{name}} ist unterwegs",
                            "html",
                                "<p>Hallo {{subscriber.attributes.first}}, {{name}} ist unterwegs.</p>",
                            "text",
                                "Hallo {{subscriber.attributes.first}}, {{name}} ist unterwegs.")))));
    assertThat(template.status()).as(template.body()).isEqualTo(201);
    subscriber(api, "jonas", "jonas@example.com", "de-AT", "Jonas & Jo");
    subscriber(api, "emma", "emma@example.com", "en", "Emma");

    String first = sendTemplate("order-shipped", "orders", "jonas", "emma");
    awaitDeliveries(first, Map.of("jonas", "sent", "emma", "sent"));
    MimeMessage german = receivedBy("jonas@example.com").getFirst();
    assertThat(german.getSubject()).isEqualTo("Tee & <Tassen> ist unterwegs");
    assertThat(german.getContentType()).startsWith("multipart/alternative");
    assertThat(parts(german))
        .containsExactly(
            "text/plain: Hallo Jonas & Jo, Tee & <Tassen> ist unterwegs.",
            "text/html: <p>Hallo Jonas &amp; Jo, Tee &amp; &lt;Tassen&gt; ist unterwegs.</p>");
    MimeMessage english = receivedBy("emma@example.com").getFirst();
    assertThat(english.getSubject()).isEqualTo("Tee & <Tassen> has shipped");
    assertThat(parts(english))
        .containsExactly(
            "text/plain: Hi Emma, Tee & <Tassen> is on its way.",
            "text/html: <p>Hi Emma, Tee &amp; &lt;Tassen&gt; is on its way.</p>");

    ApiClient.Response done = oneClick(unsubscribeLink(german).substring(PUBLIC_URL.length()));
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body())
        .contains("no longer receive notifications about <strong>orders</strong>");
    JsonNode preferences = api.get("/v1/subscribers/jonas/preferences").json();
    assertThat(preferences.get("preferences").get("categories").toString())
        .isEqualTo("{\"orders\":{\"channels\":{\"email\":false}}}");
    assertThat(
            preferences
                .get("effective")
                .get("categories")
                .get("orders")
                .get("channels")
                .get("email")
                .asBoolean())
        .isFalse();

    String second = sendTemplate("order-shipped", "orders", "jonas", "emma");
    JsonNode skipped =
        awaitDeliveries(second, Map.of("jonas", "skipped", "emma", "sent")).get("jonas");
    assertThat(skipped.get("reason").asString()).isEqualTo("preferences");
    awaitDeliveries(sendTemplate("order-shipped", "account", "jonas"), Map.of("jonas", "sent"));
    assertThat(receivedBy("jonas@example.com"))
        .as("the second orders email never reached the server; the account one did")
        .hasSize(2);
    assertThat(receivedBy("emma@example.com")).hasSize(2);
  }

  @Test
  void aLockedCategoryKeepsSendingAfterAnUnsubscribeAndThePageSaysSo() throws Exception {
    assertThat(api.put("/v1/categories/sign-in", Map.of("locked", true)).status()).isIn(200, 201);
    subscriber(api, "lena", "lena@example.com");
    awaitDelivery(api, send(api, "lena", "sign-in", "New sign-in"), "sent");
    ApiClient.Response done =
        oneClick(
            unsubscribeLink(receivedBy("lena@example.com").getFirst())
                .substring(PUBLIC_URL.length()));
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body())
        .contains("Notifications about <strong>sign-in</strong> cannot be turned off")
        .doesNotContain("no longer receive");
    awaitDelivery(api, send(api, "lena", "sign-in", "Another sign-in"), "sent");
    assertThat(receivedBy("lena@example.com")).hasSize(2);
  }

  @Test
  void connectionsAreReusedAcrossBatches() {
    int before = proxy.connections();
    for (int i = 0; i < 4; i++) {
      subscriber(api, "reuse-" + i, "reuse" + i + "@example.com");
      awaitDelivery(api, send(api, "reuse-" + i, "news", "Reuse " + i), "sent");
    }
    assertThat(receivedBy("reuse3@example.com")).hasSize(1);
    assertThat(proxy.connections() - before)
        .as("four sends, one after another, over at most one new connection")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void refusedCredentialsDeadLetterTheSendWithTheReason() {
    TestApp wrong = TestApp.create(server, "email-wrong-password");
    assertThat(wrong.api().put("/v1/providers/smtp", smtp("wrong")).status()).isEqualTo(200);
    subscriber(wrong.api(), "eve", "eve@example.com");
    JsonNode dead = awaitDelivery(wrong.api(), send(wrong.api(), "eve", "news", "Hi"), "dead");
    assertThat(dead.get("reason").asString()).contains("SMTP authentication failed");
    assertThat(receivedBy("eve@example.com")).isEmpty();
  }

  static List<MimeMessage> receivedBy(String address) {
    return Arrays.stream(mail.getReceivedMessages())
        .filter(
            m -> {
              try {
                return m.getAllRecipients()[0].toString().equals(address);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String unsubscribeLink(MimeMessage m) throws Exception {
    String header = m.getHeader("List-Unsubscribe", null);
    assertThat(header).startsWith("<").endsWith(">");
    return header.substring(1, header.length() - 1);
  }

  static ApiClient.Response oneClick(String path) {
    return server
        .anonymous()
        .send("POST", path, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
  }

  static void subscriber(ApiClient client, String id, String email) {
    subscriber(client, id, email, "en", id);
  }

  static void subscriber(ApiClient client, String id, String email, String locale, String first) {
    var r =
        client.put(
            "/v1/subscribers/" + id,
            Map.of("email", email, "locale", locale, "attributes", Map.of("first", first)));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  static String sendTemplate(String template, String category, String... subscribers) {
    var r =
        api.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscribers)),
                "channels",
                List.of("email"),
                "category",
                category,
                "template",
                template,
                "vars",
                Map.of("name", "Tee & <Tassen>")));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  /**
   * Waits until each subscriber's delivery has its status; answers the deliveries by subscriber.
   */
  static Map<String, JsonNode> awaitDeliveries(String notification, Map<String, String> statuses) {
    Supplier<Map<String, JsonNode>> bySubscriber =
        () ->
            api.get("/v1/notifications/" + notification + "/deliveries")
                .json()
                .get("data")
                .valueStream()
                .collect(Collectors.toMap(d -> d.get("subscriber_id").asString(), d -> d));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, String> now = new HashMap<>();
              bySubscriber.get().forEach((id, d) -> now.put(id, d.get("status").asString()));
              assertThat(now).isEqualTo(statuses);
            });
    return bySubscriber.get();
  }

  /** Each part of a multipart message as "type: content". */
  static List<String> parts(MimeMessage m) throws Exception {
    MimeMultipart multipart = (MimeMultipart) m.getContent();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      parts.add(part.getContentType().split(";")[0] + ": " + ((String) part.getContent()).strip());
    }
    return parts;
  }

  static String send(ApiClient client, String subscriber, String category, String title) {
    var r =
        client.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscriber)),
                "channels",
                List.of("email"),
                "category",
                category,
                "title",
                title,
                "body",
                "Ten new things."));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  static JsonNode delivery(ApiClient client, String notification) {
    var r = client.get("/v1/notifications/" + notification + "/deliveries");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> all = r.json().get("data").valueStream().toList();
    assertThat(all).hasSize(1);
    return all.getFirst();
  }

  static JsonNode awaitDelivery(ApiClient client, String notification, String status) {
    // GreenMail threads may die of a refused TLS handshake; that is the point, not a failure.
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(delivery(client, notification).get("status").asString())
                    .isEqualTo(status));
    return delivery(client, notification);
  }
}
