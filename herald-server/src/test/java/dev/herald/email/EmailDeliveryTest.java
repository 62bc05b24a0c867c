package dev.herald.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.testing.ApiClient;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Email end to end through the API against GreenMail, a real SMTP server, reached through a relay
 * that counts connections: the message arrives with the right headers and body, connections are
 * reused across batches, one-click unsubscribe works only with an intact token and only on POST,
 * and refused credentials dead-letter the send.
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
    assertThat(oneClick(path).status()).isEqualTo(200);
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
    var r = client.put("/v1/subscribers/" + id, Map.of("email", email, "locale", "en"));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
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
