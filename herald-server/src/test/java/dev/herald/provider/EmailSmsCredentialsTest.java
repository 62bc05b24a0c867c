package dev.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.ApiClient;
import dev.herald.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code smtp} and {@code sms} credentials: validated field by field, secrets answered redacted.
 */
class EmailSmsCredentialsTest {
  static final String SID = "AC" + "a".repeat(32);
  static TestServer server;
  static TestServer guarded;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    guarded = TestServer.builder().env("HERALD_ALLOW_PRIVATE_ENDPOINTS", "false").start();
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
    guarded.close();
  }

  @Test
  void smtpCredentialsGetDefaultsAndAnswerThePasswordRedacted() {
    var r =
        api.put(
            "/v1/providers/smtp",
            Map.of(
                "host",
                "smtp.example.com",
                "username",
                "u",
                "password",
                "p",
                "from",
                "Example <a@example.com>"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode got = api.get("/v1/providers/smtp").json();
    assertThat(got.get("tls").asString()).isEqualTo("starttls");
    assertThat(got.get("port").asInt()).isEqualTo(587);
    assertThat(got.get("password").asString()).isEqualTo("<redacted>");
    assertThat(got.get("username").asString()).isEqualTo("u");
    assertThat(
            api.put(
                    "/v1/providers/smtp",
                    Map.of("host", "smtp.example.com", "tls", "tls", "from", "a@example.com"))
                .json()
                .get("port")
                .asInt())
        .isEqualTo(465);
  }

  @Test
  void badSmtpFieldsAreEachNamed() {
    Map<String, Object> body = new HashMap<>();
    body.put("host", "smtp://example.com:25");
    body.put("port", 70_000);
    body.put("tls", "ssl");
    body.put("password", "p");
    body.put("from", "not an address");
    body.put("reply_to", "x@");
    body.put("extra", 1);
    assertNames(
        api.put("/v1/providers/smtp", body),
        "host",
        "port",
        "tls",
        "username",
        "from",
        "reply_to",
        "extra");
    assertNames(api.put("/v1/providers/smtp", Map.of()), "host", "from");
    assertNames(
        guarded
            .api()
            .put("/v1/providers/smtp", Map.of("host", "127.0.0.1", "from", "a@example.com")),
        "host");
  }

  @Test
  void twilioCredentialsAreCheckedAndTheAuthTokenRedacted() {
    var r =
        api.put(
            "/v1/providers/sms",
            Map.of(
                "account_sid",
                SID,
                "auth_token",
                "secret-token",
                "messaging_service_sid",
                "MG" + "b".repeat(32)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("type").asString()).isEqualTo("twilio");
    assertThat(r.json().get("auth_token").asString()).isEqualTo("<redacted>");
    assertThat(api.get("/v1/providers/sms").body()).doesNotContain("secret-token");
    assertNames(
        api.put(
            "/v1/providers/sms", Map.of("type", "twilio", "account_sid", "AC123", "from", "+0123")),
        "account_sid",
        "auth_token",
        "from");
    assertNames(
        api.put("/v1/providers/sms", Map.of("account_sid", SID, "auth_token", "t")), "from");
    assertNames(
        api.put(
            "/v1/providers/sms",
            Map.of(
                "account_sid",
                SID,
                "auth_token",
                "t",
                "from",
                "+15005550006",
                "messaging_service_sid",
                "MG" + "b".repeat(32))),
        "messaging_service_sid");
    assertNames(api.put("/v1/providers/sms", Map.of("type", "vonage")), "type");
    assertNames(
        guarded
            .api()
            .put(
                "/v1/providers/sms",
                Map.of(
                    "account_sid",
                    SID,
                    "auth_token",
                    "t",
                    "from",
                    "+15005550006",
                    "endpoint",
                    "https://127.0.0.1:8443")),
        "endpoint");
  }

  @Test
  void httpSmsHeadersAreAllSecret() {
    var r =
        api.put(
            "/v1/providers/sms",
            Map.of(
                "type",
                "http",
                "url",
                "https://sms.example.com/send",
                "headers",
                Map.of("Authorization", "Bearer k", "X-Tenant", "t1")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("headers").get("Authorization").asString()).isEqualTo("<redacted>");
    assertThat(r.json().get("headers").get("X-Tenant").asString()).isEqualTo("<redacted>");
    assertNames(
        api.put(
            "/v1/providers/sms",
            Map.of(
                "type",
                "http",
                "url",
                "ftp://x",
                "headers",
                Map.of("Content-Type", "x", "Bad Name", "y"))),
        "url",
        "headers.Content-Type",
        "headers.Bad Name");
    assertNames(
        api.put(
            "/v1/providers/sms",
            Map.of("type", "http", "url", "https://sms.example.com", "auth_token", "x")),
        "auth_token");
  }

  @Test
  void aSubscriberPhoneMustBeE164() {
    for (String bad :
        List.of("4155550100", "+1 415 555 0100", "+0123456789", "+1234567890123456")) {
      assertNames(api.put("/v1/subscribers/p1", Map.of("phone", bad)), "phone");
    }
    assertThat(api.put("/v1/subscribers/p1", Map.of("phone", "+14155550100")).status())
        .isIn(200, 201);
  }

  private static void assertNames(ApiClient.Response r, String... fields) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
        .as(r.body())
        .contains(fields);
  }
}
