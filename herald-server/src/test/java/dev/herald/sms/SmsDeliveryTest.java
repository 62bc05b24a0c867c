package dev.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testing.ApiClient;
import dev.herald.testing.MockCertificates;
import dev.herald.testing.TestApp;
import dev.herald.testing.TestServer;
import dev.herald.testkit.twilio.StatusCallback;
import dev.herald.testkit.twilio.TwilioMessage;
import dev.herald.testkit.twilio.TwilioMock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SMS end to end through the API: Twilio's mock receives correct form requests with basic auth and
 * a status callback URL; a signed status callback moves the delivery on, an unsigned or tampered
 * one is refused and changes nothing; Twilio's errors map to failed, retried or dead deliveries;
 * the generic HTTP provider gets Herald's JSON.
 */
class SmsDeliveryTest {
  static final String PUBLIC_URL = "https://herald.example.com";
  static final String SID = TwilioMock.newAccountSid();
  static final String TOKEN = "f".repeat(32);
  static TwilioMock twilio;
  static TestServer server;
  static TestApp app;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    twilio = TwilioMock.start(SID, TOKEN);
    twilio.retryAfter(Duration.ofSeconds(1));
    Path ca = MockCertificates.pemFile(Files.createTempDirectory("herald-ca"), twilio.endpoint());
    server =
        TestServer.builder()
            .env("HERALD_PROVIDER_CA_FILE", ca.toString())
            .env("HERALD_PUBLIC_URL", PUBLIC_URL)
            .env("HERALD_RETRY_BACKOFF", "100ms,100ms")
            .start();
    app = TestApp.create(server, "sms");
    api = app.api();
    var put =
        api.put(
            "/v1/providers/sms",
            Map.of(
                "type",
                "twilio",
                "account_sid",
                SID,
                "auth_token",
                TOKEN,
                "from",
                "+15005550006",
                "endpoint",
                twilio.endpoint().toString()));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("auth_token").asString()).isEqualTo("<redacted>");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  @Test
  void twilioReceivesAFormPostWithBasicAuthAndAStatusCallbackAndASignedCallbackMarksItDelivered() {
    subscriber("sms-u1", "+14155550101");
    String id = send(api, "sms-u1", "Your code is 1234");
    JsonNode delivery = awaitDelivery(api, id, "sent");
    TwilioMessage m =
        only(twilio.messages().stream().filter(x -> "+14155550101".equals(x.to())).toList());
    assertThat(m.authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(m.contentType()).startsWith("application/x-www-form-urlencoded");
    assertThat(m.field("From")).isEqualTo("+15005550006");
    assertThat(m.body()).isEqualTo("Code: Your code is 1234");
    assertThat(m.statusCallback())
        .isEqualTo(
            PUBLIC_URL
                + "/v1/callbacks/twilio/"
                + app.id()
                + "?d="
                + delivery.get("id").asString());
    assertThat(delivery.get("provider_message_id").asString()).isEqualTo(m.sid());

    StatusCallback delivered = twilio.statusCallback(m, "delivered", null);
    assertThat(callback(delivered, delivered.signature()).status()).isEqualTo(200);
    assertThat(awaitDelivery(api, id, "delivered").get("status").asString()).isEqualTo("delivered");
    JsonNode counts = api.get("/v1/notifications/" + id).json().get("counts");
    assertThat(counts.get("delivered").asLong()).isEqualTo(1);
    assertThat(counts.get("sent").asLong()).isZero();
    // Twilio may report the same status twice: it counts once.
    assertThat(callback(delivered, delivered.signature()).status()).isEqualTo(200);
    assertThat(api.get("/v1/notifications/" + id).json().get("counts").get("delivered").asLong())
        .isEqualTo(1);
  }

  @Test
  void anUnsignedOrTamperedCallbackIsRefusedAndChangesNothing() {
    subscriber("sms-u2", "+14155550102");
    String id = send(api, "sms-u2", "Hello");
    awaitDelivery(api, id, "sent");
    TwilioMessage m =
        only(twilio.messages().stream().filter(x -> "+14155550102".equals(x.to())).toList());
    StatusCallback failed = twilio.statusCallback(m, "failed", "30003");

    var unsigned = callback(failed, null);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.contentType()).startsWith("application/problem+json");
    assertThat(unsigned.json().get("code").asString()).isEqualTo("forbidden");
    assertThat(
            callback(failed, TwilioMock.signature("0".repeat(32), failed.url(), failed.params()))
                .status())
        .isEqualTo(403);
    var tampered =
        new StatusCallback(
            failed.url(),
            Map.of("MessageSid", m.sid(), "MessageStatus", "failed", "ErrorCode", "30007"),
            failed.signature());
    assertThat(callback(tampered, tampered.signature()).status()).isEqualTo(403);
    var otherDelivery =
        new StatusCallback(
            failed.url().replace("?d=", "?d=x"), failed.params(), failed.signature());
    assertThat(callback(otherDelivery, otherDelivery.signature()).status()).isEqualTo(403);
    var otherApp =
        new StatusCallback(
            failed.url().replace(app.id(), "no-such-app"), failed.params(), failed.signature());
    assertThat(callback(otherApp, otherApp.signature()).status()).isEqualTo(403);
    assertThat(delivery(api, id).get("status").asString()).isEqualTo("sent");

    assertThat(callback(failed, failed.signature()).status()).isEqualTo(200);
    JsonNode d = awaitDelivery(api, id, "failed");
    assertThat(d.get("reason").asString()).isEqualTo("twilio failed 30003");
    assertThat(api.get("/v1/notifications/" + id).json().get("status").asString())
        .isEqualTo("failed");
  }

  @Test
  void interimStatusesAndUnknownDeliveriesAreAcknowledgedAndIgnored() {
    subscriber("sms-u3", "+14155550103");
    String id = send(api, "sms-u3", "Hello");
    awaitDelivery(api, id, "sent");
    TwilioMessage m =
        only(twilio.messages().stream().filter(x -> "+14155550103".equals(x.to())).toList());
    StatusCallback sent = twilio.statusCallback(m, "sent", null);
    assertThat(callback(sent, sent.signature()).status()).isEqualTo(200);
    assertThat(delivery(api, id).get("status").asString()).isEqualTo("sent");
    Map<String, String> params =
        Map.of("MessageSid", "SM" + "0".repeat(32), "MessageStatus", "delivered");
    String url = PUBLIC_URL + "/v1/callbacks/twilio/" + app.id() + "?d=no-such-delivery";
    var unknown = new StatusCallback(url, params, TwilioMock.signature(TOKEN, url, params));
    assertThat(callback(unknown, unknown.signature()).status()).isEqualTo(200);
  }

  @Test
  void twilioErrorsMapToFailedRetriedAndDeadDeliveries() {
    twilio.fail(
        "+14155550104", 400, 21211, "The 'To' number +14155550104 is not a valid phone number.");
    twilio.fail("+14155550105", 400, 21610, "Attempt to send to unsubscribed recipient");
    subscriber("sms-bad", "+14155550104");
    subscriber("sms-stop", "+14155550105");
    JsonNode bad = awaitDelivery(api, send(api, "sms-bad", "x"), "failed");
    assertThat(bad.get("reason").asString()).startsWith("twilio 21211");
    JsonNode stop = awaitDelivery(api, send(api, "sms-stop", "x"), "failed");
    assertThat(stop.get("reason").asString()).startsWith("twilio 21610");

    subscriber("sms-busy", "+14155550106");
    twilio.tooManyRequests(1);
    long started = System.nanoTime();
    JsonNode retried = awaitDelivery(api, send(api, "sms-busy", "x"), "sent");
    assertThat(retried.get("attempts").asInt()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("Retry-After: 1 wins over the 100 ms backoff")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));

    TestApp wrong = TestApp.create(server, "sms-wrong-token");
    var put =
        wrong
            .api()
            .put(
                "/v1/providers/sms",
                Map.of(
                    "account_sid",
                    SID,
                    "auth_token",
                    "0".repeat(32),
                    "from",
                    "+15005550006",
                    "endpoint",
                    twilio.endpoint().toString()));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(wrong.api().put("/v1/subscribers/w1", Map.of("phone", "+14155550107")).status())
        .isEqualTo(201);
    JsonNode dead = awaitDelivery(wrong.api(), send(wrong.api(), "w1", "x"), "dead");
    assertThat(dead.get("reason").asString()).contains("20003");
  }

  @Test
  void theGenericHttpProviderGetsHeraldsJsonWithItsHeaders() throws Exception {
    try (MockWebServer gateway = new MockWebServer()) {
      gateway.enqueue(new MockResponse.Builder().code(200).body("{\"id\":\"gw-1\"}").build());
      gateway.enqueue(new MockResponse.Builder().code(503).build());
      gateway.enqueue(new MockResponse.Builder().code(202).build());
      gateway.enqueue(new MockResponse.Builder().code(400).build());
      gateway.start(java.net.InetAddress.getLoopbackAddress(), 0);
      TestApp http = TestApp.create(server, "sms-http");
      var put =
          http.api()
              .put(
                  "/v1/providers/sms",
                  Map.of(
                      "type",
                      "http",
                      "url",
                      gateway.url("/send").toString(),
                      "headers",
                      Map.of("X-Api-Key", "gw-secret"),
                      "from",
                      "Herald"));
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      assertThat(put.json().get("headers").get("X-Api-Key").asString()).isEqualTo("<redacted>");
      assertThat(http.api().put("/v1/subscribers/h1", Map.of("phone", "+14155550108")).status())
          .isEqualTo(201);

      String first = send(http.api(), "h1", "One");
      JsonNode sent = awaitDelivery(http.api(), first, "sent");
      assertThat(sent.get("provider_message_id").asString()).isEqualTo("gw-1");
      RecordedRequest r = gateway.takeRequest();
      assertThat(r.getMethod()).isEqualTo("POST");
      assertThat(r.getHeaders().get("X-Api-Key")).isEqualTo("gw-secret");
      assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
      JsonNode body = dev.herald.web.Json.tree(r.getBody().utf8());
      assertThat(body.get("to").asString()).isEqualTo("+14155550108");
      assertThat(body.get("from").asString()).isEqualTo("Herald");
      assertThat(body.get("text").asString()).isEqualTo("Code: One");
      assertThat(body.get("delivery_id").asString()).isEqualTo(sent.get("id").asString());

      JsonNode retried = awaitDelivery(http.api(), send(http.api(), "h1", "Two"), "sent");
      assertThat(retried.get("attempts").asInt()).isEqualTo(2);
      assertThat(
              awaitDelivery(http.api(), send(http.api(), "h1", "Three"), "failed")
                  .get("reason")
                  .asString())
          .isEqualTo("sms provider answered 400");
    }
  }

  private static void subscriber(String id, String phone) {
    var r = api.put("/v1/subscribers/" + id, Map.of("phone", phone));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  private static String send(ApiClient client, String subscriber, String body) {
    var r =
        client.post(
            "/v1/notifications",
            Map.of(
                "to",
                Map.of("subscribers", List.of(subscriber)),
                "channels",
                List.of("sms"),
                "title",
                "Code",
                "body",
                body));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("id").asString();
  }

  private static JsonNode delivery(ApiClient client, String notification) {
    var r = client.get("/v1/notifications/" + notification + "/deliveries");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return only(r.json().get("data").valueStream().toList());
  }

  private static JsonNode awaitDelivery(ApiClient client, String notification, String status) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(delivery(client, notification).get("status").asString())
                    .isEqualTo(status));
    return delivery(client, notification);
  }

  private static ApiClient.Response callback(StatusCallback c, String signature) {
    ApiClient client = server.anonymous();
    if (signature != null) client = client.withHeader("X-Twilio-Signature", signature);
    return client.send("POST", c.pathAndQuery(), c.formBody(), "application/x-www-form-urlencoded");
  }

  private static <T> T only(List<T> list) {
    assertThat(list).hasSize(1);
    return list.getFirst();
  }
}
